"""A real cluster on one box, on 127.0.0.1 only (see docs/deployment.md).

    python deploy/cluster/cluster.py up [--keep] [--seconds 900] [--source URL] [--only db]
    python deploy/cluster/cluster.py restart [--seconds 900]       # down, then up --keep
    python deploy/cluster/cluster.py down [--timeout 10]           # stop this checkout's cluster
    python deploy/cluster/cluster.py status
    python deploy/cluster/cluster.py smoke --source URL            # one request per layer, a purge
    python deploy/cluster/cluster.py drills [--only 1,9] [--seconds 24] [--source URL]
    python deploy/cluster/cluster.py pitr-backup [--keep 3]        # base backup of the running primary
    python deploy/cluster/cluster.py pitr-restore --to "2026-12-06 14:01"

Every command takes --port-base N (or CLUSTER_PORT_BASE: nine ports from N) and --state-dir DIR
(or CLUSTER_STATE_DIR; default .cluster/ in this checkout): data, logs, WAL archive, base
backups and cluster.json (what `down` stops) live there, so two checkouts never touch each
other's cluster. Commands on a running cluster (down, status, pitr-*) read its ports from there.

`up` builds fresh databases (everything in the state directory is replaced) unless --keep, which
starts again on the data a stopped cluster left. Whatever the command starts is stopped when it
ends, on Ctrl-C, on a failure or on TERM; data and logs stay, and a failure says where they are.
--source copies a migrated, seeded database (pg_dump) instead of migrate + seed_site.

Any python3 runs this file: it starts again under the checkout's .venv/bin/python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv"
if (
    (VENV / "bin" / "python").exists()
    and Path(sys.prefix).resolve() != VENV.resolve()
    and not os.environ.get("CLUSTER_REEXECUTED")
):
    os.environ["CLUSTER_REEXECUTED"] = "1"
    python = str(VENV / "bin" / "python")
    os.execv(python, [python, str(Path(__file__).resolve()), *sys.argv[1:]])  # noqa: S606 - the same script

import argparse  # noqa: E402 - after the re-exec above
import atexit  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict  # noqa: E402

sys.path.insert(0, str(ROOT))

from deploy.cluster import state  # noqa: E402
from deploy.cluster.services import HOST, Cluster, Ports, ensure_packages, http_status  # noqa: E402


def logs_note(cluster: Cluster) -> str:
    logs = sorted(p.name for p in cluster.state.glob("*.log"))
    return f"logs kept in {cluster.state}: {', '.join(logs) or 'none yet'}"


def tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join("      " + line for line in path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run(cluster: Cluster, body, throwaway: bool = False) -> int:
    """body(cluster) starts what it needs; whatever happens, everything is stopped. Data and logs
    stay (a throwaway run that succeeded removes its databases)."""
    stopped = False
    outcome = {"code": 1}

    def stop(*_args):
        nonlocal stopped
        if stopped:
            return
        stopped = True
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C or TERM must not interrupt the stop
        print("stopping the cluster…", flush=True)
        cluster.stop()
        state.forget(cluster.state)
        if throwaway and outcome["code"] == 0:
            for role in ("primary", "replica"):
                shutil.rmtree(cluster.pg_dir(role), ignore_errors=True)
        elif outcome["code"] != 0:
            print(logs_note(cluster), flush=True)

    def on_signal(signum, _frame):
        outcome["code"] = 0  # asked to stop (Ctrl-C, `down`): not a failure
        raise SystemExit(128 + signum)

    atexit.register(stop)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    try:
        outcome["code"] = body(cluster)
        return outcome["code"]
    except Exception as error:  # noqa: BLE001 - any failure: say it, stop everything, keep the logs
        print(f"failed: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        stop()


def cluster_nodes_up(cluster: Cluster) -> int:
    from deploy.cluster.load import haproxy_status

    return sum(1 for status in haproxy_status(cluster.ports.stats).values() if status.startswith("UP"))


def smoke(cluster: Cluster, source: str | None) -> int:
    """Start, one request through every layer, one purge, stop."""
    cluster.start(source_url=source)
    state.record(cluster)
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
    from deploy.cluster.drill_readonly import read_only_checks

    checks += read_only_checks(cluster)  # last: it stops the primary

    from deploy.cluster.drill_stale import shield_checks

    checks += shield_checks(cluster)  # after the primary's checks: it stops both nodes
    for name, ok in checks:
        print(f"  {'ok ' if ok else 'FAIL'} {name}")
    return 0 if all(ok for _name, ok in checks) else 1


def up(cluster: Cluster, source: str | None, seconds: float, keep: bool) -> int:
    if not keep:
        cluster.reset()
    try:
        cluster.start(source_url=source, fresh=not keep)
    finally:
        state.record(cluster)  # what started so far, for `down` if this process is killed
    if not keep and cluster.archive:
        from deploy.cluster.pitr import base_backup

        base_backup(cluster)  # point-in-time recovery needs one from the start
    state.record(cluster, ready=True)
    where = "databases" if cluster.only_db else f"{cluster.base_url}/fr/"
    print(f"serving {where} for {seconds:.0f} s (Ctrl-C or `cluster.py down` stops it sooner)", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.5)
        dead = {name: p.returncode for name, p in cluster.processes.items() if p.poll() is not None}
        if dead:
            for name, code in dead.items():
                print(f"stopped by itself: {name} (exit {code}); the end of {name}.log:", flush=True)
                print(tail(cluster.state / f"{name}.log"), flush=True)
                del cluster.processes[name]
            return 1
    return 0


def down(cluster: Cluster, timeout: float) -> int:
    """Stop this state directory's cluster: its own process and groups (TERM, then KILL), then PostgreSQL."""
    recorded = state.read(cluster.state)
    if recorded is None:
        print(f"nothing recorded in {cluster.state}")
    elif not state.stop_recorded(recorded, timeout):
        return 1
    left = []
    for role in ("replica", "primary"):
        if (cluster.pg_dir(role) / "postmaster.pid").exists():
            print(f"stopping PostgreSQL {role}")
            cluster.pg_stop(role)
            if (cluster.pg_dir(role) / "postmaster.pid").exists():
                left.append(f"PostgreSQL {role}")
    state.forget(cluster.state)
    if left:
        print(f"still running: {', '.join(left)}")
        return 1
    print(f"stopped ({cluster.state})")
    return 0


def status(cluster: Cluster) -> int:
    recorded = state.read(cluster.state)
    running = bool(recorded) and (state.owner_alive(recorded) or bool(state.live_groups(recorded)))
    print(f"state directory: {cluster.state}")
    print(f"python: {sys.executable}")
    print(f"ports: {', '.join(f'{k} {v}' for k, v in asdict(cluster.ports).items())}")
    print(f"running: {'yes' if running else 'no'}")
    if recorded:
        for group in state.live_groups(recorded):
            print(f"  {group['name']}: process group {group['pgid']}")
    from deploy.cluster.pitr import list_backups

    for backup in list_backups(cluster):
        print(f"base backup {backup['label']}: consistent at {backup['finished']}, {backup['bytes'] / 1e6:.0f} MB")
    return 0


def state_dir(args) -> Path:
    chosen = args.state_dir or os.environ.get("CLUSTER_STATE_DIR") or str(ROOT / ".cluster")
    return Path(chosen).resolve()


def port_base(args) -> int | None:
    chosen = args.port_base or os.environ.get("CLUSTER_PORT_BASE")
    return int(chosen) if chosen else None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "command",
        choices=["up", "restart", "down", "status", "smoke", "drills", "pitr-backup", "pitr-restore"],
    )
    p.add_argument("--port-base", type=int, help="nine ports from this one (default: CLUSTER_PORT_BASE, else 8150…)")
    p.add_argument("--state-dir", help="data, logs, backups, cluster.json (default: CLUSTER_STATE_DIR, else .cluster/)")
    p.add_argument("--source", help="postgres:// URL of a migrated, seeded database to copy")
    p.add_argument("--seconds", type=float, help="up: how long to serve (900); drills: each load drill (24)")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    p.add_argument("--keep", nargs="?", const=-1, type=int, help="up: keep the data; pitr-backup: backups kept (3)")
    p.add_argument("--only", help="up: 'db' (PostgreSQL and Redis only); drills: numbers, e.g. 1,9")
    p.add_argument("--no-fsync", action="store_true", help="up: PostgreSQL without fsync (a throwaway cluster: tests)")
    p.add_argument("--timeout", type=float, default=10, help="down: seconds between TERM and KILL")
    p.add_argument("--to", help="pitr-restore: the time to restore to, e.g. '2026-12-06 14:01' (local time)")
    return p


def running(cluster: Cluster) -> dict | None:
    recorded = state.read(cluster.state)
    if recorded and (state.owner_alive(recorded) or state.live_groups(recorded)):
        return recorded
    return None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    folder = state_dir(args)
    recorded = state.read(folder)
    base = port_base(args)
    # --port-base, else (a command on this state directory's cluster) its recorded ports, else
    # CLUSTER_PORT_BASE, else the defaults
    existing = args.command in ("down", "status", "pitr-backup", "pitr-restore", "restart") or args.keep is not None
    if args.port_base is None and recorded and recorded.get("ports") and (existing or base is None):
        ports = Ports.from_record(recorded["ports"])
    else:
        ports = Ports.from_base(base)
    cluster = Cluster(
        ports=ports,
        state=folder,
        workers=args.workers,
        durable=args.command != "smoke"
        and not args.no_fsync
        and not (existing and recorded and recorded.get("durable") is False),
        archive=args.command != "smoke",
        only_db=args.command in ("up", "restart")
        and (
            args.only == "db"
            or (args.only is None and args.keep is not None and bool(recorded and recorded.get("only_db")))
        ),
    )
    if args.command == "down":
        return down(cluster, args.timeout)
    if args.command == "status":
        return status(cluster)
    if args.command in ("pitr-backup", "pitr-restore"):
        return pitr_command(cluster, args)
    if args.command == "restart":
        if running(cluster):
            down(cluster, args.timeout)
        if recorded and args.only is None:
            cluster.only_db = recorded.get("only_db", False)
        args.keep = -1
    other = running(cluster)
    if other:
        owner = (other.get("owner") or {}).get("pid", "gone")
        print(f"a cluster from {folder} is running (process {owner}): cluster.py down first")
        return 1
    if not cluster.only_db:
        ensure_packages()
    if args.command in ("up", "restart"):
        return run(cluster, lambda c: up(c, args.source, args.seconds or 900, keep=args.keep is not None))
    try:
        cluster.reset()
    except RuntimeError as error:
        print(f"refused: {error}")
        return 1
    if args.command == "smoke":
        return run(cluster, lambda c: smoke(c, args.source), throwaway=True)
    from deploy.cluster.drills import drills

    chosen = args.only.split(",") if args.only else None
    return run(cluster, lambda c: drills(c, args.source, args.seconds or 24, chosen))


def pitr_command(cluster: Cluster, args) -> int:
    from deploy.cluster import pitr

    if not cluster.pg_is_up("primary") and args.command == "pitr-backup":
        print(f"the primary is not running on :{cluster.ports.primary} (cluster.py up --keep)")
        return 1
    try:
        if args.command == "pitr-backup":
            pitr.base_backup(cluster, keep=args.keep if args.keep and args.keep > 0 else 3)
            return 0
        if not args.to:
            print("pitr-restore needs --to TIME, e.g. --to '2026-12-06 14:01'")
            return 2
        pitr.restore(cluster, pitr.parse_time(args.to))
        return 0
    except pitr.RestoreError as error:
        print(f"refused: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
