"""Load test: cached and uncached pages against a bare Django view, a mixed run, a Redis outage.

    python bench/load.py [--quick] [--seconds 10] [--mixed-seconds 60] [--connections 4] [--workers 2]

Needs PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379 (database 7 is flushed and used) and
`wrk`. It builds the database `site_ordre_load_bench` (migrate, collectstatic, seed_site) and
serves it with gunicorn (bench.settings: the real settings plus /bench/bare/) on 127.0.0.1, in
three configurations, one after the other:

- "cached" (port 8901): PAGE_CACHE_SECONDS=600, REDIS_URL=redis://127.0.0.1:6379/7. The bare view,
  then the cached pages (warmed up first; the script checks they answer `X-Page-Cache: hit`),
  then the mixed run over ~20 public URLs in both languages.
- "uncached" (port 8902): PAGE_CACHE_SECONDS=0, same Redis (menu and directory fragments still
  cached). The directory index and a profession page, rendered on every request.
- "Redis stopped" (port 8903): PAGE_CACHE_SECONDS=600 on a Redis server of the script's own
  (redis-server on 127.0.0.1:6390, started here, nothing kept on disk). The mixed run again, warm;
  halfway through, that Redis is killed. Every request must still succeed, only slower; the URLs
  are then checked once more with Redis gone.

Each page is measured in rounds alternating with the bare view on the same server (2 s each), and
its ratio is taken against those rounds: the machine's load changes from one second to the next.
Errors are non-2xx/3xx answers plus socket errors (connect, read, write, timeout). Every run is
bounded and each server is stopped when its phase ends. Exits 1 if a run had errors.
"""

import argparse
import os
import signal
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

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "site_ordre_load_bench"
REDIS_URL = "redis://127.0.0.1:6379/7"
OWN_REDIS_PORT = 6390  # a redis-server started (and killed halfway) by the script
PORTS = {"cached": 8901, "uncached": 8902, "redis-down": 8903}

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

# Prints one line the script parses; wrk's own summary has no p95 and folds errors together.
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
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def env(**extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "SECRET_KEY": "bench-only",
        "SITE_HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def prepare_database() -> None:
    subprocess.run(["psql", "-q", f"{PG}/postgres", "-c", f"DROP DATABASE IF EXISTS {DB_NAME}",
                    "-c", f"CREATE DATABASE {DB_NAME}"], check=True)  # fmt: skip
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_site"]):
        subprocess.run([PY, "manage.py", *command], cwd=REPO, env=env(REDIS_URL=""), check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip


def get(url: str) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@contextmanager
def own_redis():
    """A throwaway redis-server on OWN_REDIS_PORT; yields the process so that it can be killed."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(OWN_REDIS_PORT), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = redis.Redis(host=HOST, port=OWN_REDIS_PORT)
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
def serve(name: str, workers: int, **settings: str):
    """gunicorn on 127.0.0.1:PORTS[name] for the duration of the block; its log goes to a file."""
    port = PORTS[name]
    log_path = Path(tempfile.gettempdir()) / f"site_ordre_load_{name}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "site_ordre.wsgi", "--workers", str(workers), "--bind", f"{HOST}:{port}",
             "--log-level", "warning", "--access-logfile", "/dev/null"],
            cwd=REPO, env=env(**settings), stdout=log, stderr=log,
        )  # fmt: skip
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + BARE, timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn ({name}) did not start on port {port}: see {log_path}")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    """Run wrk over one path (or rotate over several) and return req/s, p50/p95 and errors."""
    lua = WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths) if len(paths) > 1 else ""}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua)
        script.flush()
        out = subprocess.run(
            ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
             "-s", script.name, base + paths[0]],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration_us, status, connect, read, write, timeout, p50, p95 = line.split()[1:]
    return {
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "requests": int(requests),
        "errors": int(status) + int(connect) + int(read) + int(write) + int(timeout),
        "detail": f"status {status}, connect {connect}, read {read}, write {write}, timeout {timeout}",
    }


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
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.mixed_seconds, args.redis_down_seconds = 4, 10, 10
    if not args.skip_setup:
        prepare_database()
    redis.Redis.from_url(REDIS_URL).flushdb()  # database 7 is the benchmark's own
    warmup = max(1, args.seconds // 3)
    results: dict[str, dict] = {}
    problems: list[str] = []

    def paired(base: str, name: str, path: str) -> None:
        """The bare view and the page in alternating rounds, so both see the same machine load."""
        wrk(base, [path], warmup, args.connections)
        rounds = max(1, args.seconds // 2)
        seconds = max(1, args.seconds // rounds)
        bare_runs, page_runs = [], []
        for _ in range(rounds):
            bare_runs.append(wrk(base, [BARE], seconds, args.connections))
            page_runs.append(wrk(base, [path], seconds, args.connections))
        results[f"bare view, alternating with {name}"] = bare = combine(bare_runs)
        results[name] = combine(page_runs)
        results[name]["bare_rps"] = bare["rps"]

    with serve("cached", args.workers, PAGE_CACHE_SECONDS="600", REDIS_URL=REDIS_URL) as base:
        problems += check_urls(base, MIXED)
        wrk(base, [BARE], warmup, args.connections)
        for name, path in CACHED.items():
            get(base + path)  # stores it
            problems += check_urls(base, [path], expect_hit=True)
            paired(base, name, path)
        wrk(base, MIXED, warmup, args.connections)
        results[f"mixed, {len(MIXED)} URLs, {args.mixed_seconds}s"] = wrk(
            base, MIXED, args.mixed_seconds, args.connections
        )

    with serve("uncached", args.workers, PAGE_CACHE_SECONDS="0", REDIS_URL=REDIS_URL) as base:
        for name, path in UNCACHED.items():
            paired(base, name, path)

    with (
        own_redis() as redis_server,
        serve(
            "redis-down", args.workers, PAGE_CACHE_SECONDS="600", REDIS_URL=f"redis://{HOST}:{OWN_REDIS_PORT}/0"
        ) as base,
    ):
        problems += check_urls(base, MIXED)
        wrk(base, MIXED, warmup, args.connections)  # warm: pages come from Redis until it stops
        stopper = threading.Timer(args.redis_down_seconds / 2, redis_server.kill)
        stopper.start()
        results[f"mixed, Redis killed after {args.redis_down_seconds / 2:g}s of {args.redis_down_seconds}s"] = wrk(
            base, MIXED, args.redis_down_seconds, args.connections
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
