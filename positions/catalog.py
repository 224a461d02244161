"""Published elections as voters see them, read once and then served from the cache.

A voter's statement step must not touch the database, so each published election is loaded into
plain frozen data and cached. Its cache key holds a generation token of that election, and every
save or delete of its content replaces the token once the transaction commits, so an edit in the
admin is visible on the next request, and a change to one election leaves the others cached.
Invalidating on commit (not on save) matters: a voter request between the save and the commit
would read the old rows and cache them under the new token. Tokens are random, never a counter,
so a token lost with the cache (eviction, a restart) cannot come back and revive old entries.

Bulk `QuerySet.update()` sends no signals: call `invalidate()` or `invalidate(election)` after one.

An election published through the editorial workflow is served from its frozen version
(`positions.ElectionVersion`), not from the live rows: edits reach voters only as a new version.
Versions never change, so `election_version()` caches them by id without a generation, and a
voter who started on an older version can finish on it.

A published ballot day (`published_ballot_day()`) is cached the same way, under the generations of
all elections' list and of the ballot days, so saving a day or an election (its day, its status)
reaches voters on the next request.
"""

import datetime
import hashlib
import random
import secrets
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import snapshots
from .models import (
    BallotDay,
    BallotDayTranslation,
    Election,
    ElectionTranslation,
    ElectionVersion,
    ManifestoDocument,
    Party,
    Stance,
    StanceTranslation,
    Statement,
    StatementTranslation,
    Theme,
    ThemeTranslation,
)

EPOCH_KEY = "catalog:epoch"  # every election and the list
LIST_KEY = "catalog:generation:elections"  # the list of published elections
DAYS_KEY = "catalog:generation:ballot-days"  # every ballot day and their list
TIMEOUT = 60 * 60
# A party is ranked when compared on at least this share of the answers (the model's default).
DEFAULT_THRESHOLD = 0.5
# Reserve statements are offered when the top two are at most this many points apart (the default).
DEFAULT_MARGIN = 5


@dataclass(frozen=True)
class StatementText:
    """An editor's translation of a statement into French or English."""

    title: str
    text: str
    explanation: str


@dataclass(frozen=True)
class StatementData:
    id: int
    number: int
    title: str
    text: str
    explanation: str
    theme: str
    axis: str = ""
    axis_direction: int = 1
    translations: dict[str, StatementText] = field(default_factory=dict)
    theme_translations: dict[str, str] = field(default_factory=dict)
    # Fields shown in Dutch because the voter's language has no translation for them.
    fallback: frozenset[str] = frozenset()

    def localized(self, language: str) -> "StatementData":
        """This statement in `language`, each missing text in Dutch and named in `fallback`."""
        if language == "nl":
            return self
        fallback = set()
        translation = self.translations.get(language)
        if translation is None:
            translation = StatementText(self.title, self.text, "")
            fallback |= {"title", "text"}
        explanation = translation.explanation
        if not explanation and self.explanation:
            explanation = self.explanation
            fallback.add("explanation")
        theme = self.theme_translations.get(language)
        if theme is None:
            theme = self.theme
            fallback.add("theme")
        return replace(
            self,
            title=translation.title,
            text=translation.text,
            explanation=explanation,
            theme=theme,
            fallback=frozenset(fallback),
        )


@dataclass(frozen=True)
class PartyData:
    slug: str
    name: str
    short_name: str
    colour: str
    website: str


@dataclass(frozen=True)
class StanceData:
    position: str
    explanation: str
    document: str
    quote: str
    location: str
    # The party's explanation as editors translated it, by language.
    translations: dict[str, str] = field(default_factory=dict)
    # Fields shown in Dutch because the voter's language has no translation for them.
    fallback: frozenset[str] = frozenset()
    # Where the stance comes from (`positions.models.Origin`): "editors", "party" (the party
    # gave it in the party round) or "confirmed" (the party confirmed the editors' coding).
    # Left out of the repr, so that an election coded by the editors alone keeps the
    # fingerprint it had before origins existed; `ElectionData.version` adds the others.
    origin: str = field(default="editors", repr=False)

    @property
    def has_source(self) -> bool:
        return bool(self.quote)

    @property
    def by_party(self) -> bool:
        """The party gave or confirmed this stance: voters see "Door de partij bevestigd"."""
        return self.origin != "editors"

    def localized(self, language: str) -> "StanceData":
        """This stance in `language`: the explanation translated, or in Dutch and named in
        `fallback`. The quote stays as the party wrote it."""
        if language == "nl" or not self.explanation:
            return self
        translated = self.translations.get(language)
        if translated:
            return replace(self, explanation=translated)
        return replace(self, fallback=frozenset({"explanation"}))


NO_STANCE = StanceData("none", "", "", "", "")


@dataclass(frozen=True)
class ElectionText:
    """An editor's translation of an election's own texts into French or English."""

    name: str
    intro: str = ""
    axis_x_label: str = ""
    axis_y_label: str = ""


ELECTION_TEXTS = ("name", "intro", "axis_x_label", "axis_y_label")


@dataclass(frozen=True)
class ElectionData:
    slug: str
    name: str
    date: datetime.date
    intro: str
    method: str
    statements: tuple[StatementData, ...]
    parties: tuple[PartyData, ...]
    stances: dict[tuple[int, str], StanceData] = field(default_factory=dict)
    party_order: str = "alphabetical"
    axis_x_label: str = ""
    axis_y_label: str = ""
    ranking_threshold: float = DEFAULT_THRESHOLD
    # Reserve statements (ids): left out of the normal run, offered to break a close race; they
    # come after the others in `statements`.
    reserve: frozenset[int] = frozenset()
    tie_break_margin: int = DEFAULT_MARGIN
    # 3: agree, neutral, disagree; 5: strongly agree .. strongly disagree.
    scale: int = 3
    # Below this many answers the result warns; None: half the regular statements.
    min_answers: int | None = None
    # The frozen `ElectionVersion` this data was read from; None for live data.
    version_id: int | None = None
    translations: dict[str, ElectionText] = field(default_factory=dict)
    # Fields shown in Dutch because the voter's language has no translation for them.
    fallback: frozenset[str] = frozenset()

    @cached_property
    def version(self) -> str:
        """A short fingerprint of everything a voter's result and pages depend on, in every
        language: stored pages are keyed by it, so a changed translation changes it too."""
        texts = tuple(getattr(self, name) for name in ELECTION_TEXTS)
        translations = sorted(self.translations.items())
        content = repr(
            (
                self.method,
                self.statements,
                self.parties,
                sorted(self.stances.items()),
                texts,
                self.date,
                translations,
            )
        )
        if self.ranking_threshold != DEFAULT_THRESHOLD:
            content += f"|threshold={self.ranking_threshold}"
        # Added only when set, so that an election without them keeps its fingerprint.
        if self.reserve:
            content += f"|reserve={sorted(self.reserve)}"
        if self.tie_break_margin != DEFAULT_MARGIN:
            content += f"|margin={self.tie_break_margin}"
        if self.min_answers is not None:
            content += f"|min_answers={self.min_answers}"
        if self.scale != 3:
            content += f"|scale={self.scale}"
        origins = sorted((key, s.origin) for key, s in self.stances.items() if s.by_party)
        if origins:
            content += f"|origins={origins}"
        return hashlib.sha256(content.encode()).hexdigest()[:12]

    @cached_property
    def statement_ids(self) -> frozenset[int]:
        return frozenset(s.id for s in self.statements)

    @cached_property
    def regular(self) -> tuple[StatementData, ...]:
        """The statements of the normal run: all but the reserve statements."""
        return tuple(s for s in self.statements if s.id not in self.reserve)

    @cached_property
    def party_slugs(self) -> tuple[str, ...]:
        return tuple(p.slug for p in self.parties)

    def localized(self, language: str) -> "ElectionData":
        """The voter's view in `language`: translated where editors did, Dutch elsewhere."""
        if language == "nl":
            return self
        copies = self.__dict__.setdefault("_localized", {})
        if language not in copies:
            copy = replace(
                self,
                statements=tuple(s.localized(language) for s in self.statements),
                stances={key: s.localized(language) for key, s in self.stances.items()},
                **self._texts(language),
            )
            copy.__dict__["version"] = self.version  # same content, same fingerprint
            copies[language] = copy
        return copies[language]

    def _texts(self, language: str) -> dict:
        """The election's own texts in `language`, each missing one in Dutch and in `fallback`."""
        translation = self.translations.get(language) or ElectionText("")
        texts = {}
        for name in ELECTION_TEXTS:
            texts[name] = getattr(translation, name) or getattr(self, name)
        fallback = {
            name
            for name in ELECTION_TEXTS
            if getattr(self, name) and not getattr(translation, name)
        }
        return texts | {"fallback": frozenset(fallback)}

    def parties_in_order(self, seed: str) -> tuple[PartyData, ...]:
        """The parties in the election's neutral order: by name, or shuffled once per voter."""
        if self.party_order != "random":
            return self.parties
        parties = list(self.parties)
        random.Random(f"{self.slug}:{seed}").shuffle(parties)
        return tuple(parties)

    def statement(self, number: int) -> StatementData | None:
        if 1 <= number <= len(self.statements):
            return self.statements[number - 1]
        return None

    def stance(self, statement_id: int, party_slug: str) -> StanceData:
        return self.stances.get((statement_id, party_slug), NO_STANCE)


def _election_key(slug: str) -> str:
    return f"catalog:generation:election:{slug}"


def _token() -> str:
    return secrets.token_hex(8)


def _generations(*keys: str) -> str:
    """The current tokens of `keys` as one key part; a lost token is replaced by a new one."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, _token(), timeout=None)
    if missing:
        found |= cache.get_many(missing)
    return ":".join(str(found.get(key)) for key in keys)


def _bump(slugs, elections_list: bool = False) -> None:
    tokens = {_election_key(slug): _token() for slug in slugs}
    if elections_list:
        tokens[LIST_KEY] = _token()
    if tokens:
        cache.set_many(tokens, timeout=None)


def invalidate(election: Election | str | None = None, *, using: str | None = None) -> None:
    """Forget the cached data of one election (by instance or slug), or of all, on commit."""
    if election is None:
        transaction.on_commit(lambda: cache.set(EPOCH_KEY, _token(), timeout=None), using=using)
    else:
        slug = election if isinstance(election, str) else election.slug
        transaction.on_commit(partial(_bump, {slug}, elections_list=True), using=using)


def load(election: Election) -> ElectionData:
    """Build the voter's view of one election in eight queries."""
    rows = list(
        Statement.objects.for_election(election)
        .select_related("theme")
        .prefetch_related("translations", "theme__translations")
        .order_by("reserve", "order", "pk")
    )
    statements = tuple(
        StatementData(
            s.id,
            n,
            s.title,
            s.text,
            s.explanation,
            s.theme.name,
            s.axis,
            s.axis_direction,
            {
                t.language: StatementText(t.title, t.text, t.explanation)
                for t in s.translations.all()
            },
            {t.language: t.name for t in s.theme.translations.all()},
        )
        for n, s in enumerate(rows, 1)
    )
    reserve = frozenset(s.id for s in rows if s.reserve)
    parties = tuple(
        PartyData(p.slug, p.name, p.short_name, p.colour, p.website)
        for p in election.parties.order_by("name")
    )
    stances = {
        (st.statement_id, st.party.slug): StanceData(
            st.position,
            st.explanation,
            st.document.title if st.document else "",
            st.shown_quote,  # the verbatim quote without extraction artefacts
            st.location,
            {t.language: t.explanation for t in st.translations.all()},
            origin=st.origin,
        )
        for st in Stance.objects.for_election(election)
        .select_related("party", "document")
        .prefetch_related("translations")
        .defer("document__original_text")
    }
    return ElectionData(
        election.slug,
        election.name,
        election.date,
        election.intro,
        election.method,
        statements,
        parties,
        stances,
        election.party_order,
        election.axis_x_label,
        election.axis_y_label,
        float(election.ranking_threshold),
        reserve=reserve,
        tie_break_margin=election.tie_break_margin,
        min_answers=election.min_answers,
        scale=election.scale,
        translations={
            t.language: ElectionText(t.name, t.intro, t.axis_x_label, t.axis_y_label)
            for t in election.translations.all()
        },
    )


# Election data already read in this process, by cache key. A key names one generation or one
# frozen version, so an entry never goes stale; the dict only saves unpickling (and the version
# fingerprint) on every request.
_memo: dict[str, ElectionData] = {}
MEMO_SIZE = 256


def _cached(key: str, build) -> ElectionData | None:
    data = _memo.get(key)
    if data is None:
        data = cache.get(key)
        if data is None:
            data = build()
            if data is None:
                return None
            cache.set(key, data, TIMEOUT)
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[key] = data
    return data


def forget_local() -> None:
    """Drop what this process remembers (the shared cache is left as it is)."""
    _memo.clear()


def published_election(slug: str) -> ElectionData | None:
    def build():
        election = (
            Election.objects.published()
            .filter(slug=slug)
            .select_related("published_version")
            .first()
        )
        if election is None:
            return None
        if election.published_version_id:
            return _thaw(election.published_version)
        return load(election)

    key = f"catalog:{_generations(EPOCH_KEY, _election_key(slug))}:election:{slug}"
    return _cached(key, build)


def _thaw(version: ElectionVersion) -> ElectionData:
    return replace(snapshots.decode(ElectionData, version.data), version_id=version.pk)


def election_version(version_id: int) -> ElectionData | None:
    """One frozen version of an election, by id; immutable, so cached without a generation."""

    def build():
        version = ElectionVersion.objects.filter(pk=version_id).first()
        return None if version is None else _thaw(version)

    return _cached(f"catalog:version:{version_id}", build)


def draft_election(slug: str) -> ElectionData | None:
    """An unpublished election as voters would see it, for an editor's preview; not cached."""
    election = Election.objects.filter(slug=slug, status=Election.Status.DRAFT).first()
    return load(election) if election else None


def published_elections() -> list[dict]:
    """Slug, name, date and intro of each published election, with `names`: the name by
    language where editors translated it."""

    def build():
        elections = list(Election.objects.published().values("pk", "slug", "name", "date", "intro"))
        names = {e["pk"]: {} for e in elections}
        for pk, language, name in ElectionTranslation.objects.filter(
            election__in=names
        ).values_list("election", "language", "name"):
            names[pk][language] = name
        return [e | {"names": names[e["pk"]]} for e in elections]

    return _cached(f"catalog:{_generations(EPOCH_KEY, LIST_KEY)}:elections", build)


@dataclass(frozen=True)
class BallotDayText:
    """An editor's translation of a ballot day's name and introduction."""

    name: str
    intro: str = ""


DAY_TEXTS = ("name", "intro")


@dataclass(frozen=True)
class BallotDayData:
    """A published ballot day: its own texts and the slugs of its published elections.

    What the elections ask, and which statements they share, is read from each election's own
    data (a statement id in two elections is shared), so a voter who started on older versions
    sees the day as those versions had it."""

    slug: str
    name: str
    date: datetime.date
    intro: str
    elections: tuple[str, ...]
    translations: dict[str, BallotDayText] = field(default_factory=dict)
    # Texts shown in Dutch because the voter's language has no translation for them.
    fallback: frozenset[str] = frozenset()

    @cached_property
    def version(self) -> str:
        """The day's own content in every language: the stored pages of a day are keyed by it."""
        translations = sorted(self.translations.items())
        content = repr((self.slug, self.name, self.date, self.intro, self.elections, translations))
        return hashlib.sha256(content.encode()).hexdigest()[:12]

    def localized(self, language: str) -> "BallotDayData":
        """The day's name and introduction in `language`, each missing one in Dutch and named
        in `fallback`; the fingerprint stays the Dutch original's."""
        if language == "nl":
            return self
        translation = self.translations.get(language) or BallotDayText("")
        texts = {name: getattr(translation, name) or getattr(self, name) for name in DAY_TEXTS}
        fallback = {n for n in DAY_TEXTS if getattr(self, n) and not getattr(translation, n)}
        copy = replace(self, **texts, fallback=frozenset(fallback))
        copy.__dict__["version"] = self.version
        return copy


def _day_key(what: str) -> str:
    return f"catalog:{_generations(EPOCH_KEY, LIST_KEY, DAYS_KEY)}:{what}"


def _day_data(days, slugs: dict[int, list[str]]) -> list[BallotDayData]:
    """The published days among `days` with at least one published election in `slugs`, with
    their translations (one query)."""
    days = [d for d in days if slugs.get(d.pk)]
    translations: dict[int, dict[str, BallotDayText]] = {d.pk: {} for d in days}
    rows = BallotDayTranslation.objects.filter(day__in=translations).order_by("language")
    for day_id, language, name, intro in rows.values_list("day", "language", "name", "intro"):
        translations[day_id][language] = BallotDayText(name, intro)
    return [
        BallotDayData(d.slug, d.name, d.date, d.intro, tuple(slugs[d.pk]), translations[d.pk])
        for d in days
    ]


def published_ballot_day(slug: str) -> BallotDayData | None:
    """A published ballot day with at least one published election, by slug."""

    def build():
        day = BallotDay.objects.filter(slug=slug, status=BallotDay.Status.PUBLISHED).first()
        if day is None:
            return None
        elections = day.elections.published().order_by("name").values_list("slug", flat=True)
        found = _day_data([day], {day.pk: list(elections)})
        return found[0] if found else None

    return _cached(_day_key(f"ballot-day:{slug}"), build)


def published_ballot_day_with_elections(
    slug: str,
) -> tuple[BallotDayData | None, tuple[ElectionData, ...]]:
    """A published ballot day and those of its elections that are published; (None, ()) when
    there is no such day."""
    day = published_ballot_day(slug)
    if day is None:
        return None, ()
    elections = (published_election(s) for s in day.elections)
    return day, tuple(e for e in elections if e is not None)


def published_ballot_days() -> list[BallotDayData]:
    def build():
        days = BallotDay.objects.filter(status=BallotDay.Status.PUBLISHED)
        elections = Election.objects.published().filter(ballot_day__in=days).order_by("name")
        slugs = {}
        for day_id, slug in elections.values_list("ballot_day", "slug"):
            slugs.setdefault(day_id, []).append(slug)
        return _day_data(days, slugs)

    return _cached(_day_key("ballot-days"), build)


def draft_ballot_day(slug: str) -> tuple[BallotDayData, tuple[ElectionData, ...]] | None:
    """A ballot day not published yet, with each of its elections as voters would see it (the
    published ones as published, the others from their live rows), for an editor's preview;
    not cached."""
    day = BallotDay.objects.filter(slug=slug, status=BallotDay.Status.DRAFT).first()
    if day is None:
        return None
    elections = list(day.elections.order_by("name"))
    found = _day_data([day], {day.pk: [e.slug for e in elections]})
    if not found:
        return None
    data = [published_election(e.slug) if e.is_published else load(e) for e in elections]
    return found[0], tuple(e for e in data if e is not None)


# How to find the elections an instance of each model belongs to; a statement's content also
# belongs to the elections it is shared with.
ELECTION_PATHS = {
    Election: ("pk",),
    ElectionTranslation: ("translations",),
    Party: ("parties",),
    ManifestoDocument: ("parties__documents",),
    Theme: ("statements__theme", "shared_statements__theme"),
    ThemeTranslation: (
        "statements__theme__translations",
        "shared_statements__theme__translations",
    ),
    Statement: ("statements", "shared_statements"),
    StatementTranslation: ("statements__translations", "shared_statements__translations"),
    Stance: ("statements__stances", "shared_statements__stances"),
    StanceTranslation: (
        "statements__stances__translations",
        "shared_statements__stances__translations",
    ),
}


def _election_slugs(model, pk) -> set[str]:
    lookup = Q()
    for path in ELECTION_PATHS[model]:
        lookup |= Q(**{path: pk})
    return set(Election.objects.filter(lookup).values_list("slug", flat=True).distinct())


# The field that moves a row to another election (or renames it): worth a look before a save.
MOVED_BY = {
    Election: "slug",
    ElectionTranslation: "election",
    ManifestoDocument: "party",
    ThemeTranslation: "theme",
    Statement: "election",
    StatementTranslation: "statement",
    Stance: "statement",
    StanceTranslation: "stance",
}


def _before_save(sender, instance, update_fields=None, **kwargs) -> None:
    """Note the elections of the row as stored: the save may move it to another."""
    field = MOVED_BY.get(sender)
    moves = field and (update_fields is None or field in update_fields)
    adding = instance._state.adding or instance.pk is None
    instance._catalog_slugs = (
        _election_slugs(sender, instance.pk) if moves and not adding else set()
    )


def _before_delete(sender, instance, **kwargs) -> None:
    instance._catalog_slugs = _election_slugs(sender, instance.pk)


# Models whose rows the list of published elections shows.
IN_THE_LIST = (Election, ElectionTranslation)


def _after_save(sender, instance, using, **kwargs) -> None:
    now = {instance.slug} if sender is Election else _election_slugs(sender, instance.pk)
    slugs = getattr(instance, "_catalog_slugs", set()) | now
    listed = sender in IN_THE_LIST
    transaction.on_commit(partial(_bump, slugs, elections_list=listed), using=using)


def _after_delete(sender, instance, using, **kwargs) -> None:
    slugs = getattr(instance, "_catalog_slugs", set())
    listed = sender in IN_THE_LIST
    transaction.on_commit(partial(_bump, slugs, elections_list=listed), using=using)


def _parties_changed(sender, instance, action, reverse, pk_set, using, **kwargs) -> None:
    if not reverse:
        if action.startswith("post_"):
            transaction.on_commit(partial(_bump, {instance.slug}), using=using)
    elif action == "pre_clear":
        instance._catalog_slugs = _election_slugs(Party, instance.pk)
    elif action in ("post_add", "post_remove"):
        slugs = set(Election.objects.filter(pk__in=pk_set).values_list("slug", flat=True))
        transaction.on_commit(partial(_bump, slugs), using=using)
    elif action == "post_clear":
        transaction.on_commit(partial(_bump, instance._catalog_slugs), using=using)


def _shared_changed(sender, instance, action, reverse, pk_set, using, **kwargs) -> None:
    """A statement shared with more or fewer elections changes each of them."""
    if not action.startswith(("post_", "pre_clear")):
        return
    if reverse:
        statements = Statement.objects.filter(pk__in=pk_set or ())
        slugs = {instance.slug} | set(statements.values_list("election__slug", flat=True))
    else:
        slugs = {instance.election.slug} | set(
            Election.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        )
        if action == "pre_clear":
            slugs |= set(instance.shared_with.values_list("slug", flat=True))
    transaction.on_commit(partial(_bump, slugs, elections_list=True), using=using)


def _days_changed(sender, using, **kwargs) -> None:
    transaction.on_commit(partial(cache.set, DAYS_KEY, _token(), timeout=None), using=using)


def connect_invalidation() -> None:
    for model in ELECTION_PATHS:
        name = model.__name__
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"catalog-before-{name}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"catalog-save-{name}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"catalog-before-del-{name}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"catalog-delete-{name}")
    m2m_changed.connect(
        _parties_changed, sender=Election.parties.through, dispatch_uid="catalog-election-parties"
    )
    m2m_changed.connect(
        _shared_changed, sender=Statement.shared_with.through, dispatch_uid="catalog-shared"
    )
    for model in (BallotDay, BallotDayTranslation):
        name = model.__name__
        post_save.connect(_days_changed, sender=model, dispatch_uid=f"catalog-save-{name}")
        post_delete.connect(_days_changed, sender=model, dispatch_uid=f"catalog-delete-{name}")
