"""Test settings: the real settings, with safe defaults for what a test run does not set."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SITE_HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.pop("REDIS_URL", None)  # tests use local memory unless a test asks for Redis

from site_ordre.settings import *  # noqa: F403

# Fast hasher and plain static storage (no collectstatic manifest needed in tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One folder per pytest-xdist worker ("gw0", "gw1"…): workers neither rename nor delete each other's uploads.
MEDIA_ROOT = BASE_DIR / "test-results" / "media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"

# The page cache is off in tests so query-count tests measure real work; tests of the cache turn
# it on. Axes is off so that the test client's login() works; its lockout test turns it on.
PAGE_CACHE_SECONDS = 0
AXES_ENABLED = False
CACHES = {
    **CACHES,  # noqa: F405
    "generation": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "generation"},
}

# The link checker never leaves the machine in tests: only servers the tests start on 127.0.0.1,
# the one host allowed to be internal (any other name resolving to an internal address is refused).
LINK_CHECK_ALLOWED_HOSTS = ["127.0.0.1"]
LINK_CHECK_INTERNAL_HOSTS = ["127.0.0.1"]
LINK_CHECK_MAX_BYTES = 65536
LINK_CHECK_TIMEOUT = 1.0
LINK_CHECK_HOST_DELAY = 0.0

# Searches are counted at once (search/query_log.py buffers them in production).
SEARCH_LOG_BATCH = 1
