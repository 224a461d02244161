"""Publishing an election: check the gate, freeze what voters will see, record corrections.

A published election is served to voters from its frozen `ElectionVersion`, never from the live
rows, so an edit only reaches voters as a new version, and a voter who started on the previous
version can finish on it.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import catalog, snapshots, workflow
from .models import BallotDay, Election, ElectionVersion, Stance, Statement


def election_of(obj) -> Election | None:
    if isinstance(obj, Election):
        return obj
    if isinstance(obj, Statement):
        return obj.election if obj.election_id else None
    if isinstance(obj, Stance):
        return obj.statement.election if obj.statement_id else None
    return None


def elections_of(obj) -> list[Election]:
    """Every election whose voters see `obj`: a shared statement's elections, and for a stance
    only those of them its party runs in (Vooruit's European stance is not the federal one)."""
    home = election_of(obj)
    if home is None or not home.pk:
        return []
    statement = obj.statement if isinstance(obj, Stance) else obj
    if not isinstance(statement, Statement) or home.ballot_day_id is None:
        return [home]
    elections = [home, *statement.shared_with.exclude(pk=home.pk)]
    if isinstance(obj, Stance) and len(elections) > 1:
        running = set(obj.party.elections.values_list("pk", flat=True))
        elections = [e for e in elections if e.pk in running] or [home]
    return elections


def gate_for(election: Election) -> workflow.Gate:
    """The publish matrix of one election, in three queries."""
    statements = [
        (s.pk, str(s)) for s in Statement.objects.for_election(election).order_by("order", "pk")
    ]
    parties = [(p.pk, str(p)) for p in election.parties.order_by("name")]
    stances = {
        (st.statement_id, st.party_id): st.facts() for st in Stance.objects.for_election(election)
    }
    return workflow.publish_gate(statements, parties, stances, election.scale)


def snapshot(election: Election):
    """Everything a voter's quiz and result depend on, in plain JSON."""
    return snapshots.encode(catalog.load(election))


def _freeze(election: Election, user, note: str) -> ElectionVersion:
    last = election.versions.aggregate(n=Max("number"))["n"] or 0
    version = ElectionVersion.objects.create(
        election=election, number=last + 1, data=snapshot(election), note=note, created_by=user
    )
    election.status = Election.Status.PUBLISHED
    election.published_version = version
    election.save(update_fields=["status", "published_version"])
    return version


def _current_shape(data):
    """A stored snapshot as today's code would write it: a field its release did not have yet
    takes its default (a stance's origin: the editors), so it alone is no change."""
    return snapshots.encode(snapshots.decode(catalog.ElectionData, data))


def freeze_if_changed(election: Election, note: str) -> ElectionVersion | None:
    """For content loaded outside the admin (demo data): freeze a new version of a published
    election unless its latest version holds the same content; None when none was needed.

    Loading a fixture again clears `published_version`; an unchanged latest version is then
    published again rather than copied, so earlier share links keep naming the current one."""
    latest = election.versions.order_by("-number").first()
    if latest is None or _current_shape(latest.data) != snapshot(election):
        return _freeze(election, None, note)
    if election.published_version_id != latest.pk:
        election.published_version = latest
        election.save(update_fields=["published_version"])
    return None


@transaction.atomic
def publish(election: Election, user) -> ElectionVersion:
    """Publish when the gate is open; otherwise raise NotAllowed naming what blocks."""
    if not user.has_perm("positions.publish_election"):
        raise workflow.NotAllowed("Alleen een eindredacteur mag publiceren.")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.is_published:
        raise workflow.NotAllowed("Deze verkiezing is al gepubliceerd.")
    gate = gate_for(election)
    if not gate.open:
        raise workflow.NotAllowed(
            f"Nog niet klaar om te publiceren: {len(gate.problems)} punt(en) open."
        )
    return _freeze(election, user, "Gepubliceerd")


@transaction.atomic
def record_correction(election: Election, user, note: str) -> ElectionVersion:
    """Freeze a new version after a correction to a published election."""
    if not user.has_perm("positions.correct_published"):
        raise workflow.NotAllowed(
            "Alleen een eindredacteur mag een gepubliceerde verkiezing corrigeren."
        )
    election = Election.objects.select_for_update().get(pk=election.pk)
    return _freeze(election, user, note.strip() or "Correctie")


@transaction.atomic
def unpublish(election: Election, user, reason: str) -> None:
    """Back to draft: voters no longer see it; the frozen versions stay as a record, the one
    voters saw marked as withdrawn, by whom and why."""
    if not user.has_perm("positions.publish_election"):
        raise workflow.NotAllowed("Alleen een eindredacteur mag een publicatie intrekken.")
    if not reason.strip():
        raise workflow.NotAllowed("Geef een reden: waarom wordt de publicatie ingetrokken?")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not election.is_published:
        raise workflow.NotAllowed("Deze verkiezing is niet gepubliceerd.")
    if election.published_version_id:
        ElectionVersion.objects.filter(pk=election.published_version_id).update(
            withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason=reason.strip()
        )
    election.status = Election.Status.DRAFT
    election.save(update_fields=["status"])


def day_gate(day: BallotDay) -> dict[Election, workflow.Gate]:
    """The publish matrix of each election of a ballot day."""
    return {election: gate_for(election) for election in day.elections.order_by("name")}


@transaction.atomic
def publish_ballot_day(day: BallotDay, user) -> list[ElectionVersion]:
    """Publish a ballot day and every election of it not yet published, all or none.

    One gate over all of them: when any election has something open, nothing is published and
    NotAllowed names each election that blocks."""
    if not user.has_perm("positions.publish_election"):
        raise workflow.NotAllowed("Alleen een eindredacteur mag publiceren.")
    day = BallotDay.objects.select_for_update().get(pk=day.pk)
    elections = list(day.elections.select_for_update().order_by("name"))
    if not elections:
        raise workflow.NotAllowed("Deze verkiezingsdag heeft nog geen verkiezingen.")
    drafts = [e for e in elections if not e.is_published]
    if not drafts and day.status == BallotDay.Status.PUBLISHED:
        raise workflow.NotAllowed("Deze verkiezingsdag is al gepubliceerd.")
    blocked = []
    for election in drafts:
        gate = gate_for(election)
        if not gate.open:
            blocked.append(f"{election.name} ({len(gate.problems)} punt(en) open)")
    if blocked:
        raise workflow.NotAllowed("Nog niet klaar om te publiceren: " + "; ".join(blocked) + ".")
    versions = [
        _freeze(election, user, "Gepubliceerd met de verkiezingsdag") for election in drafts
    ]
    day.status = BallotDay.Status.PUBLISHED
    day.save(update_fields=["status"])
    return versions


@transaction.atomic
def unpublish_ballot_day(day: BallotDay, user) -> None:
    """Voters no longer see the day; its elections stay as they are, each on its own."""
    if not user.has_perm("positions.publish_election"):
        raise workflow.NotAllowed("Alleen een eindredacteur mag een publicatie intrekken.")
    day.status = BallotDay.Status.DRAFT
    day.save(update_fields=["status"])
