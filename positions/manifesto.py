"""Party programmes as text: cleaned, split into passages, and quotes shown with the same repairs.

Programmes arrive as text extracted from PDFs and web pages, and the extraction breaks things:
running page heads and footers with page numbers, words hyphenated at line ends, ligatures lost
(shown as U+FFFD: "�nanciële" for "financiële"), non-breaking and other odd spaces, web-page
leftovers, paragraphs cut by page breaks. The original text is never changed: a passage records
the 1-based lines of the original it was built from, and a stance quotes the original verbatim.
Everything here is a pure function of the text and a `Lexicon`; nothing touches the database.
"""

import functools
import gzip
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from itertools import product

import pypdf
from pypdf.errors import PyPdfError

REPLACEMENT = "\ufffd"
LIGATURES = ("fi", "ff", "fl", "ffi", "ffl")
MAX_HEADING = 300

# Lines a web page's chrome leaves behind (accessibility toggles, share buttons).
WEB_CHROME = frozenset(
    {"hoog contrast", "laag contrast", "lees voor", "voorlezen", "terug naar boven", "deel deze"}
)
# Words that follow a hyphen kept on purpose: "klimaat- of milieu-impact", "sociale- en".
_ELISION_FOLLOWERS = frozenset({"en", "of", "tot", "noch", "als", "dan", "maar", "en/of"})
_VOWELS = frozenset("aeiouyáéíóúàèäëïöüâêîôû")

_ODD_SPACES = re.compile(r"[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_LETTERS = r"(?:[^\W\d_]|\ufffd)"
_WORD = re.compile(rf"{_LETTERS}+")
_PLAIN_WORD = re.compile(r"[^\W\d_]+")
_INLINE_HYPHENATED = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_LINE_END_HYPHEN = re.compile(rf"({_LETTERS}+)-$")
_LEADING_WORD = re.compile(rf"^({_LETTERS}+)")
_BROKEN_WORDS = re.compile(rf"{_LETTERS}+-[ \t]*\n\s*{_LETTERS}+")
_SENTENCE_END = re.compile(r"[.!?;:…]['\"”’)\]]*$")
_BULLET = re.compile(r"^[•▪◦●■‣∙]\s*")
_RESOLUTION = re.compile(r"^\s*\d{1,4}\.\t")
_NUMBERED_HEADING = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s+\S")
_NUMBERED_ITEM = re.compile(r"^\d{1,3}\.(?:\d{1,3}\.?)*\s+\S|^\d{1,3}(?:\.\d{1,3})+\s+\S")
_STRAY_NUMBER = re.compile(r"^\d{1,2}$")
_NUMBER_FIRST = re.compile(r"^(\d{1,3}) (\S.*\S)$")
_NUMBER_LAST = re.compile(r"^(\S.*?\S) (\d{1,3})$")
_FOOTER_SEPARATOR = re.compile(r" [-–|] ")
_INNER_SENTENCE_END = re.compile(r"[^\W\d_]{2}[.!?] ")
# A label over a list, neither text nor a section heading.
_LABEL = re.compile(r"^(?:resoluties|voorstellen|maatregelen)\s*:?$", re.IGNORECASE)
# An editor's cross-reference left in the text after a sentence: "... humanitair recht. (1105)".
_CROSS_REFERENCE = re.compile(r"(?<=[.!?])\s*\(\d{2,4}\)")


def normalise_spaces(line: str) -> str:
    """One line with odd spaces made plain, invisible characters removed and runs collapsed."""
    line = _ODD_SPACES.sub(" ", _INVISIBLE.sub("", line))
    return _RUNS_OF_SPACES.sub(" ", line).strip()


def _clean_line(line: str) -> str:
    return _CROSS_REFERENCE.sub("", normalise_spaces(line)).strip()


def original_lines(text: str) -> list[str]:
    """The lines of a text as an editor counts them: split at newlines only."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def quote_of_lines(text: str, line_start: int, line_end: int) -> str:
    """The verbatim span of the original between two 1-based lines, outer whitespace trimmed."""
    lines = original_lines(text)[line_start - 1 : line_end]
    return "\n".join(lines).strip()


def location(line_start: int, line_end: int) -> str:
    """Lines as voters and editors read them: "regel 4", "regels 4-6"."""
    if line_start == line_end:
        return f"regel {line_start}"
    return f"regels {line_start}-{line_end}"


def locate_quote(text: str, quote: str) -> tuple[str, int, int] | None:
    """Where a quote stands verbatim in a text: the span as the text writes it, and its first and
    last 1-based line; None when it is not there.

    Verbatim as the seed loader checks it; only what a browser's form adds is forgiven: outer
    whitespace, and line ends sent as CRLF.
    """
    wanted = quote.replace("\r\n", "\n").strip()
    if not wanted:
        return None
    pattern = r"\r?\n".join(re.escape(line) for line in wanted.split("\n"))
    found = re.search(pattern, text)
    if found is None:
        return None
    line_start = text.count("\n", 0, found.start()) + 1
    return found.group(0), line_start, line_start + wanted.count("\n")


@functools.cache
def dutch_words() -> dict[str, int]:
    """A Dutch word list with frequencies (343k words, from the pyspellchecker package)."""
    data = (resources.files("spellchecker") / "resources" / "nl.json.gz").read_bytes()
    return json.loads(gzip.decompress(data))


class Lexicon:
    """The words known to be Dutch: those of the document itself plus a Dutch word list.

    Used to restore lost ligatures ("e�ciënte" -> "efficiënte") and to decide whether a word
    hyphenated at a line end is one word ("gezond-" / "heid") or keeps its hyphen ("EU-" / "landen",
    "klimaat-" / "of milieu-impact").
    """

    def __init__(self, text: str = "", dictionary: dict[str, int] | None = None):
        self.dictionary = dutch_words() if dictionary is None else dictionary
        whole = _BROKEN_WORDS.sub(" ", text)
        self.document = Counter(
            word.lower() for word in _WORD.findall(whole) if REPLACEMENT not in word
        )
        self.hyphenated = {w.lower() for w in _INLINE_HYPHENATED.findall(whole)}
        self._repairs: dict[str, str | None] = {}
        self._compounds: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        if REPLACEMENT in word:
            return self.restore(word) is not None
        word = word.lower()
        return word in self.document or word in self.dictionary

    def is_compound(self, word: str, parts: int = 3) -> bool:
        """Whether a word is made of known words ("reprografie" + "rechten"), Dutch-style."""
        word = word.lower()
        key = f"{parts}:{word}"
        if key not in self._compounds:
            self._compounds[key] = self._split(word, parts)
        return self._compounds[key]

    def _split(self, word: str, parts: int) -> bool:
        for i in range(3, len(word) - 3):
            head, tail = word[:i], word[i:]
            heads = [head] + ([head[:-1]] if head[-1] in "s" and len(head) > 3 else [])
            if not any(self._known_part(h) for h in heads):
                continue
            if self._known_part(tail) or (parts > 1 and self._split(tail, parts - 1)):
                return True
        return False

    def _known_part(self, part: str) -> bool:
        return len(part) >= 3 and (part in self.dictionary or self.document[part] > 1)

    def _score(self, candidate: str) -> tuple[int, int]:
        word = candidate.lower()
        if self.document[word]:
            return (3, self.document[word])
        if word in self.dictionary:
            return (2, self.dictionary[word])
        if self.is_compound(word):
            return (1, 0)
        return (0, 0)

    def restore(self, token: str) -> str | None:
        """The token with each U+FFFD replaced by the ligature that makes it a word, or None."""
        if token not in self._repairs:
            self._repairs[token] = self._restore(token)
        return self._repairs[token]

    def _restore(self, token: str) -> str | None:
        gaps = token.count(REPLACEMENT)
        if gaps == 0 or gaps > 3:
            return None
        upper = token.replace(REPLACEMENT, "").isupper()
        best, best_score = None, (0, 0)
        for choice in product(LIGATURES, repeat=gaps):
            candidate = token
            for ligature in choice:
                candidate = candidate.replace(
                    REPLACEMENT, ligature.upper() if upper else ligature, 1
                )
            score = self._score(candidate)
            if score > best_score:
                best, best_score = candidate, score
        return best


@dataclass
class Repairs:
    """What cleaning did to a text, to report after an import."""

    ligatures_repaired: int = 0
    ligatures_unrepaired: int = 0
    unrepaired_words: Counter = field(default_factory=Counter)
    hyphens_joined: int = 0
    hyphens_kept: int = 0
    lines_dropped: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Passage:
    order: int
    heading: str
    line_start: int
    line_end: int
    text: str


@dataclass(frozen=True)
class SplitDocument:
    passages: list[Passage]
    repairs: Repairs


def repair_ligatures(text: str, lexicon: Lexicon, repairs: Repairs | None = None) -> str:
    """Every U+FFFD restored to fi/ff/fl/ffi/ffl by the lexicon.

    A word the lexicon cannot settle gets "fi", the most frequent of the five, so no U+FFFD ever
    reaches a reader; it is counted as unrepaired.
    """

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if REPLACEMENT not in token:
            return token
        restored = lexicon.restore(token)
        gaps = token.count(REPLACEMENT)
        if restored is None:
            if repairs is not None:
                repairs.ligatures_unrepaired += gaps
                repairs.unrepaired_words[token] += 1
            return token.replace(REPLACEMENT, "fi")
        if repairs is not None:
            repairs.ligatures_repaired += gaps
        return restored

    return _WORD.sub(replace, text).replace(REPLACEMENT, "")


def _hyphen_joiner(left: str, right_line: str, lexicon: Lexicon) -> str:
    """How a word hyphenated at a line end meets the next line: "", "-" or "- "."""
    match = _LEADING_WORD.match(right_line)
    if not match:
        return "-"
    right = match.group(1)
    if right.lower() in _ELISION_FOLLOWERS:
        return "- "
    plain_left = left.replace(REPLACEMENT, "")
    if right[0].isupper() or (len(plain_left) > 1 and plain_left.isupper()):
        return "-"
    joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
    if hyphenated in lexicon.hyphenated and not lexicon.document[joined]:
        return "-"
    if lexicon.knows(joined):
        return ""
    if left[-1].lower() in _VOWELS and right[0].lower() in _VOWELS and lexicon.knows(left):
        return "-"
    return ""


def join_lines(lines: list[str], lexicon: Lexicon, repairs: Repairs | None = None) -> str:
    """Lines of one passage as running text, line-end hyphenation resolved."""
    text = ""
    for line in lines:
        if not line:
            continue
        if not text:
            text = line
            continue
        hyphen = _LINE_END_HYPHEN.search(text)
        if hyphen:
            joiner = _hyphen_joiner(hyphen.group(1), line, lexicon)
            if repairs is not None:
                if joiner:
                    repairs.hyphens_kept += 1
                else:
                    repairs.hyphens_joined += 1
            text = text[:-1] + joiner + line
        else:
            text = f"{text} {line}"
    return text


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and not any(c.islower() for c in letters)


def _running_head(line: str, isolated: bool) -> str | None:
    """The title part of a running page head or footer with its page number, else None."""
    for pattern, group in ((_NUMBER_FIRST, 2), (_NUMBER_LAST, 1)):
        match = pattern.match(line)
        if not match:
            continue
        title = match.group(group)
        if _is_caps(title) and len(title.split()) >= 2:
            return title
        footer = isolated and len(title) <= 80 and _FOOTER_SEPARATOR.search(title)
        if footer and not _ends_sentence(title):
            return title
    return None


def droppable_lines(lines: list[str]) -> dict[int, str]:
    """Indexes of normalised lines that are not text, with why: heads, footers, stray numbers."""
    dropped: dict[int, str] = {}
    titles = set()
    for i, line in enumerate(lines):
        if not line:
            continue
        isolated = (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1])
        title = _running_head(line, isolated)
        if title:
            dropped[i] = "running head"
            titles.add(title)
        elif _STRAY_NUMBER.match(line):
            dropped[i] = "stray number"
        elif line.lower() in WEB_CHROME:
            dropped[i] = "web leftover"
    for i, line in enumerate(lines):
        if i not in dropped and line in titles:
            dropped[i] = "running head"
    content = [i for i, line in enumerate(lines) if line and i not in dropped]
    # A web page's header image leaves its description just before the chapter number.
    if len(content) >= 1 and dropped.get(_next_nonblank(lines, content[0])) == "stray number":
        dropped[content[0]] = "web leftover"
    return dropped


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j]:
            return j
    return None


def _is_heading(lines: list[str]) -> bool:
    text = " ".join(lines)
    if not text or len(lines) > 4 or len(text) > 120 or any(len(line) > 90 for line in lines):
        return False
    if _BULLET.match(text) or _ends_sentence(text) or text.endswith(","):
        return False
    if any(mark in text for mark in ("#", "@", "http")):
        return False
    if _INNER_SENTENCE_END.search(text) and not _is_caps(text):
        return False
    return text[0].isupper() or text[0].isdigit()


def _continues(previous: list[str], following: list[str]) -> bool:
    """Whether a block separated by blank lines or a page break continues the previous sentence."""
    last, first = previous[-1], following[0]
    if _ends_sentence(last) or _BULLET.match(first) or _NUMBERED_ITEM.match(first):
        return False
    if first[0].islower():
        return True
    if _is_heading(previous) or _is_heading(following):
        return False
    return last.endswith((",", "-")) or len(last) >= 70


@dataclass
class _Heading:
    text: str
    kind: str  # "chapter", "plain" or "numbered"
    depth: int = 0


def _heading_path(path: list[_Heading], text: str, follows_heading: bool) -> list[_Heading]:
    """The headings a new one falls under: a chapter title, numbered levels, then itself.

    Programmes mark chapters differently: in capitals, or by a title page whose heading comes
    straight before the first section's. Numbered headings nest by their number.
    """
    numbered = _NUMBERED_HEADING.match(text)
    root = [path[0]] if path and path[0].kind != "numbered" else []
    if numbered:
        depth = numbered.group(1).count(".") + 1
        heading = _Heading(text, "numbered", depth)
        ancestors = [h for h in path if h.kind == "numbered" and h.depth < depth]
        return (root if depth > 1 else []) + ancestors + [heading]
    if _is_caps(text):
        return [_Heading(text, "chapter")]
    if follows_heading and path and path[-1].kind == "plain":
        return [_Heading(path[-1].text, "chapter"), _Heading(text, "plain")]
    return [h for h in root if h.kind == "chapter"] + [_Heading(text, "plain")]


class _Splitter:
    def __init__(self, raw: list[str], lexicon: Lexicon, repairs: Repairs):
        self.raw = raw
        self.lines = [_clean_line(line) for line in raw]
        self.lexicon = lexicon
        self.repairs = repairs
        self.path: list[_Heading] = []
        self.follows_heading = False
        self.passages: list[Passage] = []

    def blocks(self) -> list[list[int]]:
        dropped = droppable_lines(self.lines)
        for reason in dropped.values():
            self.repairs.lines_dropped[reason] += 1
        blocks: list[list[int]] = []
        current: list[int] = []
        for i, line in enumerate(self.lines):
            if line and i not in dropped:
                current.append(i)
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        merged: list[list[int]] = []
        for block in blocks:
            if merged and _continues(self._text(merged[-1]), self._text(block)):
                merged[-1] = merged[-1] + block
            else:
                merged.append(block)
        return merged

    def _text(self, indexes: list[int]) -> list[str]:
        return [self.lines[i] for i in indexes]

    def split(self) -> list[Passage]:
        for block in self.blocks():
            self._split_block(block)
        return self.passages

    def _split_block(self, block: list[int]) -> None:
        unit: list[int] = []
        j = 0
        while j < len(block):
            i = block[j]
            if unit and self._starts_unit(i, unit[-1], unit):
                self._flush(unit)
                unit = []
            if not unit:
                taken = self._leading_heading(block, j)
                if taken:
                    self._add_heading(block[j : j + taken])
                    j += taken
                    continue
            unit.append(i)
            j += 1
        self._flush(unit)

    def _starts_unit(self, i: int, previous: int, unit: list[int]) -> bool:
        line, before = self.lines[i], self.lines[previous]
        if _BULLET.match(line) or _RESOLUTION.match(self.raw[i]):
            return True
        if _is_caps(line) and len(line.split()) >= 3 and not _is_caps(before):
            return True
        after_sentence = _ends_sentence(before) or self._is_heading(unit)
        if not after_sentence:
            return False
        page_start = self.raw[i].startswith(" ") and not self.raw[i].startswith("  ")
        return bool(_NUMBERED_ITEM.match(line)) or page_start or len(before) > 200

    def _is_heading(self, unit: list[int]) -> bool:
        return not _RESOLUTION.match(self.raw[unit[0]]) and _is_heading(self._text(unit))

    def _leading_heading(self, block: list[int], j: int) -> int:
        """How many lines from block[j] on are a heading run into the text below it."""
        rest = block[j:]
        if len(rest) < 2:
            return 0
        caps = 0
        while caps < len(rest) and _is_caps(self.lines[rest[caps]]):
            if _ends_sentence(self.lines[rest[caps]]):
                return 0
            caps += 1
        if caps:
            return caps if caps < len(rest) or _is_heading(self._text(rest)) else 0
        first, second = self.lines[rest[0]], self.lines[rest[1]]
        short = len(first.split()) <= 4 and len(first) <= 40
        if short and _is_heading([first]) and second[0].isupper():
            return 1
        return 0

    def _add_heading(self, indexes: list[int]) -> None:
        text = repair_ligatures(
            join_lines(self._text(indexes), self.lexicon, self.repairs), self.lexicon, self.repairs
        )
        self.path = _heading_path(self.path, text, self.follows_heading)
        self.follows_heading = True

    def _flush(self, unit: list[int]) -> None:
        if not unit:
            return
        lines = self._text(unit)
        if _LABEL.match(" ".join(lines)):
            return
        if self._is_heading(unit):
            self._add_heading(unit)
            return
        text = join_lines(lines, self.lexicon, self.repairs)
        text = _BULLET.sub("", text).strip()
        text = repair_ligatures(text, self.lexicon, self.repairs)
        if not text:
            return
        heading = " › ".join(h.text for h in self.path)
        if len(heading) > MAX_HEADING:
            heading = heading[: MAX_HEADING - 1] + "…"
        self.follows_heading = False
        self.passages.append(
            Passage(len(self.passages) + 1, heading, unit[0] + 1, unit[-1] + 1, text)
        )


def split_passages(text: str, lexicon: Lexicon | None = None) -> SplitDocument:
    """The cleaned passages of a programme text, each with its heading and original lines."""
    lexicon = lexicon or Lexicon(text)
    repairs = Repairs()
    passages = _Splitter(original_lines(text), lexicon, repairs).split()
    return SplitDocument(passages, repairs)


_HYPHEN_AT_BREAK = re.compile(r"-[ \t]*\n")
_EMPTY_LEXICON = Lexicon(dictionary={})


@functools.cache
def _dictionary_lexicon() -> Lexicon:
    return Lexicon()


def clean_quote(text: str, lexicon: Lexicon | None = None) -> str:
    """A verbatim quote as a reader sees it, with the same repairs as the passages.

    The quote may span line breaks, hyphenations, a page head and lost ligatures.
    """
    if lexicon is None:
        # The word list costs tens of megabytes: load it only for a quote that needs it.
        needs_words = REPLACEMENT in text or _HYPHEN_AT_BREAK.search(text)
        lexicon = _dictionary_lexicon() if needs_words else _EMPTY_LEXICON
    lines = [_clean_line(line) for line in original_lines(text)]
    dropped = droppable_lines(lines) if len(lines) > 1 else {}
    kept = [line for i, line in enumerate(lines) if line and i not in dropped]
    joined = join_lines(kept, lexicon)
    return repair_ligatures(_BULLET.sub("", joined).strip(), lexicon)


class ManifestoError(ValueError):
    """A file that cannot be imported as a programme, with a message for the editor (in Dutch)."""


def read_text(data: bytes, filename: str) -> str:
    """The text of an uploaded programme: UTF-8 text as is, or the text of a PDF's pages."""
    if filename.lower().endswith(".pdf"):
        text = _pdf_text(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ManifestoError(f"geen UTF-8-tekst (byte {exc.start})") from None
        if "\x00" in text:
            raise ManifestoError("een binair bestand, geen tekst")
    if not text.strip():
        raise ManifestoError("leeg: er staat geen tekst in")
    return text


def _pdf_text(data: bytes) -> str:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = [] if encrypted else [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ManifestoError(f"geen leesbare PDF ({exc})") from None
    if encrypted:
        raise ManifestoError("een versleutelde PDF")
    return "\n".join(pages)
