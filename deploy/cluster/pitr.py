"""Point-in-time recovery with PostgreSQL's own tools (docs/deployment.md, "Point-in-time recovery").

- The primary archives every finished WAL segment, gzipped, into state/wal-archive
  (`archive_command`, postgres.py; `archive_timeout = 60`: at most a minute of WAL unarchived).
- `base_backup` takes a base backup with `pg_basebackup` (plain format, WAL streamed in, a
  manifest that `pg_verifybackup` checks) into state/base-backups/<UTC stamp>, and prunes: the
  newest `keep` backups stay, and the archived WAL older than the oldest kept one goes
  (`pg_archivecleanup`).
- `restore` brings the primary back to a time: it archives the current WAL, writes down every row
  the database holds that was written after the target (rows_after: "reported, not silently
  lost"), keeps the old data directory, copies the newest base backup finished before the target,
  replays the archive up to the target (`restore_command`, `recovery_target_time`,
  `recovery_target_action = 'promote'`: a new timeline), rebuilds the replica from the restored
  primary, empties Redis and bans everything in Varnish (they hold pages of the old state), and
  takes a new base backup.
"""

import json
import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

from deploy.cluster import state
from deploy.cluster.pitr_report import describe, first_loss, missing_from, rows_after, rows_lost_in_between, wal_summary
from deploy.cluster.postgres import HOST, pg_bin, wait_for


class RestoreError(RuntimeError):
    pass


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def fresh_stamp(parent: Path) -> str:
    """A UTC stamp no entry of `parent` starts with yet: two backups (or restores) in the same second,
    a restore's own backup then `pitr-backup` on a fast machine, wait for the next second."""
    stamp = utc_stamp()
    while parent.exists() and any(parent.glob(f"{stamp}*")):
        time.sleep(0.2)
        stamp = utc_stamp()
    return stamp


def parse_time(text: str) -> datetime:
    """'2026-12-06 14:01', '2026-12-06T14:01:30+00:00'…: without an offset, the machine's local time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as error:
        example = "2026-12-06 14:01 or 2026-12-06T14:01:30+00:00"
        raise RestoreError(f"not a time: {text!r} (write it like {example})") from error
    return value.astimezone() if value.tzinfo is None else value


def db_now(cluster) -> datetime:
    return datetime.fromtimestamp(float(cluster.psql("primary", "SELECT extract(epoch FROM now())")), UTC)


def backups_dir(cluster) -> Path:
    return cluster.state / "base-backups"


def list_backups(cluster) -> list[dict]:
    """The base backups, oldest first, each with its `finished` time (a datetime)."""
    found = []
    for meta in sorted(backups_dir(cluster).glob("*.json")):
        info = json.loads(meta.read_text())
        if (backups_dir(cluster) / info["label"]).is_dir():
            found.append({**info, "finished": datetime.fromisoformat(info["finished"])})
    return sorted(found, key=lambda b: b["finished"])


def base_backup(cluster, keep: int | None = 3, log=print) -> dict:
    """pg_basebackup of the running primary, verified, recorded; then the old backups and WAL pruned."""
    folder = cluster.give_to_postgres(backups_dir(cluster))
    label = fresh_stamp(folder)
    started = time.monotonic()
    subprocess.run(
        cluster.as_postgres(
            [
                pg_bin("pg_basebackup"),
                *("-h", HOST, "-p", str(cluster.ports.primary), "-U", "postgres"),
                *("-D", str(folder / label), "-F", "p", "-X", "stream", "--checkpoint=fast"),
                *("-l", f"site_ordre {label}"),
                *([] if cluster.durable else ["--no-sync"]),
            ]
        ),
        check=True,
        capture_output=True,
        timeout=600,
    )
    finished = db_now(cluster)
    seconds = time.monotonic() - started
    check = subprocess.run(
        [pg_bin("pg_verifybackup"), "-n", str(folder / label)], capture_output=True, text=True, timeout=300
    )
    if check.returncode != 0:
        raise RestoreError(f"pg_verifybackup refused {folder / label}: {check.stdout}{check.stderr}")
    start_wal = next(
        line.split("(file ")[1].rstrip(")")
        for line in (folder / label / "backup_label").read_text().splitlines()
        if line.startswith("START WAL LOCATION")
    )
    size = sum(f.stat().st_size for f in (folder / label).rglob("*") if f.is_file())
    info = {"label": label, "finished": finished.isoformat(), "start_wal": start_wal, "bytes": size}
    (folder / f"{label}.json").write_text(json.dumps({**info, "seconds": round(seconds, 1)}))
    log(f"base backup {folder / label}: {size / 1e6:.0f} MB in {seconds:.1f} s, verified, consistent at {finished}")
    if keep:
        prune(cluster, keep, log)
    return {**info, "seconds": seconds, "path": str(folder / label)}


def prune(cluster, keep: int, log=print) -> None:
    """Keep the newest `keep` base backups and the WAL they need; remove the rest."""
    backups = list_backups(cluster)
    for old in backups[:-keep]:
        shutil.rmtree(backups_dir(cluster) / old["label"])
        (backups_dir(cluster) / f"{old['label']}.json").unlink()
        log(f"removed base backup {old['label']} (keeping {keep})")
    kept = backups[-keep:]
    if kept and cluster.wal_archive.is_dir():
        subprocess.run(
            [pg_bin("pg_archivecleanup"), "-x", ".gz", str(cluster.wal_archive), kept[0]["start_wal"]],
            check=True,
            capture_output=True,
            timeout=120,
        )


def archive_now(cluster, timeout: float = 60) -> str:
    """Commit one transaction (recovery to a time stops at the first commit after it), switch to a
    new WAL segment and wait until the finished one is in the archive."""
    cluster.psql("primary", "SELECT txid_current()")
    segment = cluster.psql("primary", "SELECT pg_walfile_name(pg_current_wal_lsn())")
    cluster.psql("primary", "SELECT pg_switch_wal()")
    wait_for(lambda: (cluster.wal_archive / f"{segment}.gz").exists(), timeout, f"archiving of {segment}")
    return segment


def flush_caches(cluster, log=print) -> None:
    """Redis (page cache, generation, replica positions) and Varnish hold the old state: drop them."""
    try:
        with socket.create_connection((HOST, cluster.ports.redis), timeout=2) as redis:
            redis.sendall(b"FLUSHALL\r\n")
            answer = redis.recv(64)
        log(f"Redis emptied ({answer.decode().strip()})")
    except OSError:
        log("Redis not running: nothing to empty")
    workdir = cluster.state / "varnish"
    if workdir.is_dir() and shutil.which("varnishadm"):
        result = subprocess.run(
            ["varnishadm", "-n", str(workdir), "ban", "req.url", "~", "."], capture_output=True, text=True, timeout=10
        )
        log("Varnish: everything banned" if result.returncode == 0 else "Varnish not running: nothing to ban")


def recovery_settings(cluster, target: datetime) -> str:
    archive = cluster.wal_archive
    return (
        "\n# point-in-time recovery (cluster.py pitr-restore); reset after the promotion\n"
        f'restore_command = \'gunzip < "{archive}/%f.gz" > "%p"\'\n'
        f"recovery_target_time = '{target.isoformat(sep=' ')}'\n"
        "recovery_target_action = 'promote'\n"
    )


def restore(cluster, target: datetime, log=print) -> dict:
    """Bring the primary (and a rebuilt replica) back to `target`; see the module's docstring."""
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def step(name: str) -> None:
        nonlocal clock
        timings[name] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    candidates = [b for b in list_backups(cluster) if b["finished"] < target]
    if not candidates:
        existing = ", ".join(str(b["finished"]) for b in list_backups(cluster)) or "none"
        raise RestoreError(f"no base backup finished before {target} (base backups: {existing})")
    backup = candidates[-1]
    primary_was_up = cluster.pg_is_up("primary")
    replica_was_up = cluster.pg_is_up("replica")
    damaged_runs = primary_was_up
    if not primary_was_up:
        try:
            cluster.pg_ctl("primary", "start", wait=120)
            damaged_runs = True
        except RuntimeError as error:  # the primary is lost: the archive alone, and no report from its rows
            log(f"the damaged primary does not start, restoring from the archive alone: {str(error)[:300]}")
    now = db_now(cluster) if damaged_runs else datetime.now(UTC)
    if target >= now:
        raise RestoreError(f"{target} is not in the past (the database's clock says {now})")
    folder = cluster.state / "restores" / fresh_stamp(cluster.state / "restores")
    folder.mkdir(parents=True)
    report, written, transactions, segment = {}, {}, [], "the last archived segment"
    if damaged_runs:
        segment = archive_now(cluster)
        step("archive the current WAL")
        report = rows_after(cluster, target, now)
        try:
            written, transactions = wal_summary(cluster, target, backup)
        except (subprocess.SubprocessError, OSError) as error:
            written = {"(unavailable)": {str(error)[:200]: 1}}
    cluster.pg_stop("replica")
    loss, lost = first_loss(transactions), {}
    if loss is not None:  # rows written after the target, then deleted: read them from a scratch copy
        scratch = cluster.give_to_postgres(folder) / "scratch"
        try:
            earlier = rows_lost_in_between(cluster, target, backups_dir(cluster) / backup["label"], loss, scratch)
            lost = missing_from(earlier, report)
        except (RuntimeError, subprocess.SubprocessError, OSError) as error:
            lost = {"(unavailable)": {"count": 0, "rows": [], "error": str(error)[:500]}}
    summary = {"target": target.isoformat(), "restored_at": now.isoformat(), "base_backup": backup["label"]}
    listed = [{**t, "did": {f"{table} {what}": n for (table, what), n in t["did"].items()}} for t in transactions]
    (folder / "report.json").write_text(
        json.dumps(
            {**summary, "written_after": written, "rows": report, "rows_deleted_since": lost, "transactions": listed},
            indent=1,
            ensure_ascii=False,
            default=str,
        )
    )
    step("report the rows written after the target")
    log(f"restoring to {target} from base backup {backup['label']} (+ archived WAL up to {segment})")
    if not damaged_runs:
        log("no report: the damaged database does not start; what it had not archived is lost")
    describe(report, log, "rows still in the database, written after the target")
    if loss is not None:
        describe(
            lost,
            log,
            f"rows written after the target and deleted by transaction {loss['xid']} at {loss['committed']} UTC",
        )
    log("written after the target, from the archived WAL (what the restore takes back):")
    for table, counts in written.items():
        log(f"  {table}: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())))
    cluster.pg_stop("primary")
    before = folder / "pg-primary-before"
    if cluster.pg_dir("primary").exists():
        cluster.pg_dir("primary").rename(before)
    shutil.rmtree(cluster.pg_dir("replica"), ignore_errors=True)
    step("stop and set aside the old data")
    subprocess.run(
        cluster.as_postgres(["cp", "-a", str(backups_dir(cluster) / backup["label"]), str(cluster.pg_dir("primary"))]),
        check=True,
        capture_output=True,
        timeout=600,
    )
    with open(cluster.pg_dir("primary") / "postgresql.auto.conf", "a") as conf:
        conf.write(recovery_settings(cluster, target))
    signal_file = cluster.pg_dir("primary") / "recovery.signal"
    subprocess.run(cluster.as_postgres(["touch", str(signal_file)]), check=True, timeout=10)
    step("copy the base backup")
    cluster.pg_ctl("primary", "start", wait=300)
    wait_for(lambda: cluster.psql("primary", "SELECT pg_is_in_recovery()") == "f", 300, "the promotion")
    for setting in ("restore_command", "recovery_target_time", "recovery_target_action"):
        cluster.psql("primary", f"ALTER SYSTEM RESET {setting}", database="postgres")
    timeline = cluster.psql("primary", "SELECT timeline_id FROM pg_control_checkpoint()")
    step("replay the WAL up to the target")
    cluster.init_replica()
    step("rebuild the replica")
    flush_caches(cluster, log)
    total = sum(timings.values())
    log(f"restored to {target} in {total:.1f} s (timeline {timeline}); the old data directory: {before}")
    log(f"report: {folder / 'report.json'}")
    fresh = base_backup(cluster, keep=None, log=log)
    step("new base backup")
    serving = state.owner_alive(state.read(cluster.state) or {})  # a cluster runs: leave both up
    if not replica_was_up and not serving:
        cluster.pg_stop("replica")
    if not primary_was_up and not serving:
        cluster.pg_stop("primary")
    return {
        "target": target,
        "base_backup": backup["label"],
        "timings": timings,
        "seconds_to_restore": total,
        "report": report,
        "written_after": written,
        "rows_deleted_since": lost,
        "report_path": str(folder / "report.json"),
        "before": str(before),
        "new_backup": fresh["label"],
        "timeline": timeline,
    }
