"""The voter's answers, kept in the signed session cookie: no account, no database row."""

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from positions import catalog
from positions.catalog import ElectionData
from positions.models import answers_for


def is_id(text: str) -> bool:
    """Plain ASCII digits of a sane length: `"²".isdigit()` is true, yet `int("²")` fails."""
    return text.isascii() and text.isdigit() and len(text) <= 18


SESSION_KEY = "quiz"


@dataclass
class VoterAnswers:
    answers: dict[int, str] = field(default_factory=dict)
    important: set[int] = field(default_factory=set)
    parties: list[str] | None = None
    # This quiz run is in the statistics already: a refresh or Back does not count it again.
    recorded: bool = False
    # A random token for this run, never stored with the statistics: the server remembers for a
    # while which runs it counted, so replaying an old cookie does not count a result again.
    run: str = field(default_factory=lambda: secrets.token_hex(8))
    # The voter chose not to be counted in the statistics (before seeing the result).
    not_counted: bool = False
    # The reserve statements the voter agreed to answer to break a close race; [] when the voter
    # declined the offer, None when none was made.
    extra: list[int] | None = None

    def values(self) -> dict[int, int | None]:
        from .scoring import ANSWER_VALUES

        return {sid: ANSWER_VALUES[answer] for sid, answer in self.answers.items()}

    def asked(self, election: ElectionData):
        """The statements of this voter's run: the regular ones, then the reserve statements
        the voter agreed to or answered."""
        extra = set(self.extra or ()) | self.answers.keys()
        return tuple(
            s for s in election.statements if s.id not in election.reserve or s.id in extra
        )

    def first_unanswered(self, election: ElectionData) -> int | None:
        for statement in election.regular:
            if statement.id not in self.answers:
                return statement.number
        return None

    def chosen_parties(self, election: ElectionData) -> list[str]:
        if self.parties is None:
            return list(election.party_slugs)
        return [slug for slug in election.party_slugs if slug in self.parties]


# What one election's entry in the cookie holds, by key: the type each value must have.
_ENTRY_TYPES = {
    "a": dict,
    "i": list,
    "p": (list, type(None)),
    "r": bool,
    "n": str,
    "v": (int, type(None)),
    "x": bool,
    "e": (list, type(None)),
}
_MAX_ID = 2**63 - 1


def _stored(session) -> dict:
    """The quiz part of the session, with every entry of an unexpected shape left out.

    The cookie is signed, so only this server wrote it, but perhaps an older release in another
    format: whatever does not fit is dropped and that voter starts afresh, never a server error."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    return {slug: entry for slug, entry in stored.items() if _fits(entry)}


def _entry(session, slug: str) -> dict:
    """One election's entry of the quiz part of the session, or {} when it does not fit."""
    stored = session.get(SESSION_KEY)
    entry = stored.get(slug) if isinstance(stored, dict) else None
    return entry if _fits(entry) else {}


def has_started(session, slug: str) -> bool:
    """Whether this voter has answers or choices stored for the election at `slug`."""
    return bool(_entry(session, slug))


def _fits(entry) -> bool:
    if not isinstance(entry, dict):
        return False
    for key, value in entry.items():
        expected = _ENTRY_TYPES.get(key)
        if expected is None or not isinstance(value, expected):
            return False
    version = entry.get("v")
    if version is not None and (isinstance(version, bool) or not 0 < version <= _MAX_ID):
        return False
    parties = entry.get("p")
    return parties is None or all(isinstance(slug, str) for slug in parties)


def load(session, election: ElectionData) -> VoterAnswers:
    """Read the stored answers, dropping anything that no longer fits the election."""
    raw = _entry(session, election.slug)
    ids = election.statement_ids
    answers = {}
    choices = answers_for(election.scale)
    for key, value in raw.get("a", {}).items():
        if is_id(key) and int(key) in ids and value in choices:
            answers[int(key)] = value
    important = {i for i in raw.get("i", []) if isinstance(i, int) and i in ids}
    parties = raw.get("p")
    if parties is not None:
        parties = [slug for slug in parties if slug in election.party_slugs] or None
    extra = raw.get("e")
    if extra is not None:
        extra = [i for i in extra if isinstance(i, int) and i in election.reserve]
    voter = VoterAnswers(answers, important, parties, raw.get("r") is True, extra=extra)
    voter.not_counted = raw.get("x") is True
    if len(raw.get("n", "")) == 16:
        voter.run = raw["n"]
    return voter


def save(session, election: ElectionData, voter: VoterAnswers) -> None:
    stored = _stored(session)
    stored[election.slug] = {
        "a": {str(k): v for k, v in voter.answers.items()},
        "i": sorted(voter.important),
        "p": voter.parties,
        "r": voter.recorded,
        "n": voter.run,
        "v": election.version_id,
    }
    if voter.not_counted:
        stored[election.slug]["x"] = True
    if voter.extra is not None:
        stored[election.slug]["e"] = voter.extra
    session[SESSION_KEY] = stored


def started_election(session, current: ElectionData) -> ElectionData:
    """The frozen version of this election the voter answered on, else `current`.

    Only a version of the same election counts: a cookie naming another election's version must
    not serve that election's statements under this address."""
    version_id = _entry(session, current.slug).get("v")
    if version_id is None or version_id == current.version_id:
        return current
    started = catalog.election_version(version_id)
    return started if started is not None and started.slug == current.slug else current


def forget(session, election: ElectionData) -> None:
    stored = _stored(session)
    stored.pop(election.slug, None)
    session[SESSION_KEY] = stored


SEED_KEY = "order_seed"


def order_seed(session) -> str:
    """A random value kept in the session, so a voter sees one party order throughout."""
    if not isinstance(session.get(SEED_KEY), str):
        session[SEED_KEY] = secrets.token_hex(8)
    return session[SEED_KEY]


# A result travels in its link, not in a database: one letter per statement in the editors'
# order, the numbers of the statements that matter more, and the chosen parties.
SHARE_CODES = {
    "agree": "a",
    "neutral": "n",
    "disagree": "d",
    "skip": "s",
    "strongly_agree": "A",
    "strongly_disagree": "D",
}
_SHARE_ANSWERS = {code: answer for answer, code in SHARE_CODES.items()}
UNANSWERED = "-"


class InvalidShare(ValueError):
    pass


def share_query(election: ElectionData, voter: VoterAnswers) -> str:
    """The query string of a link that reproduces this voter's result."""
    params = {
        "a": "".join(
            SHARE_CODES.get(voter.answers.get(s.id), UNANSWERED) for s in election.statements
        )
    }
    important = [str(s.number) for s in election.statements if s.id in voter.important]
    if important:
        params["i"] = ".".join(important)
    chosen = voter.chosen_parties(election)
    if len(chosen) < len(election.parties):
        params["p"] = ".".join(chosen)
    if election.version_id:
        params["v"] = str(election.version_id)
    return urlencode(params)


def from_share_query(election: ElectionData, query) -> VoterAnswers:
    """Read a shared link's answers back; raise InvalidShare saying what does not fit."""
    codes = query.get("a", "")
    if len(codes) != len(election.statements):
        raise InvalidShare(_("De link bevat niet voor elke stelling een antwoord."))
    voter = VoterAnswers()
    choices = answers_for(election.scale)
    for statement, code in zip(election.statements, codes, strict=True):
        if code == UNANSWERED:
            continue
        if _SHARE_ANSWERS.get(code) not in choices:
            raise InvalidShare(_("De link bevat een onbekend antwoord."))
        voter.answers[statement.id] = _SHARE_ANSWERS[code]
    for number in filter(None, query.get("i", "").split(".")):
        statement = election.statement(int(number)) if is_id(number) else None
        if statement is None:
            raise InvalidShare(_("De link noemt een stelling die niet bestaat."))
        voter.important.add(statement.id)
    if "p" in query:
        slugs = query["p"].split(".")
        if not set(slugs) <= set(election.party_slugs) or not any(slugs):
            raise InvalidShare(_("De link noemt een partij die niet meedoet."))
        voter.parties = slugs
    return voter
