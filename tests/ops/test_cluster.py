"""The cluster smoke run: PostgreSQL primary and replica, Redis, two gunicorn nodes, HAProxy and
Varnish started on 127.0.0.1, one request through every layer, one purge, then read-only mode
(the primary stopped: an uncached page and a search from the replica, a comment POST answered
« temporairement en lecture seule », /healthz saying so), everything stopped.

It copies the database DATABASE_URL names (CI migrates and seeds it before the tests) and needs
haproxy, varnish and redis-server (.ci/run installs them; elsewhere the test is skipped). Its
nine ports start at CLUSTER_PORT_BASE (else 8150); its state directory is a temporary one.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"haproxy": "haproxy", "varnishd": "varnish", "redis-server": "redis-server"}
BASE = int(os.environ.get("CLUSTER_PORT_BASE") or 8150)
PORTS = tuple(range(BASE, BASE + 9))


def missing_tools() -> list[str]:
    missing = [pkg for cmd, pkg in TOOLS.items() if not (shutil.which(cmd) or os.path.exists(f"/usr/sbin/{cmd}"))]
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"):
        missing.append("postgresql")
    return missing


def seeded_source() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    check = subprocess.run(  # noqa: S603
        ["psql", "-X", "-t", "-A", url, "-c", "SELECT count(*) FROM wagtailcore_page WHERE depth > 1"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
    )
    return url if check.returncode == 0 and check.stdout.strip() not in ("", "0") else None


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_smoke_one_request_through_every_layer_and_a_purge_then_everything_stops():
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {', '.join(missing)} (.ci/run)")
        pytest.skip(f"the cluster needs {', '.join(missing)} (apt-get install {' '.join(missing)})")
    source = seeded_source()
    if source is None:
        if os.environ.get("CI"):
            pytest.fail("DATABASE_URL must name the migrated, seeded database (.ci/run seeds it)")
        pytest.skip("the cluster copies DATABASE_URL's database: point it at a migrated, seeded PostgreSQL database")
    busy = [port for port in PORTS if listening(port)]
    if busy:
        pytest.fail(f"ports in use before the run: {busy} (a cluster left running? cluster.py down)")
    folder = Path(tempfile.mkdtemp(prefix="site_ordre_cluster_smoke_"))  # PostgreSQL (as postgres) reaches it
    command = ["deploy/cluster/cluster.py", "smoke", "--source", source, "--port-base", str(BASE)]
    try:
        result = subprocess.run(  # noqa: S603
            [sys.executable, *command, "--state-dir", str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        left = [p.name for p in folder.iterdir() if p.name.startswith("pg-") and p.is_dir()]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for check in (
        "Varnish stores the page",
        "PURGE accepted",
        "purged page fetched again",
        "replica up",
        "primary stopped: uncached page and search 200 from the replica",
        "primary stopped: comment POST gets the read-only answer",
        "primary stopped: /healthz says read-only",
    ):
        assert f"ok  {check}" in output, output
    assert "FAIL" not in output, output
    assert_varnish_shields_the_site(output)
    assert [port for port in PORTS if listening(port)] == [], "the smoke run left something listening"
    assert left == [], "a smoke run that passed keeps no database"


def assert_varnish_shields_the_site(output: str) -> None:
    """The smoke run ends by stopping both nodes (deploy/cluster/drill_stale.py, shield_checks)."""
    for check in (
        "nodes down: Varnish still serves a stored page",
        "nodes down: the site's 503 page, in English, with Retry-After",
    ):
        assert f"ok  {check}" in output, output
