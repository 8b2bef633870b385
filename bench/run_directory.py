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
import subprocess
import urllib.request
from pathlib import Path

from launch import HOST, PY, ROOT, gunicorn, recreate_database, site_env, wrk

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
    return site_env(
        DATABASE, DJANGO_SETTINGS_MODULE="bench.settings", SERVE_MEDIA="1", REDIS_URL="", PAGE_CACHE_SECONDS="0"
    )


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
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env={**env(), "ALLOWED_HOSTS": "testserver"},
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1])


def shareable(path: str) -> bool:
    """Whether a shared cache (the page cache, a CDN) may store the response: no cookie, no Vary: Cookie."""
    with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=10) as response:
        vary = (response.headers.get("Vary") or "").lower()
        return response.headers.get("Set-Cookie") is None and "cookie" not in vary


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
        recreate_database(DATABASE, env())
    extra = ["--max-requests", "0"]
    with gunicorn(env(), PORT, args.workers, extra) as server:
        pids = server_pids(server.pid)
        results = {}
        for name, path in PAGES.items():
            wrk(server.url, [path], 2, args.connections)  # warm-up
            before = cpu_seconds(pids)
            result = wrk(server.url, [path], args.seconds, args.connections)
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


if __name__ == "__main__":
    main()
