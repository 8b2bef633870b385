import os
import shutil
from pathlib import Path

import pytest

from django.conf import settings

# Sync Playwright keeps an asyncio loop marked as running in the main thread; Django would
# otherwise refuse ORM calls in live-server tests (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# CI sets these so that a missing browser or database fails instead of skipping.
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
# The front-end checkers (axe-core, html-validate, vnu, Lighthouse) come from npm (`npm ci`);
# vnu also needs Java. REQUIRE_BROWSER=1 makes them required too.
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
NODE_TOOLS = [NODE_MODULES / "axe-core" / "axe.min.js", NODE_MODULES / ".bin" / "html-validate"]
JAVA = shutil.which("java")


def pytest_collection_modifyitems(config, items):
    has_browser = os.path.exists(CHROMIUM)
    is_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if REQUIRE_BROWSER and not has_browser:
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
    if REQUIRE_POSTGRES and not is_postgres:
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL is not a PostgreSQL database")
    missing_tools = [str(path) for path in NODE_TOOLS if not path.exists()]
    if not JAVA:
        missing_tools.append("java (for vnu)")
    if REQUIRE_BROWSER and missing_tools:
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but the front-end checkers are missing: {', '.join(missing_tools)}")
    for item in items:
        if "frontend_tools" in item.keywords and missing_tools:
            reason = f"missing {', '.join(missing_tools)} (run `npm ci`; vnu needs Java)"
            item.add_marker(pytest.mark.skip(reason=reason))
        if "browser" in item.keywords and not has_browser:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))
        if "postgres" in item.keywords and not is_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…"))


@pytest.fixture(autouse=True)
def _isolate_caches_and_language():
    """Each test starts with empty caches (no cached page or menu leaks between tests) and
    leaves the default language active, as a request to /en/ would otherwise leave English on.
    What this process knows of the primary (read-only mode) is forgotten too."""
    from django.core.cache import caches
    from django.utils import translation

    from ops.database.primary import primary

    for cache in caches.all():
        cache.clear()
    primary.own_until = primary.shared_until = primary.shared_read_at = float("-inf")
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--disable-gpu"]}


@pytest.fixture
def site_home(db):
    """The bilingual home page and default site, as seed_site builds them."""
    from home.seeding import ensure_home_page

    return ensure_home_page()


@pytest.fixture
def site_url(live_server, site_home):
    return live_server.url


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Tests build tables without migrations (--no-migrations): add the PostgreSQL search objects."""
    from django.db import connection

    from search.database import ensure_search_database_objects

    with django_db_blocker.unblock():
        ensure_search_database_objects(connection)


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that Django's e-mail backend sends to (tests/mail_server.py)."""
    from tests.mail_server import running_smtp_server

    with running_smtp_server() as server:
        yield server
