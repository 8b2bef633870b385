"""Serve the seeded site under gunicorn on PostgreSQL, for Lighthouse and screenshots (not for tests).

    with seeded_site(port=8851, database="site_ordre_lighthouse") as base_url: ...

Recreates the database, migrates, runs seed_site and collectstatic (whitenoise's compressed,
fingerprinted files, as in production), starts gunicorn on 127.0.0.1 and stops it on exit.
"""

import contextlib
import sys
from collections.abc import Iterator

from launch import ROOT, gunicorn, recreate_database, site_env

sys.path.insert(0, str(ROOT))

from tests.pages import LANGUAGES, PAGE_TYPES


def main_pages() -> list[tuple[str, str, str]]:
    """(name, language, path) of the main page types of tests/pages.py."""
    return [(page.name, language, page.path(language)) for page in PAGE_TYPES if page.main for language in LANGUAGES]


@contextlib.contextmanager
def seeded_site(port: int, database: str) -> Iterator[str]:
    env = site_env(
        database, SERVE_MEDIA="1", ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="ERROR",
        CACHE_DIR=str(ROOT / ".cache" / f"bench-{database}"),
    )  # fmt: skip
    recreate_database(database, env)
    with gunicorn(env, port, log_level="error") as server:
        yield server.url
