"""How well and how fast find_passages finds the passages the editors quoted.

For every coded stance in fixtures/seed_demo/stances_*.csv with a quote, search the party's
passages with the statement's text and check whether a top-5 passage overlaps the quoted lines.
Runs against the database of DATABASE_URL (SQLite by default); `--load` migrates and loads the
demo election first.

    .venv/bin/python scripts/bench_search.py --load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
        .venv/bin/python scripts/bench_search.py --load
"""

import argparse
import csv
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemhulp.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", action="store_true", help="migrate and load the demo first")
    parser.add_argument("--limit", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list the misses")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from positions.models import Party
    from positions.search import find_passages

    if args.load:
        call_command("migrate", verbosity=0)
        call_command("load_seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    seed = ROOT / "fixtures" / "seed_demo"
    with (seed / "statements.csv").open(newline="", encoding="utf-8") as f:
        statements = {int(r["id"]): r["text"] for r in csv.DictReader(f)}
    coded = []
    for path in sorted(seed.glob("stances_*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            coded += [r for r in csv.DictReader(f) if r["quote"]]
    parties = {p.slug: p for p in Party.objects.all()}
    documents = _document_ids(seed)

    # Build the SQLite index (or warm PostgreSQL's cache) once per party before timing.
    cold = {}
    for slug in sorted({r["party"] for r in coded}):
        start = time.perf_counter()
        find_passages(parties[slug], "begroting", limit=1)
        cold[slug] = time.perf_counter() - start

    hits_at_1 = hits = 0
    reciprocal_ranks, timings, misses = [], [], []
    for row in coded:
        start = time.perf_counter()
        matches = find_passages(parties[row["party"]], statements[int(row["statement_id"])])
        timings.append(time.perf_counter() - start)
        quoted = range(int(row["line_start"]), int(row["line_end"]) + 1)
        ranks = [
            n
            for n, m in enumerate(matches[: args.limit], start=1)
            if m.document_id == documents[row["document"]] and _overlaps(m, quoted)
        ]
        if ranks:
            hits += 1
            hits_at_1 += ranks[0] == 1
            reciprocal_ranks.append(1 / ranks[0])
        else:
            reciprocal_ranks.append(0.0)
            misses.append(row)

    n = len(coded)
    ms = sorted(t * 1000 for t in timings)
    print(f"database: {connection.vendor}")
    print(f"coded stances with a quote: {n}")
    print(f"quoted passage in top {args.limit}: {hits}/{n} ({100 * hits / n:.0f}%)")
    print(f"quoted passage first: {hits_at_1}/{n} ({100 * hits_at_1 / n:.0f}%)")
    print(f"mean reciprocal rank: {statistics.mean(reciprocal_ranks):.2f}")
    print(
        f"time per search: median {statistics.median(ms):.1f} ms, "
        f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print("first search per party (builds the SQLite index): ", end="")
    print(", ".join(f"{slug} {1000 * t:.0f} ms" for slug, t in cold.items()))
    if args.verbose:
        for row in misses:
            print(
                f"  miss: {row['party']} statement {row['statement_id']}, "
                f"lines {row['line_start']}-{row['line_end']} of {row['document']}"
            )


def _document_ids(seed: Path) -> dict[str, int]:
    """The stored document of each seed file, found by its text's SHA-256."""
    from positions.models import ManifestoDocument

    ids = {}
    with (seed / "documents.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = (ROOT / "fixtures" / "manifestos" / row["file"]).read_text(encoding="utf-8")
            sha = hashlib.sha256(text.encode()).hexdigest()
            ids[row["file"]] = ManifestoDocument.objects.get(
                party__slug=row["party"], sha256=sha
            ).pk
    return ids


def _overlaps(match, quoted: range) -> bool:
    return match.line_start <= quoted[-1] and quoted[0] <= match.line_end


if __name__ == "__main__":
    main()
