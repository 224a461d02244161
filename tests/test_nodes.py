"""Two real server processes sharing PostgreSQL and Redis: nothing a voter or an editor does is
kept in one process, so any node can answer any request.

PostgreSQL only: the SQLite test database cannot be shared with other processes. Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379/15), flushed before each test; without Redis these
tests skip, or fail when CI is set.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection

from positions import publishing
from positions.models import Election
from stats.models import Completion
from tests.factories import UserFactory, reviewed_election

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="two server processes need a database both can reach; the SQLite test database "
        "cannot be shared (run with DATABASE_URL=postgres://...)",
    ),
    # The tests end by emptying every table: each starts from what the migrations wrote.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Visitor:
    """A browser's cookies and CSRF header, sent to whichever node is asked, as behind a proxy."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, port: int, path: str) -> Page:
        return self._request(port, "GET", path)

    def post(self, port: int, path: str, form: dict) -> Page:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Origin": f"http://{HOST}",
            "Referer": f"http://{HOST}{path}",
        }
        return self._request(port, "POST", path, urlencode(form, doseq=True), headers)

    def _request(self, port, method, path, body=None, headers=None) -> Page:
        headers = {"Host": HOST, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for cookie in page.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].strip().partition("=")
            self.cookies[name] = value
        return page


def _database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _redis_client():
    redis = pytest.importorskip("redis", reason="the redis client is not installed")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError):
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI but does not answer at {REDIS_URL}")
        pytest.skip(f"no Redis answers at {REDIS_URL} (set TEST_REDIS_URL): nodes need a cache")
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on port {port} exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    pytest.fail(f"the server on port {port} did not start:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module", autouse=True)
def _migrated_data_restored(django_db_setup, django_db_blocker):
    """Put back what the migrations wrote (the editorial roles) once the last test has emptied
    the tables, for the tests after these and a reused test database."""
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@dataclass
class Nodes:
    a: int
    b: int


@pytest.fixture(scope="module")
def nodes(django_db_setup, tmp_path_factory):
    """Two gunicorn processes on the test database and one Redis, production settings."""
    _redis_client()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.node_settings",
        DEBUG="false",
        SECRET_KEY="nodes-" + "k" * 50,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=_database_url(),
        CONN_MAX_AGE="0",
        REDIS_URL=REDIS_URL,
        COMPLETIONS_PER_CLIENT="0",
    )
    logs = tmp_path_factory.mktemp("nodes")
    ports, processes = [_free_port(), _free_port()], []
    try:
        for port in ports:
            command = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT)]
            command += ["--bind", f"{HOST}:{port}", "--workers", "1", "--log-level", "warning"]
            log = logs / f"{port}.log"
            with log.open("w") as out:
                processes.append(
                    subprocess.Popen(
                        [*command, "stemhulp.wsgi:application"],
                        cwd=logs,  # not the project: no gunicorn.conf.py changes the set-up
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        for port, process in zip(ports, processes, strict=True):
            _wait_until_serving(port, process, logs / f"{port}.log")
        yield Nodes(*ports)
    finally:
        for process in processes:
            _stop(process)


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """This process writes to the nodes' cache too, as an editor's process would."""
    client = _redis_client()
    client.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    yield
    client.flushdb()
    client.close()


def answers_shown(overview: str) -> list[str]:
    return re.findall(r'<a href="[^"]*/stelling/\d+/[^"]*">\s*([^<]+?)\s*<span', overview)


def test_a_voters_answers_made_on_one_node_are_read_on_the_other(nodes):
    election = reviewed_election(status=Election.Status.PUBLISHED)
    voter = Visitor()
    assert voter.get(nodes.a, f"/{election.slug}/stelling/1/").status == 200
    assert voter.post(nodes.a, f"/{election.slug}/stelling/1/", {"answer": "agree"}).status == 302

    assert (
        voter.post(nodes.b, f"/{election.slug}/stelling/2/", {"answer": "disagree"}).status == 302
    )
    assert answers_shown(voter.get(nodes.b, f"/{election.slug}/overzicht/").text) == [
        "Eens",
        "Oneens",
    ]


def test_a_correction_published_by_an_editor_is_served_by_every_node_at_once(nodes):
    election = reviewed_election(status=Election.Status.PUBLISHED)
    editor = UserFactory(is_superuser=True)
    publishing.record_correction(election, editor, "Eerste versie")
    before = Visitor().get(nodes.b, f"/{election.slug}/stelling/1/").text
    assert "De gemeente moet maatregel" in before

    statement = election.statements.get(order=1)
    statement.text = "De gemeente bouwt tienduizend woningen."
    statement.save()
    publishing.record_correction(election, editor, "Tekst van stelling 1 verbeterd")

    after = Visitor().get(nodes.b, f"/{election.slug}/stelling/1/").text
    assert "De gemeente bouwt tienduizend woningen." in after


def test_a_finished_quiz_counted_on_one_node_is_not_counted_again_on_the_other(nodes):
    election = reviewed_election(status=Election.Status.PUBLISHED)
    voter = Visitor()
    voter.get(nodes.a, f"/{election.slug}/stelling/1/")
    voter.post(nodes.a, f"/{election.slug}/stelling/1/", {"answer": "agree"})
    voter.post(nodes.a, f"/{election.slug}/stelling/2/", {"answer": "neutral"})
    replayed = Visitor(dict(voter.cookies))
    assert voter.get(nodes.a, f"/{election.slug}/resultaat/").status == 200
    assert Completion.objects.count() == 1

    page = replayed.get(nodes.b, f"/{election.slug}/resultaat/")

    assert page.status == 200
    assert "Alfa" in page.text
    assert Completion.objects.count() == 1
