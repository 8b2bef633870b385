"""Measure anonymous page views with and without the page cache, through gunicorn on 127.0.0.1.

    .venv/bin/python bench/page_cache.py [--requests 300] [--port 8642] [--database site_ordre_pagecache]

Needs PostgreSQL on 127.0.0.1:5432. Recreates the database (migrate, collectstatic, seed_site),
starts gunicorn (2 workers) on it, sends a bounded number of sequential requests to /fr/ and /en/
per configuration (page cache off, then on), prints latency figures, and stops the server.
Nothing leaves the machine.
"""

import argparse
import statistics
import tempfile
import time
import urllib.request

from launch import gunicorn, recreate_database, site_env


def measure(base: str, count: int) -> dict[str, float]:
    timings = []
    for i in range(count):
        path = "/fr/" if i % 2 == 0 else "/en/"
        start = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=10) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "req_per_s": count / (sum(timings) / 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8642)
    parser.add_argument("--database", default="site_ordre_pagecache", help="PostgreSQL database to recreate and seed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = site_env(args.database, CACHE_DIR=f"{tmp}/cache", LOG_LEVEL="ERROR")
        recreate_database(args.database, env)
        for label, seconds in (("page cache off", "0"), ("page cache on", "600")):
            with gunicorn({**env, "PAGE_CACHE_SECONDS": seconds}, args.port, log_level="error") as server:
                measure(server.url, 20)  # warm up both workers
                result = measure(server.url, args.requests)
            print(
                f"{label:15} {args.requests} requests: median {result['median_ms']:.1f} ms, "
                f"p95 {result['p95_ms']:.1f} ms, {result['req_per_s']:.0f} req/s sequential"
            )


if __name__ == "__main__":
    main()
