import logging
import os
import socket
import time
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from redis.exceptions import ConnectionError

from stemhulp.cache import FallbackRedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
BACKEND = "stemhulp.cache.FallbackRedisCache"


@pytest.fixture
def dead_port():
    """A port on which nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings, dead_port):
    settings.CACHES = {
        "default": {"BACKEND": BACKEND, "LOCATION": f"redis://127.0.0.1:{dead_port}/5"}
    }


def warnings_from_the_cache(caplog):
    return [r for r in caplog.records if r.name == "stemhulp.cache" and r.levelname == "WARNING"]


@pytest.mark.django_db
def test_every_voter_page_answers_while_redis_is_down(client, election, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="stemhulp.cache")
    statement = reverse("quiz:statement", args=["test", 1])
    pages = [
        "/",
        reverse("quiz:election", args=["test"]),
        statement,
        reverse("quiz:methodology"),
        reverse("quiz:api-elections"),
        reverse("quiz:api-election", args=["test"]),
        reverse("quiz:shared", args=["test"]) + "?a=ads",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    for n in (1, 2, 3):
        response = client.post(reverse("quiz:statement", args=["test", n]), {"answer": "agree"})
        assert response.status_code == 302
    for name in ("overview", "parties", "result"):
        url = reverse(f"quiz:{name}", args=["test"])
        assert client.get(url).status_code == 200, url
    match = client.post(
        reverse("quiz:api-match", args=["test"]),
        '{"answers": {}}',
        content_type="application/json",
    )
    assert match.status_code == 200
    assert len(warnings_from_the_cache(caplog)) == 1


def a_cache(location, **options):
    return FallbackRedisCache(location, {"OPTIONS": options})


@pytest.fixture
def down_cache(dead_port):
    return a_cache(f"redis://127.0.0.1:{dead_port}/5")


def test_values_live_in_memory_while_redis_is_down(down_cache):
    assert down_cache.add("k", 1)
    assert not down_cache.add("k", 2)
    assert down_cache.get("k") == 1
    assert down_cache.incr("k", 5) == 6
    assert down_cache.decr("k") == 5
    down_cache.set_many({"a": "A", "b": "B"})
    assert down_cache.get_many(["a", "b", "c"]) == {"a": "A", "b": "B"}
    assert down_cache.has_key("a")
    assert down_cache.touch("a", 60)
    down_cache.delete_many(["a", "b"])
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.delete("k")
    down_cache.set("x", 1)
    down_cache.clear()
    assert down_cache.get("x", "gone") == "gone"
    assert not down_cache.available


def test_the_threads_of_a_process_share_the_outage_and_the_memory(dead_port, caplog):
    caplog.set_level(logging.WARNING, logger="stemhulp.cache")
    location = f"redis://127.0.0.1:{dead_port}/5"
    one, other = a_cache(location), a_cache(location)
    one.set("k", "stored by one thread")
    assert not other.available
    assert other.get("k") == "stored by one thread"
    assert len(warnings_from_the_cache(caplog)) == 1


def test_incr_of_a_missing_key_is_a_value_error_while_redis_is_down(down_cache):
    with pytest.raises(ValueError):
        down_cache.incr("missing")


def test_a_redis_that_does_not_answer_costs_one_timeout_then_nothing():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        cache = a_cache(f"redis://127.0.0.1:{port}/5", socket_timeout=0.2)
        started = time.monotonic()
        assert cache.get("k", "default") == "default"
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(10):
            cache.get("k")
        rest = time.monotonic() - started
    assert first < 2
    assert rest < 0.1


class FlakyRedis:
    """Stands in for Redis's get: refuses until `up` is set, and counts the calls."""

    def __init__(self):
        self.up = False
        self.calls = 0

    def __call__(self, cache, key, default=None, version=None):
        self.calls += 1
        if not self.up:
            raise ConnectionError("Connection refused")
        return "from redis"


@pytest.fixture
def flaky(monkeypatch):
    flaky = FlakyRedis()
    monkeypatch.setattr(RedisCache, "get", flaky)
    return flaky


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("stemhulp.cache.time.monotonic", lambda: now[0])
    return now


def test_redis_is_asked_again_after_retry_after(flaky, clock, dead_port):
    cache = a_cache(f"redis://127.0.0.1:{dead_port}/5", RETRY_AFTER=5)
    for _ in range(3):
        assert cache.get("k") is None
    assert flaky.calls == 1
    clock[0] += 6
    assert cache.get("k") is None
    assert flaky.calls == 2
    flaky.up = True
    clock[0] += 6
    assert cache.get("k") == "from redis"
    assert cache.available


def test_one_warning_per_outage_and_one_when_redis_is_back(flaky, clock, dead_port, caplog):
    caplog.set_level(logging.WARNING, logger="stemhulp.cache")
    cache = a_cache(f"redis://:secret@127.0.0.1:{dead_port}/5", RETRY_AFTER=5)
    for _ in range(5):
        cache.get("k")
        clock[0] += 6
    assert [r.getMessage()[:32] for r in warnings_from_the_cache(caplog)] == [
        "Redis cache at redis://***@127.0"
    ]
    flaky.up = True
    cache.get("k")
    messages = [r.getMessage() for r in warnings_from_the_cache(caplog)]
    assert len(messages) == 2
    assert "answers again" in messages[1]
    assert "secret" not in " ".join(messages)


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def shared_caches():
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI but does not answer at {REDIS_URL}")
        pytest.skip(f"no Redis answers at {REDIS_URL} (set TEST_REDIS_URL)")
    params = {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    first = FallbackRedisCache(REDIS_URL, dict(params))
    second = FallbackRedisCache(REDIS_URL, dict(params))
    yield first, second
    first.delete_many(["k", "n", "once"])


def test_two_processes_share_values_through_redis(shared_caches):
    first, second = shared_caches
    first.set("k", "shared")
    assert second.get("k") == "shared"
    first.set("n", 1)
    second.incr("n")
    assert first.get("n") == 2
    assert first.add("once", True)
    assert not second.add("once", True)
    assert first.available and second.available
