"""What a restore to a time takes back, written down before it happens (pitr.restore): "reported,
not silently lost".

- rows_after: the rows the database still holds with a timestamp after the target (comments,
  moderation, editors' revisions and log entries…), in full;
- wal_summary: what every transaction committed after the target did, table by table, read from
  the archived WAL with pg_waldump (it also sees rows the database no longer holds);
- rows_lost_in_between: when rows written after the target were deleted later (a comment on a post
  the mistake deleted), a scratch copy recovered to just before that deletion gives them in full.
"""

import json
import os
import re
import subprocess
import tempfile
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from deploy.cluster.postgres import pg_bin, wait_for

# Rows shown on the terminal in full (the rest are counted, and all are in the report file).
SHOWN = {"blog_comment": ("id", "created_at", "status", "name", "email", "body")}
ROWS_KEPT_PER_TABLE = 200


def rows_after(cluster, target: datetime, until: datetime, role: str = "primary") -> dict[str, dict]:
    """Every row of the site's tables with a timestamp between the target and `until` (written
    after the target: a restore to the target loses them). Future dates (expiry, scheduled
    publishing) are not writes and fall outside."""
    columns = cluster.psql(
        role,
        "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND data_type = 'timestamp with time zone' ORDER BY 1",
    ).split()
    by_table: dict[str, list[str]] = {}
    for qualified in columns:
        table, column = qualified.split(".")
        by_table.setdefault(table, []).append(column)
    found = {}
    low, high = target.isoformat(), until.isoformat()
    for table, names in by_table.items():
        where = " OR ".join(f"(\"{n}\" > '{low}' AND \"{n}\" <= '{high}')" for n in names)
        rows = cluster.psql(
            role,
            f"SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM (SELECT * FROM \"{table}\" WHERE {where} "
            f"LIMIT {ROWS_KEPT_PER_TABLE}) t",
        )
        listed = json.loads(rows)
        if listed:
            count = int(cluster.psql(role, f'SELECT count(*) FROM "{table}" WHERE {where}'))
            found[table] = {"count": count, "rows": listed}
    return found


HEAP_RECORD = re.compile(r"rmgr: Heap2? .*?tx: +(\d+), .*?desc: (INSERT|MULTI_INSERT|DELETE|UPDATE|HOT_UPDATE)(.*)")
COMMIT_RECORD = re.compile(r"tx: +(\d+), .*desc: COMMIT (\S+ \S+) UTC(?:; subxacts: ([\d ]+))?")
REL = re.compile(r"rel \d+/\d+/(\d+)")
OPERATION = {"INSERT": "inserted", "MULTI_INSERT": "inserted", "DELETE": "deleted"}


def wal_summary(cluster, target: datetime, backup: dict) -> tuple[dict[str, dict[str, int]], list[dict]]:
    """What the transactions committed after the target did, table by table (rows inserted,
    updated, deleted), read from the archived WAL with pg_waldump; and the list of those
    transactions (xid, commit time, what each did). It sees what the database no longer holds:
    a comment posted after the target on a post the mistake then deleted."""
    timeline = cluster.psql("primary", "SELECT timeline_id FROM pg_control_checkpoint()")
    names = dict(
        line.split("|", 1)
        for line in cluster.psql(
            "primary",
            "SELECT c.relfilenode, coalesce(p.relname, c.relname) FROM pg_class c "
            "LEFT JOIN pg_class p ON p.reltoastrelid = c.oid WHERE c.relkind IN ('r', 'p', 't') AND c.relfilenode > 0",
        ).splitlines()
    )
    prefix, first = f"{int(timeline):08X}", backup["start_wal"][8:]
    segments = sorted(
        f for f in os.listdir(cluster.wal_archive) if re.fullmatch(prefix + r"[0-9A-F]{16}\.gz", f) and f[8:24] >= first
    )
    if not segments:
        return {}, []
    transactions = []
    per_xid: dict[str, Counter] = defaultdict(Counter)
    summary: dict[str, Counter] = defaultdict(Counter)
    with tempfile.TemporaryDirectory(prefix="pitr_wal_") as scratch:
        for name in segments:
            with open(cluster.wal_archive / name, "rb") as packed, open(Path(scratch) / name[:-3], "wb") as plain:
                subprocess.run(["gunzip"], stdin=packed, stdout=plain, check=True, timeout=120)
        dump = subprocess.run(
            [pg_bin("pg_waldump"), "-p", scratch, segments[0][:-3], segments[-1][:-3]],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "TZ": "UTC"},
        )
    for line in dump.stdout.splitlines():
        if heap := HEAP_RECORD.search(line):
            xid, operation, rest = heap.groups()
            table = names.get(rel.group(1), f"relfilenode {rel.group(1)}") if (rel := REL.search(rest)) else "?"
            tuples = re.search(r"(\d+) tuples", rest) if operation == "MULTI_INSERT" else None
            per_xid[xid][(table, OPERATION.get(operation, "updated"))] += int(tuples.group(1)) if tuples else 1
        elif commit := COMMIT_RECORD.search(line):
            xid, when, subxacts = commit.groups()
            if datetime.fromisoformat(when + "+00:00") <= target:
                continue
            summary["(transactions)"]["committed"] += 1
            did: Counter = Counter()
            for one in [xid, *(subxacts or "").split()]:
                did.update(per_xid.pop(one, {}))
            for (table, operation), count in did.items():
                summary[table][operation] += count
            transactions.append({"xid": xid, "committed": when, "did": did})
    return {table: dict(counts) for table, counts in sorted(summary.items())}, transactions


def first_loss(transactions: list[dict]) -> dict | None:
    """The first transaction after the target that deleted rows from a table into which an earlier
    one (also after the target) had inserted: rows written after the target and lost before now."""
    inserted: set[str] = set()
    for transaction in transactions:
        if any(table in inserted for (table, what) in transaction["did"] if what == "deleted"):
            return transaction
        inserted |= {table for (table, what) in transaction["did"] if what == "inserted"}
    return None


def rows_lost_in_between(cluster, target: datetime, backup_dir: Path, loss: dict, scratch: Path) -> dict:
    """Rows with a timestamp after the target as they stood just before `loss` committed: a
    scratch copy of the base backup recovered to that transaction (not included) and paused, on
    the replica's port (the replica is stopped), never archiving, then removed."""
    subprocess.run(cluster.as_postgres(["cp", "-a", str(backup_dir), str(scratch)]), check=True, timeout=600)
    with open(scratch / "postgresql.auto.conf", "a") as conf:
        conf.write(
            "\narchive_mode = off\nhot_standby = on\n"
            f'restore_command = \'gunzip < "{cluster.wal_archive}/%f.gz" > "%p"\'\n'
            f"recovery_target_xid = '{loss['xid']}'\nrecovery_target_inclusive = off\n"
            "recovery_target_action = 'pause'\n"
        )
    subprocess.run(cluster.as_postgres(["touch", str(scratch / "recovery.signal")]), check=True, timeout=10)
    pg_ctl = [pg_bin("pg_ctl"), "-D", str(scratch), "-w", "-t", "300"]
    log_file = scratch.parent / "scratch.log"
    subprocess.run(
        cluster.as_postgres(
            [*pg_ctl, "-l", str(log_file), "-o", f"-p {cluster.ports.replica} -k {cluster.state}", "start"]
        ),
        check=True,
        capture_output=True,
        timeout=330,
    )
    try:

        def paused() -> bool:
            if not (scratch / "postmaster.pid").exists():
                raise RuntimeError(f"the scratch copy stopped (see {log_file})")
            return cluster.psql("replica", "SELECT pg_get_wal_replay_pause_state()") == "paused"

        wait_for(paused, 120, "the scratch copy's recovery")
        until = datetime.fromisoformat(loss["committed"] + "+00:00")
        return rows_after(cluster, target, until, role="replica")
    finally:
        subprocess.run(cluster.as_postgres([*pg_ctl, "-m", "immediate", "stop"]), capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", str(scratch)], check=False, timeout=120)


def missing_from(earlier: dict, now: dict) -> dict:
    """Rows of `earlier` (rows_after of the scratch copy) that `now` (rows_after of the damaged
    database) no longer holds."""
    gone = {}
    for table, found in earlier.items():
        kept = [json.dumps(row, sort_keys=True) for row in now.get(table, {}).get("rows", [])]
        ids = {row["id"] for row in now.get(table, {}).get("rows", []) if row.get("id") is not None}
        rows = [
            r
            for r in found["rows"]
            if json.dumps(r, sort_keys=True) not in kept and (r.get("id") is None or r["id"] not in ids)
        ]
        if rows:
            gone[table] = {"count": len(rows), "rows": rows}
    return gone


def describe(report: dict[str, dict], log=print, what: str = "rows written after the target") -> None:
    if not report:
        log(f"{what}: none")
        return
    log(f"{what} (not in the restored database; all kept in the report):")
    for table, found in report.items():
        log(f"  {table}: {found['count']}")
        for row in found["rows"] if table in SHOWN else []:
            log("    " + ", ".join(f"{key}={str(row.get(key))[:80]!r}" for key in SHOWN[table]))
