"""Steps a voter takes in the browser, and what the API says for the same answers."""

import json
import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

SLUG = "voorbeeldstad"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
VALUES = {"agree": 1, "neutral": 0, "disagree": -1, "skip": None}
BUTTONS = {"agree": "Eens", "neutral": "Neutraal", "disagree": "Oneens"}


def demo_election(page, site) -> dict:
    """Statement ids and titles, and party names, of the demo election, from the open-data API."""
    data = page.request.get(f"{site}/api/elections/{SLUG}/").json()
    return {
        "statements": [s["id"] for s in data["statements"]],
        "titles": [s["title"] for s in data["statements"]],
        "names": {p["slug"]: p["name"] for p in data["parties"]},
    }


def answer(page, value: str) -> None:
    if value == "skip":
        page.get_by_role("button", name="Sla deze stelling over").click()
    else:
        page.get_by_role("button", name=BUTTONS[value], exact=True).click()


def answer_all(page, answers, important=(), total=8) -> None:
    """Answer statements 1, 2, ... in order, ticking 'important' where asked."""
    for n, value in enumerate(answers, 1):
        expect(page.locator("#quiz-progress")).to_contain_text(f"Stelling {n} / {total}")
        if n in important:
            page.get_by_label("Dit vind ik extra belangrijk").check()
        answer(page, value)
    if len(answers) == total:
        expect(page).to_have_url(re.compile(r"/overzicht/$"))
    elif answers:
        expect(page.locator("#quiz-progress")).to_contain_text(
            f"Stelling {len(answers) + 1} / {total}"
        )


def finish(page, demo, important=(), leave_out=()) -> None:
    """From the overview: mark statements as important, choose parties, show the result."""
    for n in important:
        page.get_by_label(demo["titles"][n - 1], exact=True).check()
    page.get_by_role("button", name="Verder: kies partijen").click()
    for slug in leave_out:
        page.get_by_label(demo["names"][slug], exact=True).uncheck()
    page.get_by_role("button", name="Toon mijn resultaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je resultaat")


def api_ranking(page, site, demo, answers, important=(), parties=None):
    """(party name, score) in the order the matching API ranks them for the same answers."""
    ids = demo["statements"]
    payload = {
        "answers": {str(sid): VALUES[a] for sid, a in zip(ids, answers, strict=True)},
        "important": [ids[n - 1] for n in important],
    }
    if parties is not None:
        payload["parties"] = parties
    response = page.request.post(
        f"{site}/api/elections/{SLUG}/match",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )
    assert response.ok, response.text()
    return [(demo["names"][r["party"]], r["score"]) for r in response.json()["results"]]


def shown_ranking(page) -> list[tuple[str, str]]:
    names = page.locator(".rank .party-name").all_inner_texts()
    scores = page.locator(".rank .score").all_inner_texts()
    return list(zip(names, scores, strict=True))


def assert_same_ranking(shown, expected) -> None:
    """Same parties in the same order; each percentage the API's score, rounded."""
    assert [name for name, _ in shown] == [name for name, _ in expected]
    for (_, percent), (name, score) in zip(shown, expected, strict=True):
        if score is None:
            assert percent == "–", name
        else:
            assert abs(int(percent.rstrip("%")) - score) <= 0.5, (name, percent, score)


def screenshot(page, name: str) -> None:
    """A full-page PNG in test-artifacts/, for a reviewer to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
