"""Production settings: the shared-cache check, key rotation and opt-in HSTS flags."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from stemhulp.checks import check_shared_cache
from tests.test_settings import manage

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-variety-0123456789",
    "ALLOWED_HOSTS": "stemhulp.example",
}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
}


@pytest.mark.parametrize("backend", ["locmem.LocMemCache", "dummy.DummyCache"])
def test_production_on_a_per_process_cache_gets_a_warning(settings, backend):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
    assert [w.id for w in check_shared_cache()] == ["stemhulp.W001"]


def test_a_file_based_cache_is_not_shared_either(settings, tmp_path):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    assert [w.id for w in check_shared_cache()] == ["stemhulp.W001"]


def test_production_on_redis_passes(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS
    assert check_shared_cache() == []


def test_development_on_the_memory_cache_passes(settings):
    settings.DEBUG = True
    settings.CACHES = LOCMEM
    assert check_shared_cache() == []


def test_the_cache_check_runs_with_the_deploy_checks_only(settings):
    settings.DEBUG = False
    settings.CACHES = LOCMEM
    assert "stemhulp.W001" in [w.id for w in run_checks(include_deployment_checks=True)]
    assert "stemhulp.W001" not in [w.id for w in run_checks()]


def test_check_deploy_fails_in_production_without_a_shared_cache():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode != 0
    assert "stemhulp.W001" in result.stderr


def test_the_hsts_flags_come_from_the_environment():
    shown = "from django.conf import settings as s; "
    shown += "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    default = manage("shell", "--no-imports", "-c", shown, **PRODUCTION)
    opted_in = manage(
        "shell",
        "--no-imports",
        "-c",
        shown,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        **PRODUCTION,
    )
    assert (default.returncode, default.stdout) == (0, "False False\n"), default.stderr
    assert (opted_in.returncode, opted_in.stdout) == (0, "True True\n"), opted_in.stderr


def test_fallback_keys_come_from_a_list_or_a_file(tmp_path):
    shown = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    listed = manage("shell", "--no-imports", "-c", shown, SECRET_KEY_FALLBACKS="old-1, old-2")
    keys = tmp_path / "fallbacks"
    keys.write_text("old-1\n\nold-2\n")
    from_file = manage("shell", "--no-imports", "-c", shown, SECRET_KEY_FALLBACKS_FILE=str(keys))
    assert (listed.returncode, listed.stdout) == (0, "['old-1', 'old-2']\n"), listed.stderr
    assert (from_file.returncode, from_file.stdout) == (0, "['old-1', 'old-2']\n"), from_file.stderr


def _agreed_on_the_first_statement(client) -> bool:
    page = client.get(reverse("quiz:statement", args=["test", 1])).content.decode()
    return 'value="agree" class="answer agree" aria-pressed="true"' in page


@pytest.mark.django_db
def test_answers_survive_a_key_rotation_with_the_old_key_as_fallback(settings, client, election):
    settings.SECRET_KEY = "the-old-key-" + "x" * 40
    client.post(reverse("quiz:statement", args=["test", 1]), {"answer": "agree"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the-new-key-" + "y" * 40, []
    assert not _agreed_on_the_first_statement(client)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    settings.SECRET_KEY_FALLBACKS = ["the-old-key-" + "x" * 40]
    assert _agreed_on_the_first_statement(client)
