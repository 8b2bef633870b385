"""Benchmark the search page and autocomplete against a bare Django view, under gunicorn on PostgreSQL.

    python bench/run_search.py [--seconds 10] [--connections 4] [--workers 2] [--setup]
                               [--database site_ordre_search] [--port 8733]

Needs PostgreSQL on 127.0.0.1:5432 and `wrk`. Uses the database --database (`--setup` recreates
it: migrate, seed_site), serves it with gunicorn on 127.0.0.1:--port and reports, per URL,
requests/second, p50/p99 latency and the ratio to the bare view. Every search request also records
its query (Wagtail's daily hits), as in production. The server is stopped at the end.
"""

import argparse
import urllib.request
from urllib.parse import quote

from launch import gunicorn, recreate_database, site_env, wrk

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


def env(database: str) -> dict:
    return site_env(database, DJANGO_SETTINGS_MODULE="bench.search_settings", REDIS_URL="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--setup", action="store_true", help="Recreate and seed the database first.")
    parser.add_argument("--database", default="site_ordre_search", help="PostgreSQL database to use.")
    parser.add_argument("--port", type=int, default=8733, help="Port of the gunicorn server on 127.0.0.1.")
    args = parser.parse_args()
    if args.setup:
        recreate_database(args.database, env(args.database))
    with gunicorn(env(args.database), args.port, args.workers, log_level="error") as server:
        for path in URLS.values():  # warm every worker
            for _ in range(4 * args.workers):
                urllib.request.urlopen(server.url + path, timeout=10).read()
        results = {name: wrk(server.url, [path], args.seconds, args.connections) for name, path in URLS.items()}
    bare = results["bare Django view"]["rps"]
    print(f"gunicorn -w {args.workers}, wrk -c {args.connections} -d {args.seconds}s, PostgreSQL")
    print(f"{'URL':36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs bare':>8} {'errors':>7}")
    for name, row in results.items():
        ratio = row["rps"] / bare
        print(f"{name:36} {row['rps']:8.0f} {row['p50']:8.1f} {row['p99']:8.1f} {ratio:8.2f} {row['errors']:7d}")


if __name__ == "__main__":
    main()
