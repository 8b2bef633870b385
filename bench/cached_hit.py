"""Server CPU per page-cache hit against the bare Django "hello" view, in one sitting.

    .venv/bin/python bench/cached_hit.py --database hb_src [--workers 3] [--sittings 3]
        [--port 8360] [--hello-port 8361] [--redis-url redis://127.0.0.1:6379/2]
        [--seconds 8] [--runs 3] [--max-requests N] [--bench-dir ../shared/bench] [--compare DIR]

Needs a migrated, seeded PostgreSQL database (not recreated), Redis, wrk and the shared scripts
(`measure_site.sh`, `hello_ceiling.sh`). Each sitting serves the site with gunicorn (gunicorn.conf.py,
DEBUG off, plain HTTP, ACCESS_LOG=off) twice — `site_ordre.wsgi:application` (hits answered by
ops/cache/fast.py) and `site_ordre.wsgi:django_application` (hits through the middleware) — and
measures `/fr/` and a profession page with `measure_site.sh -P <master pid>`, then the hello view
with `hello_ceiling.sh` and the same workers. It prints server CPU ms per request and each
page's share of the hello view's (hello ms / page ms). gunicorn.conf.py's worker recycling applies
unless --max-requests is given (0: never). --compare DIR also serves another checkout of the site
(e.g. `git archive main | tar -x -C DIR`, with DIR/.venv a link to this .venv) from DIR, with its
own gunicorn.conf.py, in each sitting: before and after side by side. Nothing leaves the machine.
"""

import argparse
import os
import statistics
import subprocess
import sys

from launch import HOST, PY, ROOT, wait_for

PATHS = ("/fr/", "/en/orders/order-of-engineers/engineer/")


def server_ms(output: str) -> dict[str, float]:
    """measure_site.sh's table: path → "srv ms/req" (the second-to-last column)."""
    rows = [line.split() for line in output.splitlines() if line.startswith("/")]
    return {row[0]: float(row[-2]) for row in rows}


def measure_site(args, env: dict, app: str, where=ROOT) -> dict[str, float]:
    command = [PY, "-m", "gunicorn", app, "--bind", f"{HOST}:{args.port}", "--workers", str(args.workers)]
    if args.max_requests is not None:
        command += ["--max-requests", str(args.max_requests)]
    process = subprocess.Popen(command, cwd=where, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://{HOST}:{args.port}/healthz")
        out = subprocess.run(
            [f"{args.bench_dir}/measure_site.sh", "-P", str(process.pid), "-d", str(args.seconds), "-r", str(args.runs),
             f"http://{HOST}:{args.port}", *PATHS],
            capture_output=True, text=True, check=True, timeout=(args.seconds + 35) * args.runs * len(PATHS) + 60,
        ).stdout  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=30)
    return server_ms(out)


def hello(args) -> float:
    out = subprocess.run(
        [f"{args.bench_dir}/hello_ceiling.sh", "-V", PY, "-p", str(args.hello_port), "-w", str(args.workers),
         "-d", str(args.seconds), "-r", str(args.runs)],
        capture_output=True, text=True, check=True, timeout=(args.seconds + 35) * args.runs + 120,
    ).stdout  # fmt: skip
    return server_ms(out)["/"]


def load() -> str:
    with open("/proc/loadavg") as file:
        return file.read().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a migrated, seeded PostgreSQL database (kept)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--sittings", type=int, default=3)
    parser.add_argument("--port", type=int, default=8360)
    parser.add_argument("--hello-port", type=int, default=8361)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-requests", type=int, help="override gunicorn.conf.py's max_requests (0: never)")
    parser.add_argument("--bench-dir", default=os.environ.get("SHARED_BENCH", str(ROOT.parent / "shared" / "bench")))
    parser.add_argument("--compare", help="another checkout of the site to measure in the same sittings")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "SITE_HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "ERROR",
        "ACCESS_LOG": "off",
        "PAGE_CACHE_SECONDS": "600",
    }
    for where in [ROOT, *([args.compare] if args.compare else [])]:
        collect = [PY, "manage.py", "collectstatic", "--noinput"]
        subprocess.run(collect, cwd=where, env=env, check=True, capture_output=True)
    ratios: dict[str, list[float]] = {}
    for sitting in range(1, args.sittings + 1):
        before = load()
        fast = measure_site(args, env, "site_ordre.wsgi:application")
        middleware = measure_site(args, env, "site_ordre.wsgi:django_application")
        measured = [("fast path", fast), ("middleware", middleware)]
        if args.compare:
            measured.append(("compared", measure_site(args, env, "site_ordre.wsgi", where=args.compare)))
        ceiling = hello(args)
        print(f"sitting {sitting} (load {before} → {load()}): hello {ceiling:.2f} ms/request", flush=True)
        for how, figures in measured:
            for path, ms in figures.items():
                share = ceiling / ms * 100
                ratios.setdefault(f"{how} {path}", []).append(share)
                print(f"  {how:10} {path:42} {ms:.2f} ms/request = {share:.0f} % of hello", flush=True)
    print("share of the hello view (server CPU), min–max over sittings:")
    for name, values in ratios.items():
        print(f"  {name:53} {min(values):.0f}–{max(values):.0f} % (median {statistics.median(values):.0f} %)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
