"""Read-only mode against a real unreachable primary (tests/ops/primary_outage.py), its parts in one
process, search statistics written behind, and their retention."""

import ast
import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

from home.seeding import ensure_home_page
from ops.database.primary import primary
from ops.database.replica import replica
from search import query_log
from search.models import UnansweredQuery
from tests.factories import make_blog, make_post

ROOT = Path(__file__).resolve().parents[2]
FORWARDER_PORT = int(os.environ.get("READ_ONLY_TEST_PORT", "8310"))  # nothing may listen there
READ_ONLY_FR = "temporairement en lecture seule"
READ_ONLY_EN = "temporarily read-only"


@pytest.mark.postgres
class RealPrimaryOutageTests(TransactionTestCase):
    """The real settings, the primary refused then cut mid-transaction, the replica answering."""

    def test_reads_stay_writes_wait_nothing_half_written_and_writes_resume(self):
        post = make_post(make_blog(ensure_home_page()), 1)
        urls = {"fr": "/fr/blogue/billet-1/", "en": "/en/blog/post-1/"}
        for url in ("/fr/", *urls.values()):  # served once, as before any outage (settings rows exist)
            self.assertEqual(self.client.get(url).status_code, 200)
        result = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "tests/ops/primary_outage.py",
                str(FORWARDER_PORT),
                connection.settings_dict["NAME"],
                urls["fr"],
                urls["en"],
                str(post.pk),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=90,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        seen = json.loads(result.stdout.strip().splitlines()[-1])
        # The primary down: every read answers from the replica…
        self.assertEqual((seen["home"], seen["post"], seen["search"]), (200, 200, 200))
        self.assertEqual(seen["healthz_down"]["mode"], "read-only")
        self.assertEqual(seen["healthz_down"]["replica"], "ok")
        # …every write gets the read-only page, in the URL's language, and nothing is stored.
        for name, text in (("comment_down_fr", READ_ONLY_FR), ("comment_down_en", READ_ONLY_EN)):
            answer = seen[name]
            self.assertEqual(answer["status"], 503, name)
            self.assertEqual(answer["retry_after"], "30")
            self.assertIn("no-store", answer["cache_control"])
            self.assertIn(text, answer["text"].replace("\u00a0", " ").lower())
        self.assertEqual(seen["admin_down"]["status"], 503)
        self.assertEqual(seen["comments_after_outage"], 0)
        self.assertEqual(seen["write_behind_down"]["waiting"], 1, "the search waits in the cache")
        # The primary back: writes resume by themselves, the waiting search is written.
        self.assertEqual(seen["comment_back"], 302)
        self.assertEqual(seen["comments_after_return"], 1)
        self.assertEqual(seen["healthz_back"]["mode"], "read-write")
        self.assertEqual((seen["flushed"], seen["unanswered_rows"]), (1, 1))
        # Cut between the INSERT and the COMMIT: the read-only answer, and no comment.
        self.assertEqual(seen["comment_cut"]["status"], 503)
        self.assertIn(READ_ONLY_FR, seen["comment_cut"]["text"].replace("\u00a0", " ").lower())
        self.assertEqual(seen["comments_after_cut"], 0)
        self.assertEqual(seen["home_after_cut"], 200)
        self.assertEqual(seen["comments_after_cut_reopened"], 0)
        self.assertEqual((seen["comment_resumed"], seen["comments_resumed"]), (302, 1))


class ReplicaUp:
    """The replica known to be up and caught up (no replica connection exists in tests)."""

    def setUp(self):
        super().setUp()
        saved = (replica.up, replica.checked_at, replica.replayed)
        replica.up, replica.checked_at, replica.replayed = True, float("inf"), 10**12

        def restore():
            replica.up, replica.checked_at, replica.replayed = saved

        self.addCleanup(restore)
        self.enterContext(override_settings(DATABASE_REPLICA_URL="postgres://replica"))


class ReadOnlyAnswerTests(ReplicaUp, TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def test_every_unsafe_method_and_the_admin_get_the_read_only_page_in_the_urls_language(self):
        primary.mark_down()
        cases = [
            ("post", "/fr/", READ_ONLY_FR, "fr"),
            ("put", "/fr/recherche/", READ_ONLY_FR, "fr"),
            ("patch", "/en/search/", READ_ONLY_EN, "en"),
            ("delete", "/en/", READ_ONLY_EN, "en"),
            ("get", "/admin/", READ_ONLY_EN, "en"),
            ("post", "/admin/login/", READ_ONLY_EN, "en"),
        ]
        for method, path, text, language in cases:
            with self.subTest(method=method, path=path):
                response = getattr(self.client, method)(path, HTTP_ACCEPT_LANGUAGE="en")
                self.assertEqual(response.status_code, 503)
                self.assertEqual(response["Retry-After"], "30")
                self.assertEqual(response["Content-Language"], language)
                self.assertIn("no-store", response["Cache-Control"])
                self.assertIn(text, response.content.decode().lower())
                other = READ_ONLY_EN if language == "fr" else READ_ONLY_FR
                self.assertIn(other, response.content.decode().lower(), "a line in the other language")

    def test_the_read_only_page_gives_back_what_the_visitor_wrote_but_never_an_admin_field(self):
        primary.mark_down()
        written = "Mon comptable <b>refuse</b> de me rendre mes documents."
        response = self.client.post("/fr/blogue/billet/", {"name": "Léa", "body": written, "started": "x"})
        self.assertEqual(response.status_code, 503)
        self.assertContains(
            response, "Mon comptable &lt;b&gt;refuse&lt;/b&gt; de me rendre mes documents.", status_code=503
        )
        self.assertNotContains(response, "<b>refuse</b>", status_code=503)
        login = self.client.post("/admin/login/", {"username": "x", "password": "s3cret-pass", "body": "s3cret-body"})
        self.assertEqual(login.status_code, 503)
        self.assertNotContains(login, "s3cret", status_code=503)

    def test_reads_are_served_and_writes_resume_once_the_primary_answers(self):
        primary.mark_down()
        self.assertEqual(self.client.get("/fr/").status_code, 200)
        self.assertEqual(self.client.post("/fr/").status_code, 503)
        primary.mark_up()  # what /healthz does when the primary answers again
        self.assertNotEqual(self.client.post("/fr/").status_code, 503)

    def test_without_a_replica_there_is_no_read_only_mode(self):
        primary.mark_down()
        with override_settings(DATABASE_REPLICA_URL=""):
            self.assertNotEqual(self.client.post("/fr/").status_code, 503)


class SearchLogTests(TestCase):
    """Searches counted in the cache, written in batches, waiting (then dropped, counted) while the
    primary is down; what people typed is kept SEARCH_QUERY_RETENTION_DAYS."""

    def searched(self, text: str, times: int = 1) -> None:
        for _ in range(times):
            query_log.record(text, "fr", found=False, understood=False)

    def test_searches_are_written_in_batches(self):
        with override_settings(SEARCH_LOG_BATCH=3):
            self.searched("toubib", 2)
            self.assertFalse(UnansweredQuery.objects.exists())
            self.assertEqual(query_log.searches.counts(), (2, 0))
            self.searched("toubib")
        row = UnansweredQuery.objects.get(query_string="toubib")
        self.assertEqual(row.hits, 3)
        self.assertEqual(Query.get("toubib").hits, 3)
        self.assertEqual(query_log.searches.counts(), (0, 0))

    def test_while_the_primary_is_down_searches_wait_then_are_dropped_and_counted(self):
        primary.mark_down()
        with override_settings(SEARCH_LOG_BATCH=1, SEARCH_LOG_MAX_WAITING=2):
            response = self.client.get("/fr/recherche/", {"q": "rebouteux"})
            self.assertEqual(response.status_code, 200)
            self.searched("rebouteux", 2)
            self.assertFalse(UnansweredQuery.objects.exists())
            self.assertEqual(query_log.searches.counts(), (2, 1))
            self.assertEqual(self.client.get("/healthz").json()["write_behind"]["search"], {"waiting": 2, "dropped": 1})
        primary.mark_up()
        call_command("flush_search_queries", stdout=StringIO())
        self.assertEqual(UnansweredQuery.objects.get(query_string="rebouteux").hits, 2)

    def test_retention_deletes_exactly_the_rows_past_the_period(self):
        now, today = timezone.now(), timezone.localdate()
        # Questions by the minute they were last asked; daily counts by their day (the day 90 days ago stays).
        kept = {"dernier jour": (now - timedelta(days=90, minutes=-1), 90), "hier": (now - timedelta(days=1), 1)}
        gone = {"trop vieux": (now - timedelta(days=90, minutes=1), 91), "très vieux": (now - timedelta(days=400), 400)}
        for text, (when, days_ago) in {**kept, **gone}.items():
            row = UnansweredQuery.objects.create(query_string=text, language="fr", hits=1)
            UnansweredQuery.objects.filter(pk=row.pk).update(last_searched_at=when)
            QueryDailyHits.objects.create(query=Query.get(text), date=today - timedelta(days=days_ago), hits=1)
        promoted = Query.get("ordre")  # editors promote results for it: kept without any hit
        SearchPromotion.objects.create(query=promoted, external_link_url="https://example.org/", sort_order=0)
        out = StringIO()
        with override_settings(SEARCH_QUERY_RETENTION_DAYS=90):
            call_command("purge_search_queries", stdout=out)
        self.assertEqual(set(UnansweredQuery.objects.values_list("query_string", flat=True)), set(kept))
        self.assertEqual(set(Query.objects.values_list("query_string", flat=True)), {*kept, "ordre"})
        self.assertEqual(QueryDailyHits.objects.count(), 2)
        self.assertIn("deleted 2 questions", out.getvalue())


class WiringTests(SimpleTestCase):
    def test_ops_never_imports_site_ordre_which_only_wires(self):
        """The replica router and its middleware live in ops/database/: the two packages no longer import each other."""
        found = []
        for path in sorted((ROOT / "ops").rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] == "site_ordre"]
        self.assertEqual(found, [])
        self.assertEqual(
            sorted(p.name for p in (ROOT / "site_ordre").glob("*.py")),
            ["__init__.py", "settings.py", "urls.py", "wsgi.py"],
        )
