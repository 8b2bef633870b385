"""Every guide step and answer has its own <title>, in both languages."""

import re
from collections import Counter
from html import unescape

from django.test import TestCase

from home.seeding import ensure_home_page
from professions.loading import load_directory_file
from protection.bodies import OtherBody, UnregulatedOccupation, load_other_bodies_file
from protection.loading import load_explainers_files
from protection.models import GuidePage

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
GUIDE = {"fr": ("/fr/qui-contacter/", "Qui contacter?"), "en": ("/en/who-do-i-contact/", "Who do I contact?")}


class GuideTitleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        load_explainers_files()
        load_other_bodies_file()

    def title(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return " ".join(unescape(TITLE.search(response.content.decode()).group(1)).split())

    def queries(self) -> list[str]:
        steps = list(GuidePage.objects.get().steps)
        # The first step is the start page itself (?step=q1 is the guide's first screen).
        queries = [f"?step={block.value['key']}" for block in steps[1:]]
        queries += [
            f"?step={block.value['key']}&profession={profession}"
            for block in steps
            if block.block_type == "result" and block.value["find_order"]
            for profession in ("ingenieur", "dentiste")
        ]
        queries += ["?profession=ingenieur", "?profession=dentiste"]
        queries += [f"?body={key}" for key in OtherBody.objects.values_list("key", flat=True)]
        queries += [f"?occupation={key}" for key in UnregulatedOccupation.objects.values_list("key", flat=True)]
        return queries

    def test_each_step_and_answer_has_a_distinctive_title_in_both_languages(self):
        queries = self.queries()
        for language, (base, guide_title) in GUIDE.items():
            with self.subTest(language=language):
                titles = {query: self.title(base + query) for query in queries}
                start = self.title(base)
                self.assertTrue(start.startswith(f"{guide_title} |"), start)
                repeated = [title for title, count in Counter([start, *titles.values()]).items() if count > 1]
                self.assertEqual(repeated, [])
                for title in titles.values():
                    self.assertIn(f" — {guide_title} |", title)

    def test_titles_name_the_step_and_the_professional(self):
        self.assertTrue(
            self.title("/fr/qui-contacter/?step=r_syndic&profession=ingenieur").startswith(
                "Demandez une enquête au syndic de l'ordre : Ingénieur — Qui contacter?"
            )
        )
        self.assertTrue(
            self.title("/en/who-do-i-contact/?step=q2").startswith("What do you want to resolve? — Who do I contact?")
        )
        self.assertTrue(
            self.title("/en/who-do-i-contact/?profession=dentiste").startswith(
                "A problem with a professional: Dentist — Who do I contact?"
            )
        )
        self.assertIn("OACIQ", self.title("/en/who-do-i-contact/?body=oaciq"))
