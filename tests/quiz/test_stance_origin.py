"""Where a stance comes from, as voters are told: "Door de partij bevestigd" when the party gave
or confirmed it in the party round, else "Door de redactie gecodeerd uit het geciteerde
programma"; in the voter's data, its frozen versions, its fingerprint and the open API."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from parties import reviewing
from positions import catalog, publishing, snapshots
from positions.catalog import ElectionData, PartyData, StanceData, StatementData
from positions.models import ManifestoDocument, Origin, Stance
from tests.factories import AnswerFactory, UserFactory, ballot_day, party_round
from tests.pages import parse

BY_PARTY = "Door de partij bevestigd"
BY_EDITORS = "Door de redactie gecodeerd uit het geciteerde programma"
GAVE = "De partij gaf dit standpunt zelf."
CHECKED = "De partij controleerde de codering van de redactie."


def pure_election(**stance) -> ElectionData:
    statement = StatementData(1, 1, "Titel", "Tekst", "", "Wonen")
    party = PartyData("alfa", "Alfa", "A", "#000000", "")
    coded = StanceData("agree", "Omdat.", "Programma", "Een citaat.", "regel 1", **stance)
    return ElectionData(
        "x",
        "X",
        datetime.date(2026, 3, 18),
        "",
        "agreement",
        (statement,),
        (party,),
        {(1, "alfa"): coded},
    )


def test_an_election_coded_by_the_editors_keeps_its_fingerprint():
    # The fingerprint this data had before stances had an origin: stored pages and the
    # statistics' versions of every existing election stay valid.
    assert pure_election().version == "1377c1e5cb3b"
    assert pure_election(origin="editors").version == "1377c1e5cb3b"


@pytest.mark.parametrize("origin", ["party", "confirmed"])
def test_a_stance_given_or_confirmed_by_the_party_changes_the_fingerprint(origin):
    assert pure_election(origin=origin).version != pure_election().version


def test_given_and_confirmed_have_different_fingerprints():
    assert pure_election(origin="party").version != pure_election(origin="confirmed").version


def test_a_translated_copy_keeps_the_origin_and_the_fingerprint():
    data = pure_election(origin="party")
    french = data.localized("fr")
    assert french.stance(1, "alfa").origin == "party"
    assert french.version == data.version


def test_an_older_snapshot_without_origin_reads_as_the_editors():
    frozen = snapshots.encode(pure_election())
    for stance in frozen["stances"]:
        del stance[1]["origin"]
    assert snapshots.decode(ElectionData, frozen).stance(1, "alfa").origin == "editors"


def alfa_stance(election, order: int = 1) -> Stance:
    return Stance.objects.get(
        statement__election=election, statement__order=order, party__slug="alfa"
    )


def set_origin(stance: Stance, origin: str, capture) -> None:
    with capture(execute=True):
        stance.origin = origin
        stance.save()


@pytest.mark.django_db
def test_the_catalog_reads_each_stance_s_origin(election):
    Stance.objects.filter(pk=alfa_stance(election).pk).update(origin=Origin.CONFIRMED)
    data = catalog.load(election)
    s1, s2 = (s.id for s in data.statements[:2])
    assert (data.stance(s1, "alfa").origin, data.stance(s2, "alfa").origin) == (
        "confirmed",
        "editors",
    )


@pytest.mark.django_db
def test_changing_a_stance_s_origin_changes_the_served_fingerprint(
    election, django_capture_on_commit_callbacks
):
    before = catalog.published_election("test").version
    set_origin(alfa_stance(election), Origin.PARTY, django_capture_on_commit_callbacks)
    after = catalog.published_election("test")
    assert after.version != before
    assert after.stance(after.statements[0].id, "alfa").origin == "party"


@pytest.mark.django_db
def test_a_published_version_keeps_the_origin(election, django_capture_on_commit_callbacks):
    Stance.objects.filter(pk=alfa_stance(election).pk).update(origin=Origin.PARTY)
    with django_capture_on_commit_callbacks(execute=True):
        version = publishing.freeze_if_changed(election, "Gepubliceerd")
    # Editing the live row afterwards does not reach the frozen version voters are served.
    Stance.objects.filter(pk=alfa_stance(election).pk).update(origin=Origin.EDITORS)
    catalog.invalidate()
    data = catalog.published_election("test")
    assert data.version_id == version.pk
    assert data.stance(data.statements[0].id, "alfa").origin == "party"
    assert catalog.election_version(version.pk).version == data.version


def answered_result(client, slug: str = "test"):
    for number in (1, 2, 3):
        client.post(reverse("quiz:statement", args=[slug, number]), {"answer": "agree"})
    response = client.get(reverse("quiz:result", args=[slug]))
    assert response.status_code == 200
    return parse(response.content.decode())


def markers(page, party: str = "Alfa") -> list[str]:
    """The origin line under each of the party's stances, in the statements' order."""
    for item in page.select("ol.ranking li.rank"):
        if item.select_one(".party-name").text == party:
            return [
                row.select_one(".origin").text if row.select(".origin") else ""
                for row in item.select("tbody tr")
            ]
    raise AssertionError(f"{party} is not ranked")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("origin", "marker"),
    [
        (Origin.EDITORS, BY_EDITORS),
        (Origin.PARTY, f"{BY_PARTY} {GAVE}"),
        (Origin.CONFIRMED, f"{BY_PARTY} {CHECKED}"),
    ],
)
def test_the_result_shows_where_each_stance_comes_from(client, election, origin, marker):
    Stance.objects.filter(pk=alfa_stance(election).pk).update(origin=origin)
    assert markers(answered_result(client)) == [marker, BY_EDITORS, BY_EDITORS]


@pytest.mark.django_db
def test_a_stance_without_a_quote_coded_by_the_editors_shows_no_marker(client, election):
    # Bravo's stances have no source: there is no quoted programme to speak of.
    assert markers(answered_result(client), "Bravo") == ["", "", ""]


@pytest.mark.django_db
def test_a_party_s_own_stance_without_a_quote_still_says_so(client, election):
    bravo = Stance.objects.get(
        statement__election=election, statement__order=2, party__slug="bravo"
    )
    Stance.objects.filter(pk=bravo.pk).update(origin=Origin.PARTY)
    assert markers(answered_result(client), "Bravo") == ["", f"{BY_PARTY} {GAVE}", ""]


@pytest.mark.django_db
def test_the_stored_result_page_follows_a_new_origin(
    client, election, django_capture_on_commit_callbacks
):
    assert markers(answered_result(client))[0] == BY_EDITORS
    set_origin(alfa_stance(election), Origin.CONFIRMED, django_capture_on_commit_callbacks)
    assert markers(answered_result(client))[0] == f"{BY_PARTY} {CHECKED}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "marker", "editors"),
    [
        (
            "fr",
            "Confirmé par le parti Le parti a donné lui-même cette position.",
            "Codé par la rédaction à partir du programme cité",
        ),
        (
            "en",
            "Confirmed by the party The party gave this position itself.",
            "Coded by the editors from the quoted manifesto",
        ),
    ],
)
def test_the_marker_is_translated(client, election, language, marker, editors):
    Stance.objects.filter(pk=alfa_stance(election).pk).update(origin=Origin.PARTY)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert markers(answered_result(client))[:2] == [marker, editors]


@pytest.mark.django_db
def test_the_ballot_day_result_shows_where_each_stance_comes_from(client):
    ballot_day()
    Stance.objects.filter(party__slug="groen", statement__order=1).update(origin=Origin.CONFIRMED)
    for number in (1, 2):
        client.post(reverse("quiz:day-statement", args=["negen-juni", number]), {"answer": "agree"})
    page = parse(client.get(reverse("quiz:day-result", args=["negen-juni"])).content.decode())
    chamber = next(s for s in page.select("section.level") if s.select_one("h2").text == "Kamer")
    groen = next(
        i for i in chamber.select("li.rank") if i.select_one(".party-name").text == "Groen"
    )
    assert [r.select_one(".origin").text for r in groen.select("tbody tr")] == [
        f"{BY_PARTY} {CHECKED}",
        BY_EDITORS,
        BY_EDITORS,  # its own statement of the Chamber, not answered, is listed too
    ]
    # No stance of the other level was confirmed by its party.
    europe = next(s for s in page.select("section.level") if s.select_one("h2").text != "Kamer")
    assert BY_PARTY not in europe.text


@pytest.mark.django_db
def test_the_api_gives_each_stance_s_origin(client, election):
    Stance.objects.filter(pk=alfa_stance(election).pk).update(origin=Origin.CONFIRMED)
    stances = client.get("/api/elections/test/").json()["stances"]
    alfa = [s["origin"] for s in stances if s["party"] == "alfa"]
    assert alfa == ["confirmed", "editors", "editors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "phrase"),
    [
        ("nl", "Waar een standpunt vandaan komt", "eindredacteur"),
        ("fr", "D’où vient une position", "rédacteur en chef"),
        ("en", "Where a position comes from", "final editor"),
    ],
)
def test_the_methodology_explains_the_party_round(client, language, heading, phrase):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = parse(client.get(reverse("quiz:methodology")).content.decode())
    assert page.select_one("#partijronde").text == heading
    assert phrase in page.text


@pytest.mark.django_db
def test_a_version_frozen_before_origins_existed_is_not_frozen_again(election):
    publishing.freeze_if_changed(election, "Gepubliceerd")
    version = election.versions.get()
    for _key, stance in version.data["stances"]:
        del stance["origin"]
    version.save()
    assert publishing.freeze_if_changed(election, "Opnieuw geladen") is None
    assert election.versions.count() == 1


def publish_and_answer(client, election) -> list[str]:
    """Publish `election` through the gate, answer its two statements, and read Alfa's
    markers on the result."""
    publishing.publish(election, UserFactory(is_superuser=True))
    for number in (1, 2):
        client.post(reverse("quiz:statement", args=[election.slug, number]), {"answer": "agree"})
    response = client.get(reverse("quiz:result", args=[election.slug]))
    return markers(parse(response.content.decode()))


@pytest.mark.django_db
def test_a_party_s_accepted_answer_reaches_voters_as_given_by_the_party(client):
    round = party_round()
    statement = round.election.statements.get(order=1)
    document = ManifestoDocument.objects.get(title="Programma Alfa")
    answer = AnswerFactory(
        round=round,
        statement=statement,
        position="disagree",
        explanation="Wij zijn tegen.",
        document=document,
        quote="De belasting blijft gelijk.",
    )
    reviewing.accept(answer, UserFactory(role="Eindredacteur"))
    Stance.objects.get(statement=statement, party=round.party).approve(
        UserFactory(role="Eindredacteur")
    )
    assert publish_and_answer(client, round.election) == [f"{BY_PARTY} {GAVE}", BY_EDITORS]


@pytest.mark.django_db
def test_a_party_s_accepted_agreement_reaches_voters_as_confirmed(client):
    round = party_round(mode="check")
    statement = round.election.statements.get(order=2)
    answer = AnswerFactory(round=round, statement=statement, agrees=True, position="")
    reviewing.accept(answer, UserFactory(role="Eindredacteur"))
    assert publish_and_answer(client, round.election) == [BY_EDITORS, f"{BY_PARTY} {CHECKED}"]
