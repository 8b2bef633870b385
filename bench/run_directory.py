"""Benchmark the main pages (home, directory, profession, blog post) against a bare Django view,
under gunicorn on PostgreSQL.

    python bench/run_directory.py [--seconds 10] [--connections 4] [--workers 2]
                                  [--database site_ordre_bench] [--port 8731]

Needs PostgreSQL on 127.0.0.1:5432 and `wrk` (apt-get install wrk). It creates the database
(`site_ordre_bench` unless told), loads the demo content, serves it with gunicorn on 127.0.0.1:8731
(page cache off: every request is rendered), and for each URL reports requests/second, p50/p95
latency, server CPU per request, the SQL queries per request, whether a GET could be stored by a
shared cache (no Set-Cookie, no Vary: Cookie) and the ratio to the bare view. Bounded: every run
lasts --seconds, and the server is stopped at the end.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
HOST = "127.0.0.1"
SERVER = "postgres://postgres@127.0.0.1:5432"
PAGES = {
    "bare Django view": "/bench/bare/",
    "home (fr)": "/fr/",
    "directory index (fr)": "/fr/ordres/",
    "directory index (en)": "/en/orders/",
    "order page": "/fr/ordres/ordre-des-ingenieurs-du-quebec/",
    "profession page": "/en/orders/order-of-engineers/engineer/",
    "professions A–Z": "/fr/professions/",
    "blog post": "/fr/blogue/qu-est-ce-qu-un-ordre-professionnel/",
}
# Set by main() from the command line.
DATABASE, PORT = "site_ordre_bench", 8731


def env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "SECRET_KEY": "bench-only",
        "SITE_HTTPS": "0",
        "SERVE_MEDIA": "1",
        "ALLOWED_HOSTS": HOST,
        "REDIS_URL": "",
        "PAGE_CACHE_SECONDS": "0",
    }


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=REPO, env=env(), check=True, stdout=subprocess.DEVNULL)


def prepare_database() -> None:
    subprocess.run(["psql", "-q", f"{SERVER}/postgres",
                    "-c", f"DROP DATABASE IF EXISTS {DATABASE}", "-c", f"CREATE DATABASE {DATABASE}"],
                   check=True)  # fmt: skip
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("seed_site")


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return total


def server_pids(master: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [master, *map(int, children)]


def count_queries(path: str) -> int:
    """SQL queries for one request, measured in-process with the same settings."""
    code = (
        "import django;django.setup();"
        "from django.test import Client;from django.db import connection;"
        "from django.test.utils import CaptureQueriesContext;c=Client();"
        f"c.get({path!r});"
        "ctx=CaptureQueriesContext(connection)\nwith ctx: c.get(" + repr(path) + ")\nprint(len(ctx))"
    )
    out = subprocess.run([PY, "-c", code], cwd=REPO, env={**env(), "ALLOWED_HOSTS": "testserver"},
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1])


def shareable(path: str) -> bool:
    """Whether a shared cache (the page cache, a CDN) may store the response: no cookie, no Vary: Cookie."""
    with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=10) as response:
        vary = (response.headers.get("Vary") or "").lower()
        return response.headers.get("Set-Cookie") is None and "cookie" not in vary


def wrk(path: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
         f"http://{HOST}:{PORT}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p95": latency("90") if not re.search(r"^\s+95%", out, re.M) else latency("95"),
        "requests": requests,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def main() -> None:
    global DATABASE, PORT  # the helpers above read them
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=DATABASE, help="PostgreSQL database to (re)create and use.")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--skip-setup", action="store_true", help="Reuse the database of a previous run.")
    args = parser.parse_args()
    DATABASE, PORT = args.database, args.port
    if not args.skip_setup:
        prepare_database()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "site_ordre.wsgi", "--workers", str(args.workers), "--bind", f"{HOST}:{PORT}",
         "--log-level", "warning", "--max-requests", "0", "--access-logfile", "/dev/null"],
        cwd=REPO, env=env(),
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{HOST}:{PORT}/bench/bare/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        pids = server_pids(server.pid)
        results = {}
        for name, path in PAGES.items():
            wrk(path, 2, args.connections)  # warm-up
            before = cpu_seconds(pids)
            result = wrk(path, args.seconds, args.connections)
            result["cpu_ms"] = (cpu_seconds(pids) - before) * 1000 / max(result["requests"], 1)
            result["queries"] = count_queries(path)
            result["shareable"] = shareable(path)
            results[name] = result
        bare = results["bare Django view"]["rps"]
        print(f"gunicorn {args.workers} workers, wrk {args.connections} connections, {args.seconds}s per URL")
        print(
            f"{'page':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms/req':>10} {'SQL':>4} {'vs bare':>8} "
            f"{'shareable':>9}"
        )
        for name, r in results.items():
            errors = f"  ({r['errors']} errors)" if r["errors"] else ""
            ratio = 100 * r["rps"] / bare
            print(
                f"{name:24} {r['rps']:8.1f} {r['p50']:8.2f} {r['p95']:8.2f} {r['cpu_ms']:10.2f} "
                f"{r['queries']:4d} {ratio:7.1f}% {'yes' if r['shareable'] else 'no':>9}{errors}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
