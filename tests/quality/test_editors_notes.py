"""Editors' notes (sources, "not seen", caveats) never reach a public page or answer."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.test import TestCase

from home.loaders import EDITORS_NOTE, LoadError, editors_note_in
from professions.models import ProfessionPage
from protection.bodies import OtherBody, UnregulatedOccupation, load_other_bodies_data, load_other_bodies_file
from protection.models import GuidePage
from tests.factories import seed_quality_pages

HREF = re.compile(r'href="([^"#]*)')
# What the data set's notes say, as they would read on a page (the loaders' list, plus a few more).
MARKERS = re.compile(
    EDITORS_NOTE.pattern + r"|descriptive, not official|common English usage|legal_basis|notes_en", re.I
)
ALWAYS = [
    "/fr/echeance/?recourse=review&received=2026-01-05",
    "/en/deadline/?recourse=fees&order=ordre-des-architectes-du-quebec&received=2026-01-05",
    "/fr/recherche/?q=courtier+immobilier",
    "/en/search/?q=real+estate+broker",
    "/en/search/?q=my+notary+charges+too+much",
    "/en/search/suggestions/?q=real+estate",
]


class EditorsNotesLoadingTests(TestCase):
    def test_a_data_file_with_a_note_in_public_text_is_refused_and_nothing_is_written(self):
        data = {
            "bodies": [
                {
                    "key": "oaciq",
                    "name_fr": "Organisme d'autoréglementation du courtage immobilier du Québec",
                    "gloss_en": "Québec's real estate brokerage regulator (no official English name seen)",
                    "handles_fr": "Reçoit les plaintes.",
                    "occupations_fr": ["courtier immobilier"],
                }
            ]
        }
        with self.assertRaisesMessage(LoadError, "gloss_en"):
            load_other_bodies_data(data)
        self.assertFalse(OtherBody.objects.exists())

    def test_a_note_left_by_an_older_file_is_replaced_without_overwrite(self):
        load_other_bodies_file()
        OtherBody.objects.filter(key="oaciq").update(gloss_en="Québec's regulator (no official English name seen)")
        UnregulatedOccupation.objects.update(summary_en="Kept: an editor wrote this.")
        load_other_bodies_file()
        self.assertEqual(OtherBody.objects.get(key="oaciq").gloss_en, "Québec's real estate brokerage regulator")
        self.assertEqual(
            set(UnregulatedOccupation.objects.values_list("summary_en", flat=True)), {"Kept: an editor wrote this."}
        )

    def test_the_markers_find_the_data_sets_notes_and_spare_plain_text(self):
        for note in (
            "(no official English name seen)",
            "article number from memory",
            "Register URL not verified",
            "(descriptive English name)",
            "nom non vérifié",
            "page pas vue",
        ):
            with self.subTest(note=note):
                self.assertTrue(editors_note_in(note))
        for text in (
            "Le tableau des membres sert à vérifier qu'un professionnel est membre.",
            "Source: CROP survey for the CIQ, 2013.",
            "The official name is French.",
            "Todos",
        ):
            with self.subTest(text=text):
                self.assertEqual(editors_note_in(text), "")


class EditorsNotesCrawlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_quality_pages()

    def guide_answers(self) -> list[str]:
        """Every guide step and answer: each step, each result for each profession, each body and occupation."""
        guide = GuidePage.objects.live().get()
        professions = list(ProfessionPage.objects.live().values_list("key", flat=True))
        urls = []
        for base in ("/fr/qui-contacter/", "/en/who-do-i-contact/"):
            for block in guide.steps:
                key = block.value["key"]
                urls.append(f"{base}?step={key}")
                if block.block_type == "result" and block.value["find_order"]:
                    urls += [f"{base}?step={key}&profession={profession}" for profession in professions]
            urls += [f"{base}?profession={profession}" for profession in professions]
            urls += [f"{base}?body={key}" for key in OtherBody.objects.values_list("key", flat=True)]
            urls += [f"{base}?occupation={key}" for key in UnregulatedOccupation.objects.values_list("key", flat=True)]
        return urls

    def test_no_public_page_or_answer_shows_an_editors_note(self):
        queue = ["/fr/", "/en/", *ALWAYS, *self.guide_answers()]
        seen, found = set(queue), []
        while queue:
            url = queue.pop()
            response = self.client.get(url)
            self.assertLess(response.status_code, 500, url)
            if response.status_code != 200:
                continue
            text = unescape(response.content.decode())
            for match in MARKERS.finditer(text):
                found.append(f"{url}: …{text[max(0, match.start() - 80) : match.end() + 20]}…")
            if "html" not in response.get("Content-Type", ""):
                continue
            for href in HREF.findall(text):
                link = urljoin(url, unescape(href))
                parts = urlsplit(link)
                if parts.netloc or not parts.path.startswith(("/fr/", "/en/")) or link in seen:
                    continue
                seen.add(link)
                queue.append(link)
        self.assertGreater(len(seen), 500)
        self.assertEqual(found, [])
