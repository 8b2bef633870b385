"""Search benchmark settings: the real settings plus a bare Django view on the same server."""

from site_ordre.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
