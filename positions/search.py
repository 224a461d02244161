"""Finding the passages of a party's programmes that speak to a statement.

On PostgreSQL the ranking is its Dutch full-text search over `heading || ' ' || text`, exactly the
expression of the GIN index in migration 0002, so the index serves the match. Elsewhere (SQLite)
the same job is done in Python: BM25 over the party's passages with the Dutch Snowball stemmer,
Dutch stop words and accents folded. Both return the same `Match` rows, best first.
"""

import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Func

from .models import Election, ManifestoDocument, Party, Passage

# Snowball's Dutch stop word list, accents folded.
_SNOWBALL_DUTCH_STOP_WORDS = """
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens
en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je
kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons
ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie
wil worden wordt zal ze zelf zich zij zijn zo zonder zou
"""
STOP_WORDS = frozenset(_SNOWBALL_DUTCH_STOP_WORDS.split())
_TOKEN = re.compile(r"[a-z0-9]+")
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Match:
    passage_id: int
    document_id: int
    document: str
    heading: str
    line_start: int
    line_end: int
    text: str
    score: float

    def as_json(self) -> dict:
        return {
            "document": self.document,
            "heading": self.heading,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "text": self.text,
        }


def fold(text: str) -> str:
    """Lower case without accents: "Financiële" -> "financiele"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_stemmer = snowballstemmer.stemmer("dutch")
_stemmer_lock = threading.Lock()


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    with _stemmer_lock:  # a Snowball stemmer object keeps state between calls
        return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """The search terms of a text: folded, stop words dropped, stemmed."""
    return [_stem(w) for w in _TOKEN.findall(fold(text)) if w not in STOP_WORDS]


def find_passages(
    party: Party, query: str, election: Election | None = None, limit: int = 5
) -> list[Match]:
    """The `limit` passages of the party's programmes that best match the query, best first.

    With an election, only when the party takes part in it.
    """
    if election is not None and not election.parties.filter(pk=party.pk).exists():
        return []
    if not terms(query) or limit < 1:
        return []
    passages = Passage.objects.filter(document__party=party)
    if connection.vendor == "postgresql":
        return _postgres_search(passages, query, limit)
    return _bm25_search(party, query, limit)


class PassageVector(SearchVector):
    """`to_tsvector('dutch', heading || ' ' || text)`, the indexed expression, without the
    COALESCE that SearchVector adds (both columns are NOT NULL), so the GIN index matches."""

    def as_sql(self, compiler, connection, function=None, template=None):
        config_sql, config_params = compiler.compile(self.config)
        sql, params = Func.as_sql(
            self,
            compiler,
            connection,
            function=function,
            template="%(function)s(%(config)s, %(expressions)s)",
            config=config_sql,
        )
        return sql, [*config_params, *params]


def _postgres_search(passages, query: str, limit: int) -> list[Match]:
    # Any word may match: websearch syntax, which never fails on odd input, with "or" between.
    words = [w for w in re.findall(r"\w+", query.lower()) if w != "or"]
    tsquery = SearchQuery(" or ".join(words), search_type="websearch", config="dutch")
    vector = PassageVector("heading", "text", config="dutch")
    rows = (
        passages.alias(search=vector)
        .filter(search=tsquery)
        .annotate(rank=SearchRank(vector, tsquery, normalization=1))
        .select_related("document")
        .defer("document__original_text")
        .order_by("-rank", "document_id", "order")[:limit]
    )
    return [_match(p, p.rank) for p in rows]


def _match(passage: Passage, score: float) -> Match:
    return Match(
        passage.pk,
        passage.document_id,
        passage.document.title,
        passage.heading,
        passage.line_start,
        passage.line_end,
        passage.text,
        round(float(score), 6),
    )


@dataclass(frozen=True)
class _Index:
    matches: tuple[Match, ...]
    frequencies: tuple[Counter, ...]
    lengths: tuple[int, ...]
    document_frequency: Counter
    average_length: float


_indexes: dict[int, tuple[tuple, _Index]] = {}
_indexes_lock = threading.Lock()


def _party_index(party: Party) -> _Index:
    """The party's passages, tokenised once and kept until one of its documents changes."""
    version = tuple(
        ManifestoDocument.objects.filter(party=party)
        .order_by("pk")
        .values_list("pk", "sha256", "imported_at")
    )
    with _indexes_lock:
        cached = _indexes.get(party.pk)
    if cached and cached[0] == version:
        return cached[1]
    matches, frequencies = [], []
    for passage in (
        Passage.objects.filter(document__party=party)
        .select_related("document")
        .defer("document__original_text")  # 650 kB per row otherwise
        .order_by("document_id", "order")
    ):
        matches.append(_match(passage, 0.0))
        frequencies.append(Counter(terms(f"{passage.heading} {passage.text}")))
    lengths = tuple(sum(f.values()) for f in frequencies)
    document_frequency = Counter(term for f in frequencies for term in f)
    index = _Index(
        tuple(matches),
        tuple(frequencies),
        lengths,
        document_frequency,
        (sum(lengths) / len(lengths)) if lengths else 0.0,
    )
    with _indexes_lock:
        if len(_indexes) >= 32:
            _indexes.clear()
        _indexes[party.pk] = (version, index)
    return index


def _bm25_search(party: Party, query: str, limit: int) -> list[Match]:
    index = _party_index(party)
    total = len(index.matches)
    scores: list[tuple[float, int]] = []
    query_terms = set(terms(query))
    weights = {
        t: math.log(
            1 + (total - index.document_frequency[t] + 0.5) / (index.document_frequency[t] + 0.5)
        )
        for t in query_terms
        if index.document_frequency[t]
    }
    if not weights:
        return []
    for i, frequency in enumerate(index.frequencies):
        score = 0.0
        norm = K1 * (1 - B + B * index.lengths[i] / index.average_length)
        for term, weight in weights.items():
            tf = frequency.get(term)
            if tf:
                score += weight * tf * (K1 + 1) / (tf + norm)
        if score > 0:
            scores.append((score, i))
    scores.sort(key=lambda pair: (-pair[0], pair[1]))
    return [replace(index.matches[i], score=round(score, 6)) for score, i in scores[:limit]]
