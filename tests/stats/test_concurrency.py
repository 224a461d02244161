import json
import os
import subprocess
import sys

from django.conf import settings

VOTERS = 20
TWINS = 10  # voters whose cookie is sent twice at the same moment


def test_concurrent_voters_on_sqlite_lose_no_completion_and_count_each_run_once(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.stats.concurrent_completions", str(VOTERS), str(TWINS)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["transaction_mode"] == "IMMEDIATE"
    assert summary["pragmas"] == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 10000}
    assert summary["errors"] == []
    assert summary["statuses"] == [200] * (VOTERS + TWINS)
    assert summary["completions"] == VOTERS
    assert summary["counted_runs"] == VOTERS
    assert "Could not record" not in done.stderr
