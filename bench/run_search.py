"""Benchmark the search page and autocomplete against a bare Django view, under gunicorn on PostgreSQL.

    python bench/run_search.py [--seconds 10] [--connections 4] [--workers 2] [--setup]

Needs PostgreSQL on 127.0.0.1:5432 and `wrk`. Uses the database `site_ordre_search` (`--setup`
recreates it: migrate, seed_site), serves it with gunicorn on 127.0.0.1:8733 and reports, per URL,
requests/second, p50/p99 latency and the ratio to the bare view. Every search request also records
its query (Wagtail's daily hits), as in production. The server is stopped at the end.
"""

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
HOST, PORT = "127.0.0.1", 8733
DB = "site_ordre_search"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
URLS = {
    "bare Django view": "/bench/bare/",
    "order page (reference)": "/fr/ordres/ordre-des-ingenieurs-du-quebec/",
    "search page, exact (fr)": "/fr/recherche/?q=" + quote("infirmières"),
    "search page, acronym (en)": "/en/search/?q=OIQ",
    "search page, typo (fr)": "/fr/recherche/?q=dentsite",
    "search page, no result (en)": "/en/search/?q=qwxzv",
    "autocomplete, prefix (fr)": "/fr/recherche/suggestions/?q=infir",
    "autocomplete, other language (en)": "/en/search/suggestions/?q=avocat",
}


def env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.search_settings",
        "DATABASE_URL": DB_URL,
        "SECRET_KEY": "bench-only",
        "SITE_HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "REDIS_URL": "",
    }


def setup() -> None:
    base = "postgres://postgres@127.0.0.1:5432/postgres"
    subprocess.run(
        ["psql", "-q", base, "-c", f"DROP DATABASE IF EXISTS {DB}", "-c", f"CREATE DATABASE {DB}"], check=True
    )
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_site"]):
        subprocess.run([PY, "manage.py", *args], cwd=REPO, env=env(), check=True, stdout=subprocess.DEVNULL)


def wrk(path: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://{HOST}:{PORT}{path}"],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--setup", action="store_true", help="Recreate and seed the database first.")
    args = parser.parse_args()
    if args.setup:
        setup()
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "site_ordre.wsgi:application", "-b", f"{HOST}:{PORT}",
         "-w", str(args.workers), "--log-level", "error"],
        cwd=REPO, env=env(),
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://{HOST}:{PORT}/bench/bare/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for path in URLS.values():  # warm every worker
            for _ in range(4 * args.workers):
                urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=10).read()
        results = {name: wrk(path, args.seconds, args.connections) for name, path in URLS.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    bare = results["bare Django view"]["rps"]
    print(f"gunicorn -w {args.workers}, wrk -c {args.connections} -d {args.seconds}s, PostgreSQL")
    print(f"{'URL':36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'errors':>7}")
    for name, row in results.items():
        ratio = row["rps"] / bare
        print(f"{name:36} {row['rps']:8.0f} {row['p50']:8.1f} {row['p99']:8.1f} {ratio:8.2f} {row['errors']:7d}")


if __name__ == "__main__":
    main()
