import json
import os
import subprocess
import sys
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Page

from home.loaders import publish
from home.seeding import ensure_home_page
from ops.database.middleware import DatabaseModeMiddleware
from ops.database.replica import replica
from ops.database.router import PrimaryReplicaRouter
from tests.factories import add_child_page

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**env: str) -> dict:
    """Selected settings as the real settings module computes them from env."""
    script = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps({'databases': sorted(s.DATABASES),"
        " 'mirror': s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'),"
        " 'routers': s.DATABASE_ROUTERS, 'storage': s.STORAGES['default']['BACKEND'],"
        " 'search': s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'],"
        " 'cdn': sorted(s.WAGTAILFRONTENDCACHE), 'cache': s.CACHES['default']['BACKEND']}))"
    )
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_ordre.settings", "SECRET_KEY": "x", **env}
    for name in ("DATABASE_REPLICA_URL", "AWS_STORAGE_BUCKET_NAME", "REDIS_URL"):
        if name not in env:
            full_env.pop(name, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


class SettingsSwitchTests(SimpleTestCase):
    def test_defaults_are_one_database_local_files_database_search_and_local_memory(self):
        found = settings_with()
        self.assertEqual(found["databases"], ["default"])
        self.assertEqual(found["routers"], [])
        self.assertEqual(found["storage"], "django.core.files.storage.FileSystemStorage")
        self.assertEqual(found["search"], "wagtail.search.backends.database")
        self.assertEqual(found["cdn"], [])
        self.assertEqual(found["cache"], "django.core.cache.backends.locmem.LocMemCache")

    def test_environment_switches_on_replica_s3_redis_and_cdn(self):
        found = settings_with(
            DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:5433/site_ordre",
            AWS_STORAGE_BUCKET_NAME="site-ordre-media",
            REDIS_URL="redis://127.0.0.1:6379/5",
            CDN_PURGE_URL="http://127.0.0.1:8699/purge",
            CLOUDFLARE_ZONE_ID="zone",
            CLOUDFLARE_API_TOKEN="token",
        )
        self.assertEqual(found["databases"], ["default", "replica"])
        self.assertEqual(found["mirror"], "default")
        self.assertEqual(found["routers"], ["ops.database.router.PrimaryReplicaRouter"])
        self.assertEqual(found["storage"], "storages.backends.s3.S3Storage")
        self.assertEqual(found["cdn"], ["cloudflare", "http"])
        self.assertEqual(found["cache"], "django_redis.cache.RedisCache")


class ReplicaRouterTests(SimpleTestCase):
    router = PrimaryReplicaRouter()

    def route(self, request, write: bool = False) -> list[str]:
        seen = []

        def view(request):
            seen.append(self.router.db_for_read(Page))
            if write:
                seen.append(self.router.db_for_write(Page))
                seen.append(self.router.db_for_read(Page))
            return HttpResponse()

        saved = (replica.up, replica.checked_at, replica.replayed)
        replica.up, replica.checked_at, replica.replayed = True, float("inf"), 10**12
        try:
            with override_settings(DATABASE_REPLICA_URL="postgres://replica"):
                DatabaseModeMiddleware(view)(request)
        finally:
            replica.up, replica.checked_at, replica.replayed = saved
        return seen

    def test_anonymous_reads_go_to_the_replica(self):
        self.assertEqual(self.route(RequestFactory().get("/fr/")), ["replica"])
        self.assertEqual(self.route(RequestFactory().head("/en/")), ["replica"])

    def test_writes_editors_admin_and_posts_use_the_primary(self):
        factory = RequestFactory()
        self.assertEqual(self.route(factory.post("/fr/")), ["default"])
        self.assertEqual(self.route(factory.get("/admin/pages/")), ["default"])
        self.assertEqual(self.route(factory.get("/healthz")), ["default"])
        editor = factory.get("/fr/")
        editor.COOKIES["sessionid"] = "abc"
        self.assertEqual(self.route(editor), ["default"])

    def test_after_a_write_the_request_reads_its_own_writes_on_the_primary(self):
        self.assertEqual(self.route(RequestFactory().get("/fr/"), write=True), ["replica", "default", "default"])

    def test_outside_requests_everything_uses_the_primary(self):
        self.assertEqual(self.router.db_for_read(Page), "default")
        self.assertTrue(self.router.allow_migrate("default", "wagtailcore"))
        self.assertFalse(self.router.allow_migrate("replica", "wagtailcore"))


PURGED: list[str] = []


class FakeCDN(BaseBackend):
    def purge(self, url):
        PURGED.append(url)


@override_settings(WAGTAILFRONTENDCACHE={"fake": {"BACKEND": "tests.ops.test_scale_out.FakeCDN"}})
class FrontendCachePurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.orders = add_child_page(cls.home, "ordres", "orders")
        cls.nurses = add_child_page(cls.orders, "infirmieres", "nurses")

    def setUp(self):
        PURGED.clear()

    def test_publishing_purges_the_page_and_its_listings_in_both_languages(self):
        publish(Page.objects.get(pk=self.nurses.pk))
        self.assertEqual(
            sorted(PURGED),
            sorted(
                [
                    "http://localhost/fr/ordres/infirmieres/",
                    "http://localhost/en/orders/nurses/",
                    "http://localhost/fr/ordres/",
                    "http://localhost/en/orders/",
                    "http://localhost/fr/",
                    "http://localhost/en/",
                ]
            ),
        )

    def test_unpublishing_and_deleting_purge_both_languages(self):
        Page.objects.get(pk=self.nurses.pk).unpublish()
        self.assertIn("http://localhost/en/orders/nurses/", PURGED)
        self.assertIn("http://localhost/fr/ordres/infirmieres/", PURGED)
        PURGED.clear()
        Page.objects.get(pk=self.orders.pk).delete()
        self.assertIn("http://localhost/fr/ordres/", PURGED)
        self.assertIn("http://localhost/en/orders/", PURGED)

    def test_nothing_is_purged_without_a_cdn(self):
        with override_settings(WAGTAILFRONTENDCACHE={}):
            publish(Page.objects.get(pk=self.nurses.pk))
        self.assertEqual(PURGED, [])
