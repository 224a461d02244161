"""Launch day: voters doing the whole quiz as a browser does, against two app processes.

Runs on PostgreSQL (DATABASE_URL, or a temporary database it creates on
postgres://postgres@127.0.0.1:5432 and drops) with two gunicorn processes on two ports, each with
WEB_CONCURRENCY sync workers (default 2), sharing one Redis database (REDIS_URL, default
redis://127.0.0.1:6379/15, flushed before and after). Requests go to the two processes in turn, as
behind a round-robin proxy, so a voter's cookie made on one is read on the other.

Each voter opens the election page and statement 1 (which sets the CSRF cookie), answers every
statement with an htmx POST, follows htmx's redirect to the overview, posts it, posts the chosen
parties and opens the result. VOTERS voters (default 300) run CONCURRENCY at a time (default 16),
and no new voter starts after DURATION seconds (default 60). Printed: completions/s, p50/p99
latency per request, errors (a status of 400 or more, or a connection error), and the completions
the database recorded before and after, which must grow by the number of completed voters.
The servers run with COMPLETIONS_PER_CLIENT=0: every voter comes from 127.0.0.1.

    .venv/bin/python scripts/loadtest.py             # or: make bench-launch
    VOTERS=1000 CONCURRENCY=32 WEB_CONCURRENCY=4 .venv/bin/python scripts/loadtest.py
"""

import asyncio
import contextlib
import itertools
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import psycopg
from bench_serve import (
    SLUG,
    Browser,
    envnumber,
    gunicorn,
    interrupts_as_exceptions,
    prepare_database,
    production_env,
    workers,
)

SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/15"
MAX_STATEMENTS = 200
ANSWERS = ["agree", "agree", "disagree", "disagree", "neutral", "skip"]


@contextlib.contextmanager
def temporary_database():
    """DATABASE_URL as it is, or a new database on the local server, dropped at the end."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    name = f"stemhulp_launch_{os.getpid()}"
    try:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def flushed_redis(url: str):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def recorded(database: str) -> int:
    with psycopg.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM stats_completion").fetchone()[0]


class Failed(Exception):
    pass


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    started: int = 0
    completed: int = 0


class Nodes:
    """The app processes, taken in turn for every request."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self._next = itertools.cycle(ports)

    def next(self) -> int:
        return next(self._next)


async def timed(tally: Tally, name: str, request, expected: int):
    started = time.perf_counter()
    try:
        response = await request
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        tally.errors[f"{name}: {type(exc).__name__}"] += 1
        raise Failed from exc
    tally.latencies[name].append(time.perf_counter() - started)
    if response.status != expected:
        tally.errors[f"{name}: HTTP {response.status}"] += 1
        raise Failed
    return response


def local(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


async def voter(nodes: Nodes, tally: Tally, rng: random.Random, think: float) -> None:
    browser = Browser()
    get, post = browser.get, browser.post
    await timed(tally, "GET election", get(nodes.next(), f"/{SLUG}/"), 200)
    await timed(tally, "GET statement", get(nodes.next(), f"/{SLUG}/stelling/1/"), 200)
    htmx = {"HX-Request": "true", "HX-Target": "statement-card"}
    overview = ""
    for number in range(1, MAX_STATEMENTS + 1):
        await asyncio.sleep(think * rng.random())
        form = {"answer": rng.choice(ANSWERS)}
        if rng.random() < 0.2:
            form["important"] = "1"
        answer = post(nodes.next(), f"/{SLUG}/stelling/{number}/", form, **htmx)
        answered = await timed(tally, "POST answer (htmx)", answer, 200)
        overview = local(answered.header("hx-redirect") or "")
        if overview:
            break
    else:
        tally.errors["POST answer (htmx): no HX-Redirect to the overview"] += 1
        raise Failed
    page = await timed(tally, "GET overview", get(nodes.next(), overview), 200)
    ids = re.findall(r'name="important" value="(\d+)"', page.text)
    form = {"important": [i for i in ids if rng.random() < 0.15]}
    moved = await timed(tally, "POST overview", post(nodes.next(), overview, form), 302)
    parties_path = local(moved.header("location"))
    page = await timed(tally, "GET parties", get(nodes.next(), parties_path), 200)
    parties = re.findall(r'name="parties" value="([^"]+)"', page.text)
    chosen = [p for p in parties if rng.random() < 0.8] or parties[:1]
    form = {"parties": chosen}
    moved = await timed(tally, "POST parties", post(nodes.next(), parties_path, form), 302)
    result_path = local(moved.header("location"))
    result = await timed(tally, "GET result", get(nodes.next(), result_path), 200)
    if "gedeeld" not in result.text:
        tally.errors["GET result: no result on the page"] += 1
        raise Failed
    tally.completed += 1


async def run_voters(nodes: Nodes, count: int, concurrency: int, duration: float, think: float):
    tally = Tally()
    deadline = time.monotonic() + duration
    gate = asyncio.Semaphore(concurrency)

    async def one(seed: int) -> None:
        try:
            await voter(nodes, tally, random.Random(seed), think)
        except Failed:
            pass
        finally:
            gate.release()

    tasks = []
    for seed in range(count):
        await gate.acquire()
        if time.monotonic() >= deadline:
            gate.release()
            break
        tally.started += 1
        tasks.append(asyncio.create_task(one(seed)))
    await asyncio.gather(*tasks)
    return tally


async def warm(nodes: Nodes) -> None:
    """A few rounds of concurrent page views on every node, so each worker has started its
    connections and caches before the clock runs, as on a server that has been up for a while."""
    for _ in range(3):
        for port in nodes.ports:
            pages = [f"/{SLUG}/", f"/{SLUG}/stelling/1/"] * workers()
            await asyncio.gather(*(Browser().get(port, path) for path in pages))


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share) - 1]


def report(tally: Tally, elapsed: float, before: int, after: int, processes: int) -> bool:
    every = [v for values in tally.latencies.values() for v in values]
    print(
        f"\n{tally.started} voters started, {tally.completed} completed in {elapsed:.1f} s: "
        f"{tally.completed / elapsed:.1f} completions/s, {len(every) / elapsed:.0f} requests/s "
        f"over {processes} app processes"
    )
    print(f"\n{'request':<22} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for name, values in [*tally.latencies.items(), ("all requests", every)]:
        if values:
            p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
            print(f"{name:<22} {len(values):>7} {p50:>8.0f} {p99:>8.0f}")
    errors = sum(tally.errors.values())
    print(f"\nerrors: {errors}")
    for what, n in tally.errors.most_common():
        print(f"  {n:>6}  {what}")
    lost = tally.completed - (after - before)
    print(
        f"completions recorded in the database: {before} before, {after} after "
        f"(+{after - before}); completed voters {tally.completed}; lost {lost}"
    )
    p99 = percentile(every, 99) * 1000 if every else 0
    ok = errors == 0 and lost == 0 and p99 < 500
    print(f"target (0 errors, 0 lost, p99 < 500 ms): {'met' if ok else 'not met'}")
    return ok


def main() -> int:
    count = int(envnumber("VOTERS", 300))
    concurrency = int(envnumber("CONCURRENCY", 16))
    duration = envnumber("DURATION", 60)
    think = envnumber("THINK", 0)
    with (
        interrupts_as_exceptions(),
        temporary_database() as database,
        flushed_redis(os.environ.get("REDIS_URL") or REDIS) as cache,
    ):
        env = production_env(DATABASE_URL=database, REDIS_URL=cache, COMPLETIONS_PER_CLIENT="0")
        print(f"Preparing the demo election on {database.rsplit('/', 1)[-1]} ...", flush=True)
        prepare_database(env)
        with (
            gunicorn("stemhulp.wsgi:application", env) as a,
            gunicorn("stemhulp.wsgi:application", env) as b,
        ):
            print(
                f"2 gunicorn processes (ports {a}, {b}), {workers()} "
                f"sync workers each, Redis {cache}; up to {count} voters, {concurrency} at a time, "
                f"none started after {duration:g} s",
                flush=True,
            )
            asyncio.run(warm(Nodes([a, b])))
            before = recorded(database)
            started = time.monotonic()
            tally = asyncio.run(run_voters(Nodes([a, b]), count, concurrency, duration, think))
            elapsed = time.monotonic() - started
            after = recorded(database)
    return 0 if report(tally, elapsed, before, after, 2) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
