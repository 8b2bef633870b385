"""Benchmark settings: the real settings plus a bare Django view on the same server."""

import os

from site_ordre.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Off unless the benchmark asks for it: run_directory.py measures the pages themselves (it sets 0),
# load.py runs a cached server (600) beside an uncached one (0).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS") or "0")
