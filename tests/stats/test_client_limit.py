import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from stats import recording
from stats.models import Completion
from stats.recording import client_key

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.7"


def finish_from(address=ADDRESS, **headers):
    """One new voter (a fresh cookie) doing the whole quiz from `address`."""
    client = Client(REMOTE_ADDR=address, **headers)
    for n in (1, 2, 3):
        client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
    return client.get(reverse("quiz:result", args=["test"]))


@pytest.fixture
def limit(settings):
    settings.STATS_COMPLETIONS_PER_CLIENT = 3


def key(address="", forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_key(RequestFactory().get("/", **headers))


def test_completions_from_one_client_beyond_the_limit_are_not_recorded(election, limit):
    for _ in range(5):
        finish_from()
    assert Completion.objects.count() == 3


def test_a_voter_beyond_the_limit_still_gets_the_result(election, limit):
    for _ in range(3):
        finish_from()
    response = finish_from()
    assert response.status_code == 200
    assert "Alfa" in response.content.decode()
    assert Completion.objects.count() == 3


def test_another_client_is_still_recorded(election, limit):
    for _ in range(4):
        finish_from()
    finish_from("203.0.113.20")
    assert Completion.objects.count() == 4


def test_the_limit_holds_per_clock_hour(election, limit, monkeypatch):
    for _ in range(4):
        finish_from()
    now = recording.time.time()
    monkeypatch.setattr(recording.time, "time", lambda: now + recording.LIMIT_WINDOW)
    finish_from()
    assert Completion.objects.count() == 4


def test_a_limit_of_zero_records_every_completion(election, settings):
    settings.STATS_COMPLETIONS_PER_CLIENT = 0
    for _ in range(5):
        finish_from()
    assert Completion.objects.count() == 5


def test_behind_a_proxy_the_address_it_appended_is_the_client(election, limit, settings):
    settings.BEHIND_PROXY = True
    for n in range(5):  # a script varying the address it claims to forward
        finish_from("10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ADDRESS}")
    assert Completion.objects.count() == 3


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(election, limit, settings):
    settings.BEHIND_PROXY = True
    for n in range(5):
        finish_from("10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert Completion.objects.count() == 5


def test_without_a_proxy_a_forwarded_address_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert key(ADDRESS, forwarded="192.0.2.1") == key(ADDRESS, forwarded="192.0.2.2")


def test_an_ipv6_client_counts_by_its_64_network():
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9")
    assert key("2001:db8:1:2::1") != key("2001:db8:1:3::1")


def test_an_ipv4_address_in_ipv6_form_is_the_same_client():
    assert key("::ffff:198.51.100.7") == key(ADDRESS)
    assert key("::ffff:198.51.100.7") != key("::ffff:198.51.100.8")


def test_the_address_is_kept_only_as_a_keyed_hash(settings):
    kept = key(ADDRESS)
    assert ADDRESS not in kept
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert key(ADDRESS) != kept


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_cache_outage_neither_blocks_recording_nor_the_page(election, limit, monkeypatch, caplog):
    monkeypatch.setattr(recording, "cache", BrokenCache())
    responses = [finish_from() for _ in range(4)]
    assert [r.status_code for r in responses] == [200] * 4
    assert Completion.objects.count() == 4
    assert "completions are not limited per client" in caplog.text


def test_a_negative_limit_fails_loudly():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env={**env, "COMPLETIONS_PER_CLIENT": "-1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "COMPLETIONS_PER_CLIENT must be 0 (no limit) or more" in done.stderr
