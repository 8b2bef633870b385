"""What the bench scripts share: the site's folder, a fresh PostgreSQL database, gunicorn on 127.0.0.1, wrk.

A script builds its environment with site_env(database, ...), recreate_database(database, env), then
measures inside `with gunicorn(env, port, workers) as server:`, e.g. wrk(server.url, paths, seconds,
connections); the server is stopped when the block ends, whatever happens in it.
"""

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
HOST = "127.0.0.1"
PG_URL_BASE = os.environ.get("BENCH_PG_URL_BASE", "postgres://postgres@127.0.0.1:5432")
PORTS = range(8000, 9000)  # where bench servers listen: each script has its own default port in it

# Prints one line wrk() parses: wrk's own summary has no p95 and folds socket errors together.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end
local i = 0
if #paths > 0 then
  function request()
    i = i + 1
    return wrk.format("GET", paths[(offset + i) %% #paths + 1])
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests,
    summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclasses.dataclass(frozen=True)
class Server:
    """A running gunicorn: its address, and its master process (run_directory.py reads its CPU time)."""

    url: str  # http://127.0.0.1:<port>
    pid: int  # the gunicorn master


def site_env(database: str, **extra: str) -> dict:
    """The environment of manage.py and gunicorn for the site on that PostgreSQL database, plain HTTP."""
    return {
        **os.environ,
        "SECRET_KEY": "bench-only",
        "SITE_HTTPS": "0",
        "DATABASE_URL": f"{PG_URL_BASE}/{database}",
        "ALLOWED_HOSTS": HOST,
        **extra,
    }


def manage(env: dict, *args: str) -> None:
    """Run one manage.py command quietly; fail on error."""
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def recreate_database(name: str, env: dict, seed: bool = True, collectstatic: bool = True) -> None:
    """Drop and create the database, migrate, then (by default) collect static files and run seed_site."""
    subprocess.run(
        ["psql", "-q", f"{PG_URL_BASE}/postgres", "-c", f"DROP DATABASE IF EXISTS {name}"]
        + ["-c", f"CREATE DATABASE {name}"],
        check=True,
    )
    manage(env, "migrate", "--noinput")
    if collectstatic:
        manage(env, "collectstatic", "--noinput")
    if seed:
        manage(env, "seed_site")


def wait_for(url: str, seconds: float = 60) -> None:
    """Return once the URL answers; raise RuntimeError after that many seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


@contextlib.contextmanager
def gunicorn(
    env: dict,
    port: int,
    workers: int = 2,
    extra: Sequence[str] = (),
    log_level: str = "warning",
    log: Path | None = None,
) -> Iterator[Server]:
    """gunicorn serving site_ordre.wsgi on 127.0.0.1:port for the block, once /healthz answers; always stopped.

    gunicorn.conf.py applies; the options here and in `extra` (e.g. --max-requests 0) override it.
    Its output goes to `log` when given, else to this terminal.
    """
    if port not in PORTS:
        sys.exit(f"use a port in {PORTS.start}-{PORTS.stop - 1}")
    with socket.socket() as probe:
        if probe.connect_ex((HOST, port)) == 0:  # else wait_for() would take that server for ours
            sys.exit(f"port {port} is in use: choose another with --port")
    command = [PY, "-m", "gunicorn", "site_ordre.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
               "--log-level", log_level, "--access-logfile", "/dev/null", *extra]  # fmt: skip
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log.open("w")) if log else None
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        server = Server(f"http://{HOST}:{port}", process.pid)
        try:
            try:
                wait_for(server.url + "/healthz")
            except RuntimeError as error:
                where = f": see {log}" if log else ""
                raise RuntimeError(f"gunicorn did not start on port {port}{where}") from error
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)


def wrk(base: str, paths: Sequence[str], seconds: int, connections: int, timeout: str | None = None) -> dict:
    """Run wrk on base + one path (or rotating over several): req/s, p50/p95/p99 in ms, requests, errors.

    Errors are non-2xx/3xx answers plus socket errors (connect, read, write, timeout), detailed in "detail".
    """
    lua = WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths) if len(paths) > 1 else ""}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua)
        script.flush()
        out = subprocess.run(
            ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "-s", script.name,
             *(["--timeout", timeout] if timeout else []), base + paths[0]],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration_us, status, connect, read, write, timed_out, p50, p95, p99 = line.split()[1:]
    return {
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "requests": int(requests),
        "errors": int(status) + int(connect) + int(read) + int(write) + int(timed_out),
        "detail": f"status {status}, connect {connect}, read {read}, write {write}, timeout {timed_out}",
    }
