"""Measure anonymous page views with and without the page cache, through gunicorn on 127.0.0.1.

    .venv/bin/python bench/page_cache.py [--requests 300] [--port 8642]

Starts gunicorn (2 workers) on a fresh SQLite database with the demo content, sends a bounded
number of sequential requests to /fr/ and /en/ per configuration, prints latency figures, and
stops the server. Nothing leaves the machine.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


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
    args = parser.parse_args()
    if not 8600 <= args.port <= 8699:
        sys.exit("use a port in 8600-8699")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SECRET_KEY": "bench-not-secret",
            "SITE_HTTPS": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "CACHE_DIR": f"{tmp}/cache",
            "HOST": "127.0.0.1",
            "PORT": str(args.port),
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "ERROR",
        }
        for command in (["migrate", "--noinput"], ["seed_site"], ["collectstatic", "--noinput"]):
            subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{args.port}"
        for label, seconds in (("page cache off", "0"), ("page cache on", "600")):
            server = subprocess.Popen(
                [str(Path(PY).parent / "gunicorn"), "site_ordre.wsgi", "--access-logfile", "/dev/null"],
                cwd=ROOT,
                env={**env, "PAGE_CACHE_SECONDS": seconds},
            )
            try:
                wait_for(base + "/healthz")
                measure(base, 20)  # warm up both workers
                result = measure(base, args.requests)
            finally:
                server.terminate()
                server.wait(timeout=30)
            print(
                f"{label:15} {args.requests} requests: median {result['median_ms']:.1f} ms, "
                f"p95 {result['p95_ms']:.1f} ms, {result['req_per_s']:.0f} req/s sequential"
            )


if __name__ == "__main__":
    main()
