"""A ballot day as a voter takes it: one quiz over several elections held on the same day.

The statements two or more of the day's elections ask (one id, shared in the admin) come first
and are answered once; each election's own statements follow as an optional extra round. A
voter's answers are kept in each election's own entry of the session (`quiz.answers`): an answer
to a shared statement goes into every election that asks it, so each election's result, version,
statistics flag and "coming back" work exactly as for a voter who came in through that election,
and each level is ranked by `quiz.results.build_result`, the single election's rule.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from positions import catalog
from positions.catalog import BallotDayData, ElectionData, StatementData
from positions.models import answers_for

from . import answers
from .answers import SHARE_CODES, UNANSWERED, InvalidShare, VoterAnswers
from .results import summary_text as text_of_result


@dataclass(frozen=True)
class Step:
    """One statement of the day: its place, the elections that ask it, its round ("" for the
    shared statements, else the slug of the one election that asks it) and the scale of its
    answers (`step_scale`)."""

    number: int
    statement: StatementData
    elections: tuple[str, ...]
    round: str
    scale: int = 3


def step_scale(elections: Sequence[ElectionData]) -> int:
    """The answer scale of a statement the `elections` ask: 5 points only when every one of them
    is on the 5-point scale, else 3.

    A day may mix scales (Europe on 5 points, the Chamber on 3). A statement is answered once
    for every election that asks it, and a 3-point election has no place for "helemaal eens":
    mapping it to "eens" there would score an answer the voter did not give, and keeping it
    would push a score out of its range. So a shared statement asked by a 3-point election is
    answered on 3 points everywhere, and each election's own statements on its own scale."""
    return 5 if elections and all(e.scale == 5 for e in elections) else 3


@dataclass(frozen=True)
class Plan:
    day: BallotDayData
    elections: tuple[ElectionData, ...]
    steps: tuple[Step, ...] = field(default=())

    @cached_property
    def version(self) -> str:
        """Everything a day's page depends on: the day's texts and each election's content."""
        return ":".join([self.day.version, *(e.version for e in self.elections)])

    @cached_property
    def scales(self) -> dict[int, int]:
        """The answer scale of each step's statement, by statement id."""
        return {s.statement.id: s.scale for s in self.steps}

    @cached_property
    def version_ids(self) -> tuple[int | None, ...]:
        return tuple(e.version_id for e in self.elections)

    def step(self, number: int) -> Step | None:
        return self.steps[number - 1] if 1 <= number <= len(self.steps) else None

    def election(self, slug: str) -> ElectionData:
        return next(e for e in self.elections if e.slug == slug)

    def round_steps(self, slug: str = "") -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.round == slug)

    def next_in_round(self, step: Step) -> Step | None:
        following = self.step(step.number + 1)
        return following if following is not None and following.round == step.round else None

    @property
    def rounds(self) -> tuple[tuple[ElectionData, tuple[Step, ...]], ...]:
        """Each election with its own statements, the optional extra rounds."""
        return tuple((e, steps) for e in self.elections if (steps := self.round_steps(e.slug)))


def plan(day: BallotDayData, elections: tuple[ElectionData, ...]) -> Plan:
    """The day's steps: the shared statements in the order of the first election asking them,
    then each election's own statements in its order, each on the scale of `step_scale`.
    Reserve statements are not asked on a ballot day."""
    asked_by: dict[int, list[str]] = {}
    for election in elections:
        for statement in election.regular:
            asked_by.setdefault(statement.id, []).append(election.slug)
    shared, own = [], []
    seen = set()
    for election in elections:
        for statement in election.regular:
            slugs = asked_by[statement.id]
            if len(slugs) > 1 and statement.id not in seen:
                seen.add(statement.id)
                shared.append((statement, tuple(slugs), ""))
            elif len(slugs) == 1:
                own.append((statement, (election.slug,), election.slug))
    by_slug = {e.slug: e for e in elections}
    steps = tuple(
        Step(number, statement, slugs, round_, step_scale([by_slug[s] for s in slugs]))
        for number, (statement, slugs, round_) in enumerate(shared + own, 1)
    )
    return Plan(day, elections, steps)


_plans: dict[tuple, Plan] = {}


def cached_plan(day: BallotDayData, elections: tuple[ElectionData, ...], language: str) -> Plan:
    """`plan()`, remembered per process: a statement step reads it on every request."""
    key = (day.version, language, tuple((e.slug, e.version_id, e.version) for e in elections))
    found = _plans.get(key)
    if found is None:
        if len(_plans) >= 256:
            _plans.clear()
        found = _plans[key] = plan(day, elections)
    return found


# --- the voter's answers, kept in each election's entry of the session ----------------------


def load(session, plan: Plan) -> VoterAnswers:
    """The voter's answers over the whole day (an election's entry wins for its own
    statements), each on its step's scale: a strong answer given on a 5-point election's own
    page to a statement a 3-point election asks too is not the day's answer to it; importance
    as marked in any election; the parties chosen in any election (None while the voter chose
    none anywhere, and compares with all of them)."""
    voter = VoterAnswers()
    scales = plan.scales
    for election in plan.elections:
        entry = answers.load(session, election)
        for statement_id, answer in entry.answers.items():
            if answer in answers_for(scales.get(statement_id, election.scale)):
                voter.answers.setdefault(statement_id, answer)
        voter.important |= entry.important
        if entry.parties is not None:
            voter.parties = (voter.parties or []) + entry.parties
    return voter


def answer(session, plan: Plan, step: Step, value: str, important: bool) -> None:
    """Store one answer in every election that asks the statement."""
    statement_id = step.statement.id
    for slug in step.elections:
        election = plan.election(slug)
        voter = answers.load(session, election)
        voter.answers[statement_id] = value
        voter.important.discard(statement_id)
        if important:
            voter.important.add(statement_id)
        answers.save(session, election, voter)


def party_names(plan: Plan) -> list[str]:
    """The names of the parties running at any level, each once, in alphabetical order."""
    return sorted({p.name for e in plan.elections for p in e.parties}, key=str.casefold)


def running(plan: Plan) -> dict[str, list[str]]:
    """Per party name, the names of the elections it runs in, when it does not run in all."""
    levels: dict[str, list[str]] = {}
    for election in plan.elections:
        for party in election.parties:
            levels.setdefault(party.name, []).append(election.name)
    return {name: found for name, found in levels.items() if len(found) < len(plan.elections)}


def chosen_names(plan: Plan, voter: VoterAnswers) -> list[str]:
    if voter.parties is None:
        return party_names(plan)
    chosen = set(voter.parties)
    return sorted({p.name for e in plan.elections for p in e.parties if p.slug in chosen})


def choose_parties(session, plan: Plan, names) -> None:
    """Keep the parties chosen by name in each election's entry: a voter thinks of "Vooruit",
    not of its European and federal rows. An election none of whose parties is chosen keeps all
    of them, so that each level still has a ranking."""
    for election in plan.elections:
        voter = answers.load(session, election)
        slugs = [p.slug for p in election.parties if p.name in names]
        voter.parties = slugs or None
        answers.save(session, election, voter)


def forget(session, plan: Plan) -> None:
    for election in plan.elections:
        answers.forget(session, election)


def level_voter(voter: VoterAnswers, election: ElectionData) -> VoterAnswers:
    """The day's answers as one election sees them, with the parties chosen in it (all of them
    when the voter chose none of its parties)."""
    ids = election.statement_ids
    return VoterAnswers(
        {sid: a for sid, a in voter.answers.items() if sid in ids},
        {sid for sid in voter.important if sid in ids},
        voter.chosen_parties(election) or None,
    )


def shared_done(plan: Plan, voter: VoterAnswers) -> bool:
    return all(s.statement.id in voter.answers for s in plan.round_steps())


def for_statistics(voter: VoterAnswers, election: ElectionData) -> VoterAnswers:
    """An election's entry as the statistics record it from a ballot day: the statements of an
    extra round the voter did not take count as skipped, which is what they are to the result."""
    filled = {s.id: voter.answers.get(s.id, "skip") for s in election.regular}
    return replace(voter, answers=filled, parties=None)


def first_unanswered(steps, voter: VoterAnswers) -> Step | None:
    return next((s for s in steps if s.statement.id not in voter.answers), None)


# --- results -----------------------------------------------------------------------------


def top_parties(levels) -> list[tuple[ElectionData, list[str]]]:
    """Per level (election, result), the names of the parties in first place."""
    return [
        (election, [r.party.name for r in result["results"] if r.rank == 1])
        for election, result in levels
    ]


def top_agreement(tops) -> str:
    """ "differs" when two levels have another first place, "same" when every level has the
    same one, else "" (a level ranks nobody yet). A party running at several levels is a Party
    row per level, so first places are compared by the party's name."""
    placed = [frozenset(names) for _, names in tops if names]
    if len(set(placed)) > 1:
        return "differs"
    if placed and len(placed) == len(tops) and len(tops) > 1:
        return "same"
    return ""


def summary_text(day: BallotDayData, results: list[dict], url: str) -> str:
    """The day's result as plain text: per election the lines of its own result's text (what
    the voter answered, the ranking, any tie), then the link that reproduces it all."""
    lines = [_("Mijn resultaat in de Stemhulp %(election)s") % {"election": day.name}]
    for result in results:
        own = text_of_result(result, url).split("\n")
        lines += ["", result["election"].name, *own[1:-1]]
    lines += ["", _("Bekijk het resultaat: %(url)s") % {"url": url}]
    return "\n".join(lines)


# --- share links ---------------------------------------------------------------------------


def share_query(plan: Plan, voter: VoterAnswers) -> str:
    """One letter per step of the day, the step numbers that matter more, the version of each
    election (0 for one served from live data) and, if the voter chose, the parties' slugs."""
    params = {
        "a": "".join(
            SHARE_CODES.get(voter.answers.get(s.statement.id), UNANSWERED) for s in plan.steps
        ),
        "v": ".".join(str(v or 0) for v in plan.version_ids),
    }
    important = [str(s.number) for s in plan.steps if s.statement.id in voter.important]
    if important:
        params["i"] = ".".join(important)
    running = [slug for e in plan.elections for slug in e.party_slugs]
    if voter.parties is not None and set(voter.parties) != set(running):
        params["p"] = ".".join(slug for slug in running if slug in voter.parties)
    return urlencode(params)


def shared_elections(current: tuple[ElectionData, ...], query) -> tuple[ElectionData, ...]:
    """The election versions a shared link names, in the day's order; InvalidShare if it names
    another number of elections or a version of another election."""
    given = query.get("v", "").split(".")
    if len(given) != len(current):
        raise InvalidShare(_("Deze link hoort bij een versie die niet bestaat."))
    elections = []
    for election, version in zip(current, given, strict=True):
        if not answers.is_id(version):
            raise InvalidShare(_("Deze link hoort bij een versie die niet bestaat."))
        if int(version) in (0, election.version_id):
            elections.append(election)
            continue
        shared = catalog.election_version(int(version))
        if shared is None or shared.slug != election.slug:
            raise InvalidShare(_("Deze link hoort bij een versie die niet bestaat."))
        elections.append(shared)
    return tuple(elections)


def from_share_query(plan: Plan, query) -> VoterAnswers:
    """Read a shared link of the day back; raise InvalidShare saying what does not fit. A strong
    answer ("A", "D") fits only a step on the 5-point scale (`step_scale`)."""
    codes = query.get("a", "")
    if len(codes) != len(plan.steps):
        raise InvalidShare(_("De link bevat niet voor elke stelling een antwoord."))
    voter = VoterAnswers()
    shared_codes = {code: value for value, code in SHARE_CODES.items()}
    for step, code in zip(plan.steps, codes, strict=True):
        if code == UNANSWERED:
            continue
        if shared_codes.get(code) not in answers_for(step.scale):
            raise InvalidShare(_("De link bevat een onbekend antwoord."))
        voter.answers[step.statement.id] = shared_codes[code]
    for number in filter(None, query.get("i", "").split(".")):
        step = plan.step(int(number)) if answers.is_id(number) else None
        if step is None:
            raise InvalidShare(_("De link noemt een stelling die niet bestaat."))
        voter.important.add(step.statement.id)
    if "p" in query:
        slugs = query["p"].split(".")
        running = {slug for e in plan.elections for slug in e.party_slugs}
        if not set(slugs) <= running or not any(slugs):
            raise InvalidShare(_("De link noemt een partij die niet meedoet."))
        voter.parties = slugs
    return voter
