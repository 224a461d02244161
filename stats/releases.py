"""Releases: the public statistics, made once per closed day and served as they were made.

`make_releases()` (run by `manage.py make_releases` from a scheduler, a few minutes after
midnight) counts each day that has ended and has no `DayCount` yet, once: the exact counts and
the same counts with noise (`stats.privacy`). Then it renders two releases per new day: the day
alone (`day-YYYY-MM-DD`) and every day so far (`to-YYYY-MM-DD`; the one ending on election day
is the whole election). Days are counted from the day the election was first published (or its
first completion, if earlier), with or without completions, so an empty day looks like any
other. Rows are only ever added: a completion recorded today can only reach releases of today,
which is not closed yet, and a release never changes once made. A new day's real completions
are also stored as a Parquet file (`DayMicrodata`), which microdata exports copy instead of
reading the rows again.

`release_report()` turns the noisy counts of a period into the same `aggregate.Report` that the
admin page and the exports show: rounded, clamped to be non-negative, parts apportioned to their
total, and every cell under the threshold suppressed.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from positions.catalog import ElectionData
from positions.models import Election, answers_for

from . import aggregate, exporters, privacy
from .models import Completion, DayCount, DayMicrodata, Release

ONE_DAY = datetime.timedelta(days=1)


def first_day(election: Election, simulated: bool = False) -> datetime.date | None:
    """The first day of the election's releases: the day it was first published, or of its first
    completion if that is earlier (simulated ones only when asked)."""
    days = []
    published = election.versions.aggregate(first=Min("created_at"))["first"]
    if published is not None:
        days.append(timezone.localdate(published))
    rows = Completion.objects.filter(layout__election=election)
    if not simulated:
        rows = rows.real()
    if (first := rows.aggregate(first=Min("day"))["first"]) is not None:
        days.append(first)
    return min(days, default=None)


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + ONE_DAY * n for n in range((last - first).days + 1)]


def _statement_counts(cells: Mapping[str, float], total: int, scale: int) -> dict[str, int]:
    """The answers of the scale (agree, neutral, disagree, skip, and on 5 points strongly agree
    and strongly disagree) adding up to `total`; important, at most `total`. A day counted
    before the strong answers were counted has none."""
    names = answers_for(scale)
    answers = privacy.apportion([cells.get(a, 0.0) for a in names], total)
    return {
        **dict(zip(names, answers, strict=True)),
        "important": privacy.clamp(cells.get("important", 0.0), total),
    }


def _median(histogram: Sequence[int]) -> float:
    """The median score of a histogram of ten classes, interpolated within its class."""
    half, seen = sum(histogram) / 2, 0
    width = 100 / len(histogram)
    for i, n in enumerate(histogram):
        if n and seen + n >= half:
            return round(width * (i + (half - seen) / n), 1)
        seen += n
    return 0.0


def release_report(
    data: ElectionData,
    noisy_days: Sequence[tuple[datetime.date, Mapping]],
    threshold: int = aggregate.THRESHOLD,
) -> aggregate.Report:
    """The published tables of a period from its noisy day counts (post-processing only)."""
    days = [(day, privacy.clamp(noisy["completions"])) for day, noisy in noisy_days]
    completions = sum(n for _, n in days)
    noisy = privacy.total([n for _, n in noisy_days])
    statements, answered = [], {}
    for s in data.statements:
        counts = _statement_counts(noisy["answers"].get(str(s.id), {}), completions, data.scale)
        answered[s.id] = counts
        statements.append(aggregate.statement_row(s, counts, data.scale, threshold))
    best_total = sum(
        max(party["best"], 0.0)
        for slug, party in noisy["parties"].items()
        if aggregate.has_stances(data, slug)
    )
    parties = []
    for p in data.parties:
        if not aggregate.has_stances(data, p.slug):
            parties.append(aggregate.not_applicable_row(p))
            continue
        party = noisy["parties"].get(p.slug)
        voters = privacy.clamp(party["voters"], completions) if party else 0
        histogram = privacy.apportion(party["histogram"], voters) if party else [0] * 10
        shown = voters >= threshold
        mean = min(max(party["sum"] / voters / aggregate.SCORE_SCALE, 0), 100) if shown else None
        best = max(party["best"], 0.0) if party else 0.0
        parties.append(
            aggregate.PartyRow(
                p.slug,
                p.name,
                p.colour,
                aggregate.suppress(voters, threshold),
                round(mean, 1) if shown else None,
                _median(histogram) if shown else None,
                tuple(aggregate.suppress(n, threshold) for n in histogram),
                round(100 * best / best_total, 1) if best >= threshold else None,
            )
        )
    agreement = []
    for s in data.statements:
        counts = answered[s.id]
        given = sum(counts.get(name, 0) for name in aggregate.POSITIONS)
        for p in data.parties:
            position = data.stance(s.id, p.slug).position
            share = aggregate.NA if position not in aggregate.POSITIONS else None
            if position in aggregate.POSITIONS and counts.get(position, 0) >= threshold:
                share = round(100 * counts[position] / given, 1)
            agreement.append(aggregate.AgreementCell(s.number, p.slug, position, share))
    return aggregate.Report(
        election=data,
        date_from=noisy_days[0][0] if noisy_days else None,
        date_to=noisy_days[-1][0] if noisy_days else None,
        threshold=threshold,
        completions=aggregate.suppress(completions, threshold),
        days=[(day, aggregate.suppress(n, threshold)) for day, n in days],
        statements=statements,
        parties=parties,
        agreement=agreement,
    )


def release_meta(data: ElectionData, report: aggregate.Report, kind: str, simulated: bool) -> dict:
    return {
        **exporters.report_meta(report),
        "release": f"{kind}-{report.date_to.isoformat()}",
        "kind": kind,
        "simulated": simulated,
        "privacy": privacy.budget(len(data.statements), len(data.parties)),
    }


def render(data: ElectionData, report: aggregate.Report, kind: str, simulated: bool) -> str:
    meta = release_meta(data, report, kind, simulated)
    chunks = exporters.json_stream(meta, exporters.report_exporters(report))
    return b"".join(chunks).decode()


def make_releases(
    election: Election,
    data: ElectionData,
    today: datetime.date | None = None,
    simulated: bool = False,
) -> list[Release]:
    """Count every closed day of the election that has not been counted, and release it; return
    the new releases. Safe to run at any time and more than once: what exists stays as it is."""
    today = today or timezone.localdate()
    with transaction.atomic():
        Election.objects.select_for_update().filter(pk=election.pk).first()  # one run at a time
        start = first_day(election, simulated)
        if start is None or start >= today:
            return []
        counted = DayCount.objects.filter(election=election, simulated=simulated)
        done = set(counted.values_list("day", flat=True))
        missing = [day for day in _days(start, today - ONE_DAY) if day not in done]
        if not missing:
            return []
        tallies = aggregate.collect_days(data.slug, missing[0], missing[-1], simulated)
        statement_ids = [s.id for s in data.statements]
        DayCount.objects.bulk_create(
            DayCount(
                election=election,
                day=day,
                simulated=simulated,
                exact=(t := tallies.get(day, aggregate.Tallies())).to_json(),
                noisy=privacy.add_noise(
                    privacy.measure(statement_ids, data.party_slugs, t, data.scale)
                ),
            )
            for day in missing
        )
        if not simulated:
            _store_microdata(election, data, missing)
        releases = list(_render_new(election, data, counted.order_by("day"), missing, simulated))
        Release.objects.bulk_create(releases)
    return releases


def _store_microdata(election: Election, data: ElectionData, days: Sequence[datetime.date]) -> None:
    """Each of the closed `days` as a Parquet file of its real rows (`DayMicrodata`), from one
    query; a day without rows as an empty one. Nothing when the rows are of several shapes."""
    have = set(
        DayMicrodata.objects.filter(election=election, day__in=days).values_list("day", flat=True)
    )
    todo = [day for day in days if day not in have]
    if not todo:
        return
    exporter = exporters.MicrodataExporter(data, todo[0], todo[-1], days=Q(day__in=todo))
    files = exporter.day_files(exporters.README)
    if files is None:
        return
    written = {day: (rows, parquet) for day, rows, parquet in files}
    fingerprint = exporter.fingerprint(exporters.README)
    DayMicrodata.objects.bulk_create(
        DayMicrodata(
            election=election,
            day=day,
            fingerprint=fingerprint,
            rows=written.get(day, (0, b""))[0],
            parquet=written.get(day, (0, b""))[1],
        )
        for day in todo
    )


def _render_new(
    election: Election,
    data: ElectionData,
    counts: Iterable[DayCount],
    new_days: Sequence[datetime.date],
    simulated: bool,
) -> Iterable[Release]:
    new_days = set(new_days)
    so_far, exact_so_far = [], aggregate.Tallies()
    for day, noisy, exact in counts.values_list("day", "noisy", "exact"):
        so_far.append((day, noisy))
        exact_so_far.merge(aggregate.Tallies.from_json(exact))
        if day not in new_days:
            continue
        for kind, period, exact_counts in (
            (Release.Kind.DAY, so_far[-1:], exact),
            (Release.Kind.TO_DATE, so_far, exact_so_far.to_json()),
        ):
            report = release_report(data, period)
            yield Release(
                election=election,
                kind=kind,
                first_day=period[0][0],
                last_day=day,
                simulated=simulated,
                body=render(data, report, kind, simulated),
                exact=exact_counts,
            )


def parse_key(key: str) -> tuple[str, datetime.date] | None:
    """(kind, last day) of a release key such as `to-2026-03-17`; None if it is not one."""
    kind, _, day = key.partition("-")
    if kind not in Release.Kind.values:
        return None
    try:
        return kind, datetime.date.fromisoformat(day)
    except ValueError:
        return None


def noisy_days(release: Release) -> list[tuple[datetime.date, dict]]:
    rows = DayCount.objects.filter(
        election_id=release.election_id,
        simulated=release.simulated,
        day__range=(release.first_day, release.last_day),
    ).order_by("day")
    return list(rows.values_list("day", "noisy"))


def exact_tallies(release: Release) -> aggregate.Tallies:
    """The exact counts of a release's period, as stored with it (no scan)."""
    exact = Release.objects.filter(pk=release.pk).values_list("exact", flat=True).get()
    return aggregate.Tallies.from_json(exact)
