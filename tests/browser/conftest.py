"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright never downloads a browser here: it starts the Chromium found at $CHROMIUM or
/usr/bin/chromium. Without one, the tests are skipped with a message, except in CI (CI=true),
where a missing browser is a failure. Screenshots go to test-artifacts/ (ignored by git).
"""

import io
import os
import runpy
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import sync_playwright

from .journey import DESKTOP

ROOT = Path(settings.BASE_DIR)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_skipped: list[str] = []


def chromium_path() -> str | None:
    """$CHROMIUM when set (and only that), else Debian's /usr/bin/chromium or one on the PATH."""
    if "CHROMIUM" in os.environ:
        candidates = [os.environ["CHROMIUM"]]
    else:
        candidates = ["/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True)
        terminalreporter.write_line(_skipped[0])


@pytest.fixture(scope="package")
def chromium(django_db_setup):
    # The test database exists before Playwright starts its event loop in this thread, and the
    # loop ends with the browser tests: the tests after them must not find it running.
    path = chromium_path()
    if path is None:
        message = (
            "no Chromium at $CHROMIUM, /usr/bin/chromium or on the PATH; "
            "install Debian's `chromium` (sudo apt-get install chromium) to run them"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Browser tests need Chromium in CI: {message}", pytrace=False)
        _skipped.append(f"Browser tests skipped: {message}")
        pytest.skip(f"Browser tests skipped: {message}")
    if runpy.run_path(str(ROOT / "scripts" / "compile_messages.py"))["compile_all"]():
        translation.trans_real._translations.clear()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


# Playwright's sync API keeps an event loop in the test thread; Django then refuses the ORM calls
# that the test thread makes (loading the demo, flushing the database afterwards) unless allowed.
# Allowed for these tests only, from the set-up of each to the end of its tear-down.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    item.stash[_before] = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        before = item.stash.get(_before, None)
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


_before = pytest.StashKey[str | None]()


@pytest.fixture
def site(live_server, chromium):
    """The live server with the fictional demo election loaded; its base URL."""
    call_command("loaddata", ROOT / "fixtures" / "demo.json", verbosity=0)
    call_command("freeze_published", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def context(chromium):
    context = chromium.new_context(viewport=DESKTOP, locale="nl-NL")
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
