"""Production settings for the server processes of tests/test_nodes.py.

Only the static files storage differs: the hashed-name manifest needs `collectstatic`, which is
slow and beside the point of those tests.
"""

from stemhulp.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
