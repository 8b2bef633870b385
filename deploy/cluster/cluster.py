"""A real cluster on one box, on 127.0.0.1 only (see docs/deployment.md).

    python deploy/cluster/cluster.py up [--seconds 900] [--source URL]   # start, wait, stop
    python deploy/cluster/cluster.py smoke --source URL                   # one request per layer, a purge
    python deploy/cluster/cluster.py drills [--seconds 24] [--source URL] # the fault drills
    python deploy/cluster/cluster.py down                                 # stop what a killed run left

--source copies an existing, migrated and seeded database (pg_dump) instead of running
migrate + seed_site (about a minute). Everything the command starts is stopped when it ends,
on Ctrl-C, on a failure, or when it is killed with TERM.
"""

import argparse
import atexit
import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.cluster.services import HOST, Cluster, ensure_packages, http_status

PIDFILE = Path(f"/tmp/site_ordre_cluster{os.environ.get('CLUSTER_PORT_BASE', '')}.json")  # noqa: S108 - what `down` stops


def remember(cluster: Cluster) -> None:
    """Write the process groups and data directories, for `down` after a crash."""
    PIDFILE.write_text(json.dumps({"pgids": [p.pid for p in cluster.processes.values()], "state": str(cluster.state)}))


def run(cluster: Cluster, body) -> int:
    """Start nothing yourself: body(cluster) starts; whatever happens, everything is stopped."""
    stopped = False

    def stop(*_args):
        nonlocal stopped
        if not stopped:
            stopped = True
            print("stopping the cluster…", flush=True)
            cluster.stop(remove=True)
            PIDFILE.unlink(missing_ok=True)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    atexit.register(stop)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        return body(cluster)
    finally:
        stop()


def smoke(cluster: Cluster, source: str | None) -> int:
    """Start, one request through every layer, one purge, stop."""
    cluster.start(source_url=source)
    remember(cluster)
    from deploy.cluster.load import Client

    web = Client(cluster.base_url)
    checks = []
    # Ready first, as a deployment's readiness check would be: HAProxy has marked both nodes up
    # (a node still importing the site under load answers later than its port opens).
    deadline = time.monotonic() + 60
    while cluster_nodes_up(cluster) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    first = web.get("/fr/")
    second = web.get("/fr/")
    checks.append(("Varnish → HAProxy → node → primary/replica", first.status == 200 and "<html" in first.text))
    checks.append(("public Cache-Control", "s-maxage" in first.headers.get("cache-control", "")))
    checks.append(("Varnish stores the page", second.headers.get("x-cache") == "hit"))
    node = Client(f"http://{HOST}:{cluster.ports.nodes[0]}", https=True)
    node.get("/en/")
    hit = node.get("/en/").headers
    checks.append(("page cache in Redis", hit.get("x-page-cache") == "hit"))
    checks.append(
        ("a hit carries the security headers", "content-security-policy" in hit and "strict-transport-security" in hit)
    )
    health = json.loads(node.get("/healthz").text)
    checks.append(("replica up", health.get("replica") == "ok"))
    checks.append(("HAProxy sees both nodes up", cluster_nodes_up(cluster) == 2))
    purged = http_status(f"{cluster.base_url}/fr/", method="PURGE")
    checks.append(("PURGE accepted", purged == 200))
    checks.append(("purged page fetched again", web.get("/fr/").headers.get("x-cache") == "miss"))
    from deploy.cluster.drill_stale import shield_checks

    checks += shield_checks(cluster)  # last: it stops both nodes
    for name, ok in checks:
        print(f"  {'ok ' if ok else 'FAIL'} {name}")
    return 0 if all(ok for _name, ok in checks) else 1


def cluster_nodes_up(cluster: Cluster) -> int:
    from deploy.cluster.load import haproxy_status

    return sum(1 for status in haproxy_status(cluster.ports.stats).values() if status.startswith("UP"))


def up(cluster: Cluster, source: str | None, seconds: float) -> int:
    cluster.start(source_url=source)
    remember(cluster)
    print(f"serving {cluster.base_url}/fr/ for {seconds:.0f} s (Ctrl-C stops it sooner)", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1)
        dead = [name for name, p in cluster.processes.items() if p.poll() is not None]
        if dead:
            print(f"stopped by itself: {', '.join(dead)} (logs in {cluster.state})")
            return 1
    return 0


def down() -> int:
    """Stop what a killed run left behind (by the process groups it recorded)."""
    if not PIDFILE.exists():
        print("nothing recorded")
        return 0
    recorded = json.loads(PIDFILE.read_text())
    for pgid in recorded["pgids"]:
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    cluster = Cluster(state=Path(recorded["state"]))
    cluster.pg_running = {"primary", "replica"}
    cluster.stop(remove=True)
    PIDFILE.unlink(missing_ok=True)
    print("stopped")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "smoke", "drills", "down"])
    parser.add_argument("--source", help="postgres:// URL of a migrated, seeded database to copy")
    parser.add_argument("--seconds", type=float, help="up: how long to serve (900); drills: each load drill (24)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    args = parser.parse_args()
    if args.command == "down":
        return down()
    ensure_packages()
    cluster = Cluster(workers=args.workers, durable=args.command != "smoke")
    if args.command == "up":
        return run(cluster, lambda c: up(c, args.source, args.seconds or 900))
    if args.command == "smoke":
        return run(cluster, lambda c: smoke(c, args.source))
    from deploy.cluster.drills import drills

    return run(cluster, lambda c: drills(c, args.source, args.seconds or 24, remember))


if __name__ == "__main__":
    sys.exit(main())
