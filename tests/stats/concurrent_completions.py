"""Voters finishing the quiz at the same moment, against a file-based SQLite database.

    DATABASE_URL=sqlite:///PATH python -m tests.stats.concurrent_completions VOTERS TWINS

Run by `test_concurrency.py` in a process of its own (the test suite's SQLite database lives in
memory). Every voter answers the three statements, then all ask for their result at once; each
of the first TWINS voters also has a twin sending the same cookie at the same moment, as a replay
on another worker would. Prints a JSON summary: the connection's settings, the result pages'
statuses, completions and counted runs.
"""

import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemhulp.settings")
os.environ["COMPLETIONS_PER_CLIENT"] = "0"  # every thread comes from 127.0.0.1

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def build_election():
    from tests.factories import ElectionFactory, PartyFactory, StanceFactory, StatementFactory

    alfa = PartyFactory(name="Alfa", slug="alfa")
    bravo = PartyFactory(name="Bravo", slug="bravo")
    election = ElectionFactory(slug="test", parties=[alfa, bravo])
    for n in (1, 2, 3):
        statement = StatementFactory(election=election, order=n)
        StanceFactory(statement=statement, party=alfa, position="agree")
        StanceFactory(statement=statement, party=bravo, position="disagree")


def main(voters: int, twins: int) -> dict:
    from stats.models import Completion, CountedRun

    assert "memory" not in str(settings.DATABASES["default"]["NAME"])
    # The tables straight from the models: replaying every migration takes seconds.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    build_election()
    connection.close()
    answered = [threading.Event() for _ in range(voters)]
    cookies = [None] * voters
    start = threading.Barrier(voters + twins)
    statuses, errors = [], []

    def finish(n: int, twin: bool) -> None:
        client = Client()
        try:
            if twin:
                answered[n].wait(timeout=30)
                client.cookies = cookies[n]
            else:
                for number in (1, 2, 3):
                    url = reverse("quiz:statement", args=["test", number])
                    client.post(url, {"answer": "agree"})
                cookies[n] = client.cookies
                answered[n].set()
            start.wait(timeout=30)
            statuses.append(client.get(reverse("quiz:result", args=["test"])).status_code)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=finish, args=(n, False)) for n in range(voters)]
    threads += [threading.Thread(target=finish, args=(n, True)) for n in range(twins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pragmas = {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in ("journal_mode", "synchronous", "busy_timeout"):
                pragmas[name] = cursor.execute(f"PRAGMA {name}").fetchone()[0]
    return {
        "transaction_mode": getattr(connection, "transaction_mode", None),
        "pragmas": pragmas,
        "statuses": sorted(statuses),
        "errors": errors,
        "completions": Completion.objects.count(),
        "counted_runs": CountedRun.objects.count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
