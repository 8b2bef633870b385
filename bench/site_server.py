"""Serve the seeded site under gunicorn on PostgreSQL, for Lighthouse and screenshots (not for tests).

    with seeded_site(port=8851, database="site_ordre_lighthouse") as base_url: ...

Recreates the database, migrates, runs seed_site and collectstatic (whitenoise's compressed,
fingerprinted files, as in production), starts gunicorn on 127.0.0.1 and stops it on exit.
"""

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG_URL_BASE = os.environ.get("BENCH_PG_URL_BASE", "postgres://postgres@127.0.0.1:5432")
sys.path.insert(0, str(ROOT))

from tests.pages import LANGUAGES, PAGE_TYPES  # noqa: E402


def main_pages() -> list[tuple[str, str, str]]:
    """(name, language, path) of the main page types of tests/pages.py."""
    return [(page.name, language, page.path(language)) for page in PAGE_TYPES if page.main for language in LANGUAGES]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


@contextlib.contextmanager
def seeded_site(port: int, database: str) -> Iterator[str]:
    if not 8000 <= port <= 8999:
        sys.exit("use a port in 8000-8999")
    env = {
        **os.environ,
        "SECRET_KEY": "bench-not-secret",
        "SITE_HTTPS": "0",
        "SERVE_MEDIA": "1",
        "DATABASE_URL": f"{PG_URL_BASE}/{database}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "ERROR",
        "CACHE_DIR": str(ROOT / ".cache" / f"bench-{database}"),
    }
    subprocess.run(
        ["psql", "-q", f"{PG_URL_BASE}/postgres", "-c", f"DROP DATABASE IF EXISTS {database}"]
        + ["-c", f"CREATE DATABASE {database}"],
        check=True,
    )
    for command in (["migrate", "--noinput"], ["seed_site"], ["collectstatic", "--noinput"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "site_ordre.wsgi", "--access-logfile", "/dev/null"], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
