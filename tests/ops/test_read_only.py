"""Read-only mode against a real unreachable primary (tests/ops/primary_outage.py), its parts in one
process, search statistics written behind, and their retention."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.db import connection
from django.test import TransactionTestCase

from home.seeding import ensure_home_page
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
