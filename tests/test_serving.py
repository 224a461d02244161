"""gunicorn.conf.py: workers and address from the environment, and an access log without answers."""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"


def config(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "BIND", "PORT", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_come_from_web_concurrency(monkeypatch):
    assert config(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


def test_workers_default_to_twice_the_cpus_plus_one(monkeypatch):
    assert config(monkeypatch)["workers"] == 2 * len(os.sched_getaffinity(0)) + 1


def test_a_malformed_worker_count_fails_loudly(monkeypatch):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number, not 'many'"):
        config(monkeypatch, WEB_CONCURRENCY="many")


def test_bind_comes_from_bind_or_port(monkeypatch):
    assert config(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert config(monkeypatch, PORT="8123")["bind"] == ["127.0.0.1:8123"]
    assert config(monkeypatch, BIND="0.0.0.0:80, unix:/run/s.sock")["bind"] == [
        "0.0.0.0:80",
        "unix:/run/s.sock",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_access_log_leaves_out_query_strings_and_referers(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL")}
    env.update(
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(CONFIG)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/methode/?a=secret-answers",
            headers={"Referer": "http://127.0.0.1/test/gedeeld/?a=referred-answers"},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(request, timeout=5).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert '"GET /methode/ HTTP/1.1"' in log
    assert "answers" not in log


def production_static_storage() -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="false", SECRET_KEY="s" * 50, ALLOWED_HOSTS="stemhulp.example")
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()[-1]


@pytest.fixture
def collected_static(settings, tmp_path):
    """The project's own static files collected with the production storage, into tmp_path."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": production_static_storage()},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    return WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_a_hashed_static_file_is_precompressed_and_cached_for_ever(collected_static, coding):
    url = staticfiles_storage.url("css/stemhulp.css")
    assert url != "/static/css/stemhulp.css"
    response = collected_static(RequestFactory().get(url, headers={"accept-encoding": coding}))
    assert response.status_code == 200
    assert response["Content-Encoding"] == coding
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
