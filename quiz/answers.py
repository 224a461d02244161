"""The voter's answers, kept in the signed session cookie: no account, no database row."""

from dataclasses import dataclass, field

from .catalog import ElectionData

ANSWER_CHOICES = ("agree", "neutral", "disagree", "skip")
SESSION_KEY = "quiz"


@dataclass
class VoterAnswers:
    answers: dict[int, str] = field(default_factory=dict)
    important: set[int] = field(default_factory=set)
    parties: list[str] | None = None

    def values(self) -> dict[int, int | None]:
        from .scoring import ANSWER_VALUES

        return {sid: ANSWER_VALUES[answer] for sid, answer in self.answers.items()}

    def first_unanswered(self, election: ElectionData) -> int | None:
        for statement in election.statements:
            if statement.id not in self.answers:
                return statement.number
        return None

    def chosen_parties(self, election: ElectionData) -> list[str]:
        if self.parties is None:
            return list(election.party_slugs)
        return [slug for slug in election.party_slugs if slug in self.parties]


def load(session, election: ElectionData) -> VoterAnswers:
    """Read the stored answers, dropping anything that no longer fits the election."""
    raw = session.get(SESSION_KEY, {}).get(election.slug, {})
    ids = election.statement_ids
    answers = {}
    for key, value in raw.get("a", {}).items():
        if key.isdigit() and int(key) in ids and value in ANSWER_CHOICES:
            answers[int(key)] = value
    important = {i for i in raw.get("i", []) if isinstance(i, int) and i in ids}
    parties = raw.get("p")
    if parties is not None:
        parties = [slug for slug in parties if slug in election.party_slugs] or None
    return VoterAnswers(answers, important, parties)


def save(session, election: ElectionData, voter: VoterAnswers) -> None:
    stored = dict(session.get(SESSION_KEY, {}))
    stored[election.slug] = {
        "a": {str(k): v for k, v in voter.answers.items()},
        "i": sorted(voter.important),
        "p": voter.parties,
    }
    session[SESSION_KEY] = stored


def forget(session, election: ElectionData) -> None:
    stored = dict(session.get(SESSION_KEY, {}))
    stored.pop(election.slug, None)
    session[SESSION_KEY] = stored
