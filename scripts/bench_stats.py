"""How fast the result statistics are at national scale: insert, releases, reads, exports.

Creates a benchmark election (30 statements, 15 parties), simulates --count completions with
`simulate_results`' generator and bulk insert (over 30 days), then prints the insert rate, the
time to make every release (`make_releases`: count each day once, draw the noise, render the
releases), the time of a public read and of the admin page (median of repeated requests through
Django's test client, middleware included), and the time and peak memory of each export format.
Each export runs in its own process, so its peak resident memory is its own. Runs against
DATABASE_URL; without it, against a temporary SQLite file (never the development database).
The benchmark's rows count as real ones here (the database is the benchmark's own), so that the
releases and the public endpoint are the ones voters' rows would get.

    .venv/bin/python scripts/bench_stats.py [--count 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stats_bench \\
        .venv/bin/python scripts/bench_stats.py
"""

import argparse
import csv
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemhulp.settings")

SLUG = "bench-stats"
PARTIES = 15
STATEMENTS = 30
EXPORTS = [
    ("csv", False),
    ("json", False),
    ("xlsx", False),
    ("parquet", False),
    ("csv", True),
    ("json", True),
    ("parquet", True),
]
READS = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--microdata", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.microdata)

    workdir = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    try:
        run(args, workdir)
    except Exception as error:
        from django.db import OperationalError

        if not isinstance(error, OperationalError):
            raise
        reason = str(error).strip().splitlines()[0]
        sys.exit(f"bench_stats: the database at DATABASE_URL does not answer ({reason})")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir)


def run(args, workdir: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from quiz import scoring
    from stats import aggregate, simulate
    from stats.models import Completion
    from stats.recording import layout_of

    call_command("migrate", verbosity=0)
    election = create_election(random.Random(args.seed))
    data = aggregate.election_data(election)
    layout = layout_of(data)
    print(
        f"database: {connection.vendor}, {len(data.statements)} statements, "
        f"{len(data.parties)} parties, {args.count:,} completions"
    )

    started = time.perf_counter()
    rows = simulate.completions(data, args.count, args.seed, simulate.Rules.of(scoring, data))
    timing = simulate.insert(layout.pk, rows)
    Completion.objects.filter(layout=layout).update(simulated=False)
    total = time.perf_counter() - started
    print(
        f"insert: {timing.rows / timing.inserting:,.0f} rows/s "
        f"({timing.inserting:.1f} s inserting, {timing.generating:.1f} s generating, "
        f"{total:.1f} s in all)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE stats_completion")
            cursor.execute("SELECT pg_total_relation_size('stats_completion')")
            size = cursor.fetchone()[0]
        else:
            cursor.execute("ANALYZE")
            size = Path(connection.settings_dict["NAME"]).stat().st_size
    print(f"table size: {size / 2**20:,.0f} MB ({size / args.count:.0f} bytes per completion)")

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        report = aggregate.report(data)
        runs.append(time.perf_counter() - started)
    assert report.completions == args.count
    print(
        "all aggregates: "
        + ", ".join(f"{t:.2f} s" for t in runs)
        + f" (median {statistics.median(runs):.2f} s)"
    )

    measure_releases(election, data)

    for fmt, microdata in EXPORTS:
        several = not microdata and fmt in ("csv", "parquet")
        out = workdir / f"export-{'microdata' if microdata else 'tables'}-{fmt}"
        out = out.with_suffix(".zip" if several else f".{fmt}")
        result = measure_child(fmt, out, microdata)
        what = "microdata" if microdata else "tables"
        rate = f", {args.count / result['seconds']:,.0f} rows/s" if microdata else ""
        print(
            f"export {what} {fmt}: {result['seconds']:.2f} s{rate}, "
            f"peak memory {result['peak_mb']:.0f} MB ({result['baseline_mb']:.0f} MB before the "
            f"export), {out.stat().st_size / 2**20:,.1f} MB written"
        )


def measure_releases(election, data) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from positions.models import Election
    from stats import releases
    from stats.models import DayCount, DayMicrodata, Release

    Election.objects.filter(pk=election.pk).update(status=Election.Status.PUBLISHED)
    DayCount.objects.filter(election=election).delete()
    DayMicrodata.objects.filter(election=election).delete()
    Release.objects.filter(election=election).delete()
    started = time.perf_counter()
    made = releases.make_releases(election, data, today=data.date + datetime.timedelta(days=1))
    seconds = time.perf_counter() - started
    print(
        f"make_releases: {seconds:.2f} s for {len(made)} releases of "
        f"{len(made) // 2} days, peak memory so far {_peak_mb():.0f} MB"
    )

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    api = reverse("stats:api-election-stats", args=[SLUG])
    day = f"day-{data.date.isoformat()}"
    for label, query in (("latest", {}), (day, {"release": day})):
        assert client.get(api, query).status_code == 200
        print(f"public read ({label}): {_median_ms(lambda q=query: client.get(api, q))}")

    user = get_user_model().objects.filter(username="bench-stats").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-stats", "", None)
    client.force_login(user)
    page = reverse("admin:stats_electionstatistics_statistics", args=[election.pk])
    newest = Release.objects.get(election=election, kind="to", last_day=data.date)
    for label, query in (("as released", {}), ("exact", {"release": newest.pk, "exact": "on"})):
        assert client.get(page, query).status_code == 200
        print(f"admin page ({label}): {_median_ms(lambda q=query: client.get(page, q), 10)}")


def _median_ms(request, times: int = READS) -> str:
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        request()
        runs.append(time.perf_counter() - started)
    return f"median {1000 * statistics.median(runs):.1f} ms, max {1000 * max(runs):.1f} ms"


def create_election(rng: random.Random):
    """A fresh draft election with the editorial demo statements and synthetic parties."""
    from django.db import connection

    from positions.models import Election, Party, Stance, Statement, Theme
    from stats.models import Layout, Release

    Release.objects.filter(election__slug=SLUG).delete()
    deleted, _ = Layout.objects.filter(election__slug=SLUG).delete()
    Election.objects.filter(slug=SLUG).delete()
    if deleted and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL stats_completion")  # so that the table size is honest
    election = Election.objects.create(
        name="Benchmark statistieken", slug=SLUG, date=datetime.date(2026, 3, 18)
    )
    parties = [
        Party.objects.update_or_create(
            slug=f"bench-{n:02d}", defaults={"name": f"Partij {n:02d}", "short_name": f"P{n:02d}"}
        )[0]
        for n in range(1, PARTIES + 1)
    ]
    election.parties.set(parties)
    for order, (theme, text) in enumerate(_statement_texts(), 1):
        statement = Statement.objects.create(
            election=election,
            theme=Theme.objects.get_or_create(name=theme[:120])[0],
            order=order,
            title=text[:60],
            text=text,
        )
        Stance.objects.bulk_create(
            Stance(
                statement=statement,
                party=party,
                position=rng.choices(
                    ["agree", "disagree", "neutral", "none"], [0.42, 0.42, 0.1, 0.06]
                )[0],
            )
            for party in parties
        )
    return election


def _statement_texts() -> list[tuple[str, str]]:
    shared = Path(os.environ.get("STEMHULP_SHARED", ROOT.parent / "shared"))
    path = shared / "editorial" / "statements.csv"
    if path.exists():
        with path.open(newline="", encoding="utf-8") as f:
            rows = [(r["theme"], r["text"]) for r in csv.DictReader(f)]
        return rows[:STATEMENTS]
    return [("Thema", f"Stelling {n} van de benchmark.") for n in range(1, STATEMENTS + 1)]


def measure_child(fmt: str, out: Path, microdata: bool) -> dict:
    """Run one export in a fresh process, which reports its time and peak resident memory."""
    command = [sys.executable, __file__, "--child", fmt, str(out)]
    if microdata:
        command.append("--microdata")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"export {fmt} failed: {result.stderr}")
    return json.loads(result.stdout)


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, not inherited from a parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def child(fmt: str, out: str, microdata: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from positions.models import Election
    from stats import aggregate

    aggregate.election_data(Election.objects.get(slug=SLUG))  # what any request loads first
    baseline = _peak_mb()
    options = ["--election", SLUG, "--format", fmt, "--out", out, "--verbosity", "0"]
    started = time.perf_counter()
    call_command("export_stats", *options, *(["--microdata"] if microdata else []))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "baseline_mb": baseline, "peak_mb": _peak_mb()}))


if __name__ == "__main__":
    main()
