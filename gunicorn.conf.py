"""Gunicorn settings for Stemhulp (`make serve`, `make run`, or `gunicorn stemhulp.wsgi`).

Sync workers: a request here is short and CPU-bound (template rendering, scoring) with a few quick
database and cache calls; nothing long-polls or waits on a slow outside service. One request per
process is then the fastest and simplest model, and the processes (not threads) use both cores.
Sync workers must not face slow clients themselves: put them behind a proxy that buffers requests
and responses (nginx, Caddy and HAProxy do), which also terminates TLS.

The access log leaves out the query string and the Referer header: a share link carries the
voter's answers in its query (`/<election>/gedeeld/?a=...`), and the pages it loads send that link
as their Referer. It also leaves out the client address and user agent; Stemhulp stores neither.

Environment:
- `WEB_CONCURRENCY`: number of worker processes (default 2 x CPUs + 1).
- `BIND`: comma-separated addresses (`0.0.0.0:8000`, `unix:/run/stemhulp.sock`); default
  `127.0.0.1:$PORT`, `PORT` defaulting to 8000.
- `GUNICORN_TIMEOUT`: seconds a worker may be silent before it is restarted (default 30); also the
  time a worker gets to finish its requests on a restart or stop.
"""

import os


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


wsgi_app = "stemhulp.wsgi:application"
bind = [
    address.strip()
    for address in os.environ.get("BIND", f"127.0.0.1:{_int('PORT', 8000)}").split(",")
    if address.strip()
]
worker_class = "sync"
workers = _int("WEB_CONCURRENCY", 2 * _cpus() + 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = timeout

accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Stopped, reloaded and resized with signals (TERM, HUP, TTIN/TTOU); no control socket, whose
# default path would be shared by every gunicorn of the same user on the host.
control_socket_disable = True
