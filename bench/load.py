"""Load test: cached and uncached pages against a bare Django view, a mixed run, a Redis outage.

    python bench/load.py [--quick] [--seconds 10] [--mixed-seconds 60] [--connections 4] [--workers 2]
                         [--database site_ordre_load_bench] [--port 8901]
                         [--redis-url redis://127.0.0.1:6379/7] [--own-redis-port 6390]

Needs PostgreSQL on 127.0.0.1:5432, Redis at --redis-url (that database is flushed and used) and
`wrk`. It builds the database --database (migrate, collectstatic, seed_site) and serves it with
gunicorn (bench.settings: the real settings plus /bench/bare/) on 127.0.0.1, in three
configurations, one after the other:

- "cached" (port --port): PAGE_CACHE_SECONDS=600, REDIS_URL=--redis-url. The bare view, then the
  cached pages (warmed up first; the script checks they answer `X-Page-Cache: hit`), then the
  mixed run over ~20 public URLs in both languages.
- "uncached" (port --port + 1): PAGE_CACHE_SECONDS=0, same Redis (menu and directory fragments still
  cached). The directory index and a profession page, rendered on every request.
- "Redis stopped" (port --port + 2): PAGE_CACHE_SECONDS=600 on a Redis server of the script's own
  (redis-server on 127.0.0.1:--own-redis-port, started here, nothing kept on disk). The mixed run
  again, warm; halfway through, that Redis is killed. Every request must still succeed, only
  slower; the URLs are then checked once more with Redis gone.

Each page is measured in rounds alternating with the bare view on the same server (2 s each), and
its ratio is taken against those rounds: the machine's load changes from one second to the next.
Errors are non-2xx/3xx answers plus socket errors (connect, read, write, timeout). Every run is
bounded and each server is stopped when its phase ends. Exits 1 if a run had errors.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import redis
from launch import HOST, gunicorn, recreate_database, site_env, wrk

PHASES = ("cached", "uncached", "redis-down")  # served on --port, --port + 1, --port + 2

BARE = "/bench/bare/"
CACHED = {
    "home (fr), cached": "/fr/",
    "directory index (en), cached": "/en/orders/",
    "profession page (fr), cached": "/fr/ordres/ordre-des-ingenieurs-du-quebec/ingenieur/",
}
UNCACHED = {
    "directory index (fr), uncached": "/fr/ordres/",
    "profession page (en), uncached": "/en/orders/order-of-engineers/engineer/",
}
# The mixed run: pages, filters, search, blog, guide steps, feeds, open data; French and English.
MIXED = [
    "/fr/",
    "/en/",
    "/fr/ordres/",
    "/en/orders/?sector=droit-administration-affaires",
    "/fr/ordres/?practice=reserved&letter=I",
    "/fr/ordres/barreau-du-quebec/",
    "/en/orders/order-of-engineers/engineer/",
    "/fr/professions/",
    "/en/professions/",
    "/fr/recherche/?q=ing%C3%A9nieur",
    "/en/search/?q=lawyer&page=2",
    "/fr/blogue/",
    "/en/blog/what-is-a-professional-order/",
    "/fr/blogue/categorie/comprendre/",
    "/en/blog/tag/syndic/",
    "/fr/blogue/rss/",
    "/en/blog/category/your-options/atom/",
    "/fr/qui-contacter/?step=q2",
    "/en/who-do-i-contact/?step=r_syndic",
    "/fr/proteger-le-public/qu-est-ce-qu-un-ordre-professionnel/",
    "/data/directory.json",
    "/data/directory.csv",
    "/sitemap.xml",
    "/healthz",
]


def env(database: str, **extra: str) -> dict:
    return site_env(database, DJANGO_SETTINGS_MODULE="bench.settings", LOG_LEVEL="ERROR", **extra)


def get(url: str) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@contextmanager
def own_redis(port: int):
    """A throwaway redis-server on that port; yields the process so that it can be killed."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = redis.Redis(host=HOST, port=port)
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def serve(name: str, args: argparse.Namespace, **settings: str):
    """gunicorn on 127.0.0.1 for the duration of the block (the port of its phase); its log goes to a file."""
    port = args.port + PHASES.index(name)
    log = Path(tempfile.gettempdir()) / f"site_ordre_load_{name}.log"
    with gunicorn(env(args.database, **settings), port, args.workers, log=log) as server:
        yield server.url


def combine(runs: list[dict]) -> dict:
    """Several rounds as one: total requests over total time; median of the rounds' p50 and p95."""
    return {
        "rps": sum(run["rps"] for run in runs) / len(runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p95": statistics.median(run["p95"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "detail": "; ".join(run["detail"] for run in runs if run["errors"]),
    }


def check_urls(base: str, paths: list[str], *, expect_hit: bool = False) -> list[str]:
    """Each URL answers 200 (and, for the cached pages, from the page cache); returns the problems."""
    problems = []
    for path in paths:
        status, headers = get(base + path)
        if status != 200:
            problems.append(f"{path}: HTTP {status}")
        elif expect_hit and headers.get("X-Page-Cache") != "hit":
            problems.append(f"{path}: X-Page-Cache {headers.get('X-Page-Cache')!r}, expected 'hit'")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 s per URL, 10 s mixed, 10 s with Redis.")
    parser.add_argument("--seconds", type=int, default=10, help="Per single-URL run.")
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--redis-down-seconds", type=int, default=30, help="Mixed run; Redis is killed halfway.")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-setup", action="store_true", help="Reuse the database of a previous run.")
    parser.add_argument("--database", default="site_ordre_load_bench", help="PostgreSQL database to (re)create.")
    parser.add_argument("--port", type=int, default=8901, help="The first of the three gunicorn ports on 127.0.0.1.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7", help="Redis database to flush and use.")
    parser.add_argument("--own-redis-port", type=int, default=6390, help="Port of the Redis server killed halfway.")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.mixed_seconds, args.redis_down_seconds = 4, 10, 10
    if not args.skip_setup:
        recreate_database(args.database, env(args.database, REDIS_URL=""))
    redis.Redis.from_url(args.redis_url).flushdb()  # the benchmark's own database
    warmup = max(1, args.seconds // 3)
    results: dict[str, dict] = {}
    problems: list[str] = []

    def run(base: str, paths: list[str], seconds: int) -> dict:
        return wrk(base, paths, seconds, args.connections, timeout="5s")

    def paired(base: str, name: str, path: str) -> None:
        """The bare view and the page in alternating rounds, so both see the same machine load."""
        run(base, [path], warmup)
        rounds = max(1, args.seconds // 2)
        seconds = max(1, args.seconds // rounds)
        bare_runs, page_runs = [], []
        for _ in range(rounds):
            bare_runs.append(run(base, [BARE], seconds))
            page_runs.append(run(base, [path], seconds))
        results[f"bare view, alternating with {name}"] = bare = combine(bare_runs)
        results[name] = combine(page_runs)
        results[name]["bare_rps"] = bare["rps"]

    with serve("cached", args, PAGE_CACHE_SECONDS="600", REDIS_URL=args.redis_url) as base:
        problems += check_urls(base, MIXED)
        run(base, [BARE], warmup)
        for name, path in CACHED.items():
            get(base + path)  # stores it
            problems += check_urls(base, [path], expect_hit=True)
            paired(base, name, path)
        run(base, MIXED, warmup)
        results[f"mixed, {len(MIXED)} URLs, {args.mixed_seconds}s"] = run(base, MIXED, args.mixed_seconds)

    with serve("uncached", args, PAGE_CACHE_SECONDS="0", REDIS_URL=args.redis_url) as base:
        for name, path in UNCACHED.items():
            paired(base, name, path)

    with (
        own_redis(args.own_redis_port) as redis_server,
        serve(
            "redis-down", args, PAGE_CACHE_SECONDS="600", REDIS_URL=f"redis://{HOST}:{args.own_redis_port}/0"
        ) as base,
    ):
        problems += check_urls(base, MIXED)
        run(base, MIXED, warmup)  # warm: pages come from Redis until it stops
        stopper = threading.Timer(args.redis_down_seconds / 2, redis_server.kill)
        stopper.start()
        results[f"mixed, Redis killed after {args.redis_down_seconds / 2:g}s of {args.redis_down_seconds}s"] = run(
            base, MIXED, args.redis_down_seconds
        )
        stopper.join()
        if redis_server.wait(timeout=10) is None:
            problems.append("Redis was not stopped")
        problems += [f"Redis down: {problem}" for problem in check_urls(base, MIXED)]

    print(f"\ngunicorn {args.workers} workers, wrk {args.connections} connections, {args.seconds}s per URL")
    print(
        "'vs bare': requests/second relative to the bare view on the same server, measured in alternating "
        f"{max(1, args.seconds // 2)}-round pairs (p50/p95: median of the rounds)"
    )
    print(f"{'run':50} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs bare':>8} {'requests':>9} {'errors':>7}")
    for name, r in results.items():
        ratio = f"{100 * r['rps'] / r['bare_rps']:7.1f}%" if "bare_rps" in r else f"{'':8}"
        print(f"{name:50} {r['rps']:8.1f} {r['p50']:8.2f} {r['p95']:8.2f} {ratio} {r['requests']:9d} {r['errors']:7d}")
        if r["errors"]:
            problems.append(f"{name}: {r['errors']} errors ({r['detail']})")
    if problems:
        print("\nProblems:\n- " + "\n- ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
