"""How one completed quiz is packed into a row: a few bytes, so that a million rows stay small and
every aggregate is a single pass in SQL.

- `answers`: one byte per statement, in the order of the layout's statements: `a` agree,
  `n` neutral, `d` disagree, `s` skip, and on the 5-point scale `p` strongly agree, `m` strongly
  disagree; upper case when the voter marked it as mattering more.
- `scores`: two bytes per party (big-endian), in the order of the layout's parties: the score in
  hundredths of a point (0-10000), or `NO_SCORE` when the party had none (not chosen by the
  voter, or nothing to compare).
- `best`: the index of each party the voter was shown in first place, one byte each; more than
  one on a tie; none when no party was ranked (see `quiz.scoring.rank`).
"""

import struct
from collections.abc import Collection, Mapping, Sequence

ANSWER_CODES = {
    "agree": ord("a"),
    "neutral": ord("n"),
    "disagree": ord("d"),
    "skip": ord("s"),
    "strongly_agree": ord("p"),
    "strongly_disagree": ord("m"),
}
_BY_CODE = {code: answer for answer, code in ANSWER_CODES.items()}
IMPORTANT_BIT = 0x20  # ASCII case: `a` (0x61) is agree, `A` (0x41) is agree and important
CODES = tuple(ANSWER_CODES.values()) + tuple(c ^ IMPORTANT_BIT for c in ANSWER_CODES.values())
NO_SCORE = 0xFFFF
MAX_PARTIES = 255


def code(answer: str, important: bool) -> int:
    return ANSWER_CODES[answer] ^ (IMPORTANT_BIT if important else 0)


def decode(byte: int) -> tuple[str, bool]:
    """(answer, marked as mattering more) for one answer byte."""
    important = not byte & IMPORTANT_BIT
    return _BY_CODE[byte | IMPORTANT_BIT], important


def pack_answers(
    statement_ids: Sequence[int], answers: Mapping[int, str], important: Collection[int]
) -> bytes:
    """A statement without an answer (a reserve statement the voter was not asked) is packed as
    skipped."""
    return bytes(code(answers.get(sid, "skip"), sid in important) for sid in statement_ids)


def unpack_answers(blob: bytes) -> list[tuple[str, bool]]:
    return [decode(b) for b in blob]


def hundredths(score: float | None) -> int:
    return NO_SCORE if score is None else round(score * 100)


def pack_scores(party_slugs: Sequence[str], scores: Mapping[str, float | None]) -> bytes:
    return struct.pack(f">{len(party_slugs)}H", *(hundredths(scores.get(s)) for s in party_slugs))


def unpack_scores(blob: bytes) -> list[float | None]:
    values = struct.unpack(f">{len(blob) // 2}H", blob)
    return [None if v == NO_SCORE else v / 100 for v in values]


def pack_best(party_slugs: Sequence[str], scores: Mapping[str, float | None]) -> bytes:
    """The parties whose exact score is the highest; ties are decided here, before rounding."""
    if len(party_slugs) > MAX_PARTIES:
        raise ValueError(f"at most {MAX_PARTIES} parties can be recorded")
    scored = [(i, scores[s]) for i, s in enumerate(party_slugs) if scores.get(s) is not None]
    if not scored:
        return b""
    top = max(score for _, score in scored)
    return bytes(i for i, score in scored if score == top)


def pack_parties(party_slugs: Sequence[str], chosen: Collection[str]) -> bytes:
    """The indexes of `chosen` in the layout's parties, one byte each."""
    if len(party_slugs) > MAX_PARTIES:
        raise ValueError(f"at most {MAX_PARTIES} parties can be recorded")
    chosen = set(chosen)
    return bytes(i for i, slug in enumerate(party_slugs) if slug in chosen)
