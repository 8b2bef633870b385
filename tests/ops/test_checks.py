"""The system check that refuses replica reads without a cache shared by every process."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.checks import Error, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import SimpleTestCase, override_settings

from ops.checks import replica_needs_a_shared_cache

ROOT = Path(__file__).resolve().parents[2]
LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}}
REPLICA = "postgres://reader@127.0.0.1:5433/site_ordre"


def manage_check(**env: str) -> subprocess.CompletedProcess:
    """`manage.py check` with the real settings computed from this environment."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_ordre.settings", "SECRET_KEY": "x", **env}
    for name in ("DATABASE_REPLICA_URL", "REDIS_URL"):
        if name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


class ReplicaCacheCheckTests(SimpleTestCase):
    def errors(self) -> list[Error]:
        return [message for message in run_checks() if message.id == "ops.E001"]

    @override_settings(DATABASE_REPLICA_URL=REPLICA, CACHES=LOCAL)
    def test_a_replica_with_a_per_process_cache_is_refused_with_a_clear_message(self):
        [error] = self.errors()
        self.assertIsInstance(error, Error)
        self.assertIn("DATABASE_REPLICA_URL", error.msg)
        self.assertIn("LocMemCache", error.msg)
        self.assertIn("REDIS_URL", error.hint)
        with self.assertRaisesMessage(SystemCheckError, "ops.E001"):
            call_command("check")

    @override_settings(
        DATABASE_REPLICA_URL=REPLICA, CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    )
    def test_a_cache_that_keeps_nothing_is_refused_too(self):
        self.assertEqual(len(self.errors()), 1)

    @override_settings(DATABASE_REPLICA_URL=REPLICA, CACHES=REDIS)
    def test_a_replica_with_redis_passes(self):
        self.assertEqual(replica_needs_a_shared_cache(), [])

    @override_settings(DATABASE_REPLICA_URL="", CACHES=LOCAL)
    def test_no_replica_needs_no_shared_cache(self):
        self.assertEqual(self.errors(), [])

    def test_the_real_settings_refuse_a_replica_without_redis_and_accept_it_with_redis(self):
        refused = manage_check(DATABASE_REPLICA_URL=REPLICA)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("ops.E001", refused.stderr)
        self.assertIn("REDIS_URL", refused.stderr)
        accepted = manage_check(DATABASE_REPLICA_URL=REPLICA, REDIS_URL="redis://127.0.0.1:6379/13")
        self.assertEqual(accepted.returncode, 0, accepted.stderr)
        self.assertEqual(manage_check().returncode, 0)
