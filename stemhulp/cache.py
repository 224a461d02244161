"""A Redis cache that falls back to this process's memory while Redis does not answer.

Used when `REDIS_URL` is set. A cache outage must never turn into an error page: when Redis
refuses the connection or does not answer within its short socket timeouts, every cache call is
served from a per-process `LocMemCache` instead, one warning is logged, and Redis is tried again
after `RETRY_AFTER` seconds (each call in between goes straight to memory, so requests do not
each wait for a timeout). While Redis is down the processes no longer share their cache: a change
to election content clears the other processes' cache only once Redis is back and the content is
saved again, and replay tokens and limits kept in the cache count per process.

Other Redis errors (a wrong command, a full memory) are not outages and are raised as usual.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (ConnectionError, TimeoutError)
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
DEFAULT_RETRY_AFTER = 5.0


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=f"***@{parts.hostname}:{parts.port or 6379}").geturl()


class _Health:
    """Whether Redis at one location answers; shared by all threads of the process."""

    def __init__(self) -> None:
        self.down_until: float | None = None
        self.lock = threading.Lock()


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    with _health_lock:
        return _health.setdefault(location, _Health())


class FallbackRedisCache(RedisCache):
    """Django's RedisCache, with memory standing in while Redis is unreachable.

    OPTIONS are passed to the Redis connection pool as for RedisCache (socket timeouts default
    to half a second), except `RETRY_AFTER`: seconds before Redis is asked again (default 5).
    Django makes a cache object per thread; the fallback memory and the knowledge that Redis is
    down belong to the process, so threaded workers warn once and share what they stored.
    """

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": options})
        fallback_params = {k: v for k, v in params.items() if k != "OPTIONS"}
        self._fallback = LocMemCache(f"stemhulp-fallback:{server}", fallback_params)
        self._health = _health_of(server)

    @property
    def available(self) -> bool:
        """False while calls go to memory because Redis did not answer."""
        return self._health.down_until is None

    def _call(self, method: str, *args, **kwargs):
        down_until = self._health.down_until
        if down_until is not None and time.monotonic() < down_until:
            return getattr(self._fallback, method)(*args, **kwargs)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except OUTAGE as exc:
            self._went_down(exc)
            return getattr(self._fallback, method)(*args, **kwargs)
        if down_until is not None:
            self._came_back()
        return result

    def _went_down(self, exc: Exception) -> None:
        with self._health.lock:
            first = self._health.down_until is None
            self._health.down_until = time.monotonic() + self.retry_after
            if first:
                self._fallback.clear()
        if first:
            logger.warning(
                "Redis cache at %s does not answer (%s); using this process's memory and "
                "retrying every %g s",
                ", ".join(_without_password(url) for url in self._servers),
                exc,
                self.retry_after,
            )

    def _came_back(self) -> None:
        with self._health.lock:
            was_down = self._health.down_until is not None
            self._health.down_until = None
        if was_down:
            logger.warning("Redis cache answers again; the processes share their cache again")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")
