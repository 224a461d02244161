"""Stemhulp against a bare Django view, under the same server, in one run: req/s and the ratio.

Serves (a) Stemhulp with the demo elections (a temporary SQLite file, or DATABASE_URL when set)
and (b) `scripts/bench_hello`, a Django project with one view and no middleware, under the same
gunicorn command line (production settings, WEB_CONCURRENCY sync workers, default 2). Plays one
voter through the quiz to get real cookies, then loads each URL for DURATION seconds (default 5)
with CONNECTIONS connections (default 16), each right after loading the bare view for as long,
and prints one table. With ROUNDS > 1 each URL and the bare view take turns ROUNDS times and
the round with the median share is shown: on a machine that is busy with other work, load that
comes and goes then moves the figures less. The load comes from `wrk` when it is on PATH,
otherwise from a small asyncio generator (keep-alive HTTP/1.1 over plain sockets). Requests
carry the `Accept-Encoding` a browser sends (ACCEPT_ENCODING, empty for none).

    .venv/bin/python scripts/bench_serve.py            # or: make bench-serve
    DURATION=10 CONNECTIONS=32 WEB_CONCURRENCY=4 .venv/bin/python scripts/bench_serve.py
    ROUNDS=5 DURATION=2 .venv/bin/python scripts/bench_serve.py
"""

import asyncio
import contextlib
import gzip
import html
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SLUG = "programmas-2019-2024"
DAY = "verkiezingen-9-juni-2024-demo"
HOST = "127.0.0.1"
ANSWERED_BEFORE_STEP = 10


def envnumber(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


# --- serving -------------------------------------------------------------------------------


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production node: DEBUG off, a secret, no TLS redirect (no proxy)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-" + "x" * 50,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate, load the demo elections and ballot day and collect the static files, as `make
    serve` does."""
    commands = [
        ["migrate", "--no-input"],
        ["loaddata", "fixtures/demo.json"],
        ["load_seed_demo"],
        ["load_ballot_demo"],
    ]
    if not static_is_current():
        commands.append(["collectstatic", "--no-input"])
    for command in commands:
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def static_is_current() -> bool:
    """Whether `collectstatic` ran after the last change under static/ (it takes a while)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()]
    return manifest.stat().st_mtime >= max(sources, default=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def workers() -> int:
    return int(envnumber("WEB_CONCURRENCY", 2))


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], *, pythonpath: Path | None = None):
    """A gunicorn master on a free port, stopped (with its workers) however the block ends.

    It starts from an empty directory so that no `gunicorn.conf.py` changes the set-up: both apps
    get exactly this command line."""
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "--chdir", str(ROOT), "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers()), "--worker-class", "sync"]
    command += ["--log-level", "warning", "--graceful-timeout", "5"]
    if pythonpath:
        command += ["--pythonpath", str(pythonpath)]
    with tempfile.TemporaryDirectory(prefix="bench-gunicorn-") as cwd:
        process = subprocess.Popen([*command, app], cwd=cwd, env=env, start_new_session=True)
        try:
            wait_until_serving(port, process)
            yield port
        finally:
            stop(process)


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn on port {port} did not start within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def interrupts_as_exceptions():
    """SIGTERM unwinds like Ctrl-C, so every `finally` stops what it started."""

    def raise_interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- a small HTTP/1.1 client ----------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None

    @property
    def text(self) -> str:
        body = self.body
        if self.header("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode()


def build_request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_response(reader: asyncio.StreamReader) -> tuple[Response, bool]:
    """One response, and whether the server closes the connection after it."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers: dict[str, list[str]] = {}
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    close = any(v.lower() == "close" for v in headers.get("connection", []))
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"][-1]))
    elif any("chunked" in v.lower() for v in headers.get("transfer-encoding", [])):
        body = await read_chunked(reader)
    else:
        body, close = await reader.read(), True
    return Response(status, headers, body), close


async def read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readline()).split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readline()
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readline()


async def fetch(port: int, raw: bytes, timeout: float = 30) -> Response:
    """Send one request on a new connection and read the answer."""

    async def exchange() -> Response:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(raw)
            await writer.drain()
            return (await read_response(reader))[0]
        finally:
            writer.close()

    return await asyncio.wait_for(exchange(), timeout)


@dataclass
class Browser:
    """Cookies and CSRF as a browser keeps them. Cookies marked Secure are sent anyway: these runs
    have no TLS proxy in front of the app."""

    accept_encoding: str = "gzip"
    cookies: dict[str, str] = field(default_factory=dict)

    def headers(self, path: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Host": HOST, "Connection": "close", "User-Agent": "stemhulp-bench"}
        if self.accept_encoding:
            headers["Accept-Encoding"] = self.accept_encoding
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        return headers | (extra or {})

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def csrf_headers(self, path: str) -> dict[str, str]:
        return {
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Origin": f"http://{HOST}",
            "Referer": f"http://{HOST}{path}",
        }

    async def get(self, port: int, path: str, **extra: str) -> Response:
        return self.keep(await fetch(port, build_request("GET", path, self.headers(path, extra))))

    async def post(self, port: int, path: str, form: dict | list, **extra: str) -> Response:
        body = urlencode(form, doseq=True).encode()
        headers = self.headers(path, self.csrf_headers(path) | extra)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.keep(await fetch(port, build_request("POST", path, headers, body)))

    def keep(self, response: Response) -> Response:
        for cookie in response.headers.get("set-cookie", []):
            pair, *attributes = cookie.split(";")
            name, _, value = pair.strip().partition("=")
            if any(a.strip().lower() == "max-age=0" for a in attributes):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response


# --- one voter, to get real cookies and links -----------------------------------------------


@dataclass
class Voter:
    step_cookie: str
    step_path: str
    finished_cookie: str
    share_path: str
    statement_ids: list[int]
    day_step_cookie: str = ""
    day_step_path: str = ""
    day_finished_cookie: str = ""


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise RuntimeError(f"{what}: expected {status}, got {response.status}")
    return response


async def play_voter(port: int) -> Voter:
    rng = random.Random(1)
    browser = Browser()
    api = json.loads(expect(await browser.get(port, f"/api/elections/{SLUG}/"), 200, "API").text)
    statement_ids = [s["id"] for s in api["statements"]]
    expect(await browser.get(port, f"/{SLUG}/stelling/1/"), 200, "statement 1")
    step_cookie = ""
    for number in range(1, len(statement_ids) + 1):
        if number == ANSWERED_BEFORE_STEP + 1:
            step_cookie = browser.cookie_header()
        path = f"/{SLUG}/stelling/{number}/"
        answer = rng.choice(["agree", "agree", "disagree", "neutral", "skip"])
        expect(await browser.post(port, path, {"answer": answer}), 302, f"answer {number}")
    result = expect(await browser.get(port, f"/{SLUG}/resultaat/"), 200, "result")
    share = re.search(r'id="share-url"[^>]*value="([^"]+)"', result.text)
    if share is None:
        raise RuntimeError("no share link on the result page")
    link = urlsplit(html.unescape(share[1]))
    voter = Voter(
        step_cookie,
        f"/{SLUG}/stelling/{ANSWERED_BEFORE_STEP + 1}/",
        browser.cookie_header(),
        f"{link.path}?{link.query}",
        statement_ids,
    )
    await play_ballot_day(port, voter, rng)
    return voter


async def play_ballot_day(port: int, voter: Voter, rng: random.Random) -> None:
    """The demo ballot day: every statement answered, the cookie kept before the last shared one."""
    browser = Browser()
    api = await browser.get(port, f"/api/ballot-days/{DAY}/")
    detail = json.loads(expect(api, 200, "ballot-day API").text)
    shared = len(detail["shared"])
    expect(await browser.get(port, f"/dag/{DAY}/stelling/1/"), 200, "day statement 1")
    for number in range(1, len(detail["statements"]) + 1):
        if number == shared:
            voter.day_step_cookie = browser.cookie_header()
            voter.day_step_path = f"/dag/{DAY}/stelling/{number}/"
        answer = rng.choice(["agree", "agree", "disagree", "neutral", "skip"])
        path = f"/dag/{DAY}/stelling/{number}/"
        expect(await browser.post(port, path, {"answer": answer}), 302, f"day answer {number}")
    expect(await browser.get(port, f"/dag/{DAY}/resultaat/"), 200, "day result")
    voter.day_finished_cookie = browser.cookie_header()


# --- load ------------------------------------------------------------------------------------


@dataclass
class Target:
    label: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    goal: int | None = None


@dataclass
class Load:
    requests_per_second: float
    errors: int


def run_wrk(port: int, target: Target, duration: float, connections: int) -> Load:
    lua = [f'wrk.method = "{target.method}"']
    lua += [f"wrk.headers[ [==[{k}]==] ] = [==[{v}]==]" for k, v in target.headers.items()]
    if target.body:
        lua.append(f"wrk.body = [==[{target.body.decode()}]==]")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write("\n".join(lua) + "\n")
        script.flush()
        command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration:g}s"]
        command += ["-s", script.name, f"http://{HOST}:{port}{target.path}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(float(rate[1]), errors + (int(non_2xx[1]) if non_2xx else 0))


def run_python(port: int, target: Target, duration: float, connections: int) -> Load:
    headers = {"Host": f"{HOST}:{port}", **target.headers}
    if target.body:
        headers["Content-Type"] = headers.get("Content-Type", "application/octet-stream")
    raw = build_request(target.method, target.path, headers, target.body)
    return asyncio.run(_python_load(port, raw, duration, connections))


async def _python_load(port: int, raw: bytes, duration: float, connections: int) -> Load:
    counts = {"ok": 0, "errors": 0}
    started = time.monotonic()
    deadline = started + duration

    async def connection() -> None:
        writer = None
        while time.monotonic() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                writer.write(raw)
                response, close = await read_response(reader)
                counts["ok" if response.status < 400 else "errors"] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                counts["errors"] += 1
                close = True
            if close and writer is not None:
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return Load(counts["ok"] / (time.monotonic() - started), counts["errors"])


def base_headers(accept_encoding: str) -> dict[str, str]:
    return {"Accept-Encoding": accept_encoding} if accept_encoding else {}


def measure(port: int, target: Target, load, duration: float, connections: int) -> Load:
    """Warm every worker's caches with a few requests, then load the URL for `duration`."""
    raw = build_request(target.method, target.path, {"Host": HOST, **target.headers}, target.body)
    for _ in range(workers() * 2):
        asyncio.run(fetch(port, raw))
    result = load(port, target, duration, connections)
    print(f"  {target.label}: {result.requests_per_second:,.0f} req/s", flush=True)
    return result


def targets(voter: Voter, accept_encoding: str) -> list[Target]:
    base = base_headers(accept_encoding)
    answers = {str(i): random.Random(i).choice([1, 0, -1, None]) for i in voter.statement_ids}
    match_body = json.dumps({"answers": answers}).encode()
    return [
        Target("statement step (voter's cookie)", "GET", voter.step_path,
               base | {"Cookie": voter.step_cookie}, goal=60),
        Target("start page", "GET", "/", base, goal=60),
        Target("election page", "GET", f"/{SLUG}/", base, goal=60),
        Target("match API (POST JSON)", "POST", f"/api/elections/{SLUG}/match",
               base | {"Content-Type": "application/json"}, match_body, goal=60),
        Target("own result page (finished quiz)", "GET", f"/{SLUG}/resultaat/",
               base | {"Cookie": voter.finished_cookie}, goal=25),
        Target("shared result page", "GET", voter.share_path, base, goal=25),
        Target("ballot-day statement step", "GET", voter.day_step_path,
               base | {"Cookie": voter.day_step_cookie}, goal=60),
        Target("ballot-day result page (2 levels)", "GET", f"/dag/{DAY}/resultaat/",
               base | {"Cookie": voter.day_finished_cookie}, goal=25),
    ]  # fmt: skip


def compression(port: int, voter: Voter) -> str:
    headers = {"Host": HOST, "Accept-Encoding": "gzip", "Cookie": voter.step_cookie}
    response = asyncio.run(fetch(port, build_request("GET", voter.step_path, headers)))
    encoding = response.header("content-encoding")
    if encoding:
        return f"yes (Content-Encoding: {encoding}, {len(response.body):,} bytes)"
    return f"no (no Content-Encoding, {len(response.body):,} bytes)"


def main() -> int:
    duration = envnumber("DURATION", 5)
    rounds = int(envnumber("ROUNDS", 1))
    connections = int(envnumber("CONNECTIONS", 16))
    accept_encoding = os.environ.get("ACCEPT_ENCODING", "gzip, deflate, br")
    wrk = shutil.which("wrk")
    load = run_wrk if wrk else run_python
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as workdir, interrupts_as_exceptions():
        database = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3"
        env = production_env(DATABASE_URL=database)
        print(f"Preparing the demo database ({database.split(':')[0]}) ...", flush=True)
        prepare_database(env)
        hello_env = production_env()
        with (
            gunicorn("stemhulp.wsgi:application", env) as app_port,
            gunicorn(
                "bench_hello.wsgi:application", hello_env, pythonpath=ROOT / "scripts"
            ) as hello_port,
        ):
            voter = asyncio.run(play_voter(app_port))
            plan = targets(voter, accept_encoding)
            print(
                f"gunicorn, {workers()} sync workers per app; load: "
                f"{'wrk (' + wrk + ')' if wrk else 'built-in Python generator (wrk not on PATH)'}; "
                f"{connections} connections, {duration:g} s per URL"
                f"{f' in each of {rounds} rounds' if rounds > 1 else ''}; "
                f"Accept-Encoding: {accept_encoding or '(none)'}",
                flush=True,
            )
            hello = Target("bare Django hello", "GET", "/", base_headers(accept_encoding))
            rows = []
            for target in plan:
                pairs = []
                for _ in range(rounds):
                    floor = measure(hello_port, hello, load, duration, connections)
                    pairs.append((measure(app_port, target, load, duration, connections), floor))
                rows.append((target, *median_pair(pairs)))
            encoded = compression(app_port, voter)
    print_table(rows, encoded)
    return 0


def median_pair(pairs: list[tuple[Load, Load]]) -> tuple[Load, Load]:
    """The (URL, bare view) pair of the round with the median share; errors over all rounds."""
    ordered = sorted(pairs, key=lambda p: p[0].requests_per_second / p[1].requests_per_second)
    result, floor = ordered[len(ordered) // 2]
    return (
        Load(result.requests_per_second, sum(r.errors for r, _ in pairs)),
        Load(floor.requests_per_second, sum(f.errors for _, f in pairs)),
    )


def print_table(rows: list[tuple[Target, Load, Load]], encoded: str) -> None:
    """Each URL's share is of the bare view measured just before it: on a busy machine the
    floor drifts, and a ratio of two neighbouring measurements drifts less."""
    floors = [floor for _, _, floor in rows]
    mean = sum(f.requests_per_second for f in floors) / len(floors)
    print(f"\n{'URL':<36} {'req/s':>8} {'of hello':>9} {'target':>7} {'met':>4} {'errors':>7}")
    print(
        f"{'bare Django hello (mean)':<36} {mean:>8,.0f} {'100%':>9} {'':>7} {'':>4} "
        f"{sum(f.errors for f in floors):>7}"
    )
    for target, result, floor in rows:
        share = 100 * result.requests_per_second / floor.requests_per_second
        met = "yes" if share >= target.goal else "no"
        print(
            f"{target.label:<36} {result.requests_per_second:>8,.0f} {share:>8.0f}% "
            f"{'>=' + str(target.goal) + '%':>7} {met:>4} {result.errors:>7}"
        )
    print(f"\nStatement page HTML compressed for Accept-Encoding: gzip: {encoded}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
