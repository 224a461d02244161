"""System checks for a production deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

UNSHARED_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    }
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """Production needs one cache for all processes.

    Otherwise an editor's change clears the election cache of one worker only, so the others serve
    stale pages, and each worker keeps its own memory of counted runs, so a replayed cookie counts
    again on another worker.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in UNSHARED_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes.",
            hint="Set REDIS_URL so that all server processes share one cache.",
            id="stemhulp.W001",
        )
    ]
