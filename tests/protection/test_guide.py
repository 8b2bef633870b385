import re
from html import unescape

from django.test import TestCase
from django.utils import translation

from wagtail.blocks import StreamBlockValidationError

from protection.blocks import GuideStreamBlock
from protection.models import GuidePage
from tests.factories import load_site

START = {"fr": "Quelle est votre situation?", "en": "What is your situation?"}
GUIDE_URL = {"fr": "/fr/qui-contacter/", "en": "/en/who-do-i-contact/"}


def links(response) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', response.content.decode())]


def main_links(response) -> list[str]:
    main = response.content.decode().split('<main id="main"')[1].split("</main>")[0]
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', main)]


class GuideTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()
        cls.guide = GuidePage.objects.get()

    def test_every_path_ends_on_a_result_that_links_to_existing_pages(self):
        for language, base in GUIDE_URL.items():
            seen, queue, results = set(), [base], []
            while queue:
                url = queue.pop()
                if url in seen:
                    continue
                seen.add(url)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertContains(response, f'<html lang="{language}">')
                options = [href for href in main_links(response) if "class" not in href]
                steps = [href for href in options if href.startswith(f"{base}?step=")]
                if "guide-result" in response.content.decode():
                    results.append(url)
                    targets = [href for href in main_links(response) if not href.startswith(base)]
                    self.assertTrue(targets, url)
                    for target in targets:
                        with self.subTest(result=url, target=target):
                            self.assertEqual(self.client.get(target).status_code, 200)
                else:
                    self.assertTrue(steps, f"{url} is a question without answers")
                    queue.extend(href for href in steps if "step=q" in href or "step=r" in href)
            with self.subTest(language=language):
                # 12 distinct results: every branch was followed to its end. 3 questions + 12 results
                # = 15 steps, the first one reached both at the guide's URL and at ?step=q1.
                self.assertEqual(len(results), 12)
                self.assertEqual(len(seen), 16)

    def test_the_syndic_result_sends_to_the_syndic_explainer_and_the_directory(self):
        response = self.client.get("/fr/qui-contacter/?step=r_syndic")
        self.assertContains(response, "Demandez une enquête au syndic de l&#x27;ordre")
        self.assertContains(response, 'href="/fr/proteger-le-public/demander-une-enquete-au-syndic/"')
        self.assertContains(response, 'href="/fr/ordres/"')
        self.assertContains(response, 'href="/fr/professions/"')
        # The reader sees the answers that led here and can change them.
        self.assertContains(response, "Le professionnel a mal agi ou a manqué de compétence")
        self.assertContains(response, 'href="/fr/qui-contacter/?step=q2"')

    def test_results_about_decisions_do_not_send_to_the_directory(self):
        response = self.client.get("/en/who-do-i-contact/?step=r_appeal")
        self.assertContains(response, 'href="/en/protecting-the-public/appeal-to-the-professions-tribunal/"')
        self.assertNotIn("/en/orders/", main_links(response))

    def test_every_step_is_translated(self):
        for step in self.guide.steps:
            for language in ("fr", "en"):
                with self.subTest(step=step.value["key"], language=language):
                    response = self.client.get(f"{GUIDE_URL[language]}?step={step.value['key']}")
                    field = "text" if step.block_type == "question" else "title"
                    expected = step.value[f"{field}_{language}"]
                    self.assertContains(response, f'<h2 id="step-heading">{expected}</h2>', html=True)

    def test_switching_language_keeps_the_current_step(self):
        response = self.client.get("/fr/qui-contacter/?step=q3")
        self.assertContains(
            response, '<a href="/en/who-do-i-contact/?step=q3" hreflang="en" lang="en">English</a>', html=True
        )
        response = self.client.get("/en/who-do-i-contact/")
        self.assertContains(response, '<a href="/fr/qui-contacter/" hreflang="fr" lang="fr">Français</a>', html=True)

    def test_bad_step_values_show_the_first_question(self):
        bad = [
            "?step=",
            "?step=zz",
            "?step=%3Cscript%3Ealert(1)%3C/script%3E",
            "?step=q1%00",
            "?step[]=q2",
            "?step=R_SYNDIC",
            "?step=" + "q" * 5000,
            "?%ff=%fe&step=%ff",
            "?step=../../admin/",
        ]
        for query in bad:
            with self.subTest(query=query):
                response = self.client.get("/fr/qui-contacter/" + query)
                self.assertContains(response, f'<h2 id="step-heading">{START["fr"]}</h2>', html=True)
                self.assertNotContains(response, "<script>alert")
                self.assertNotContains(response, "Start over")

    def test_a_repeated_step_parameter_uses_the_last_one(self):
        response = self.client.get("/en/who-do-i-contact/?step=q2&step=q3")
        self.assertContains(response, "Which decision do you disagree with?")

    def test_editors_cannot_save_a_tree_with_dead_ends_or_repeated_keys(self):
        block = GuideStreamBlock()
        question = {
            "key": "q1",
            "text_fr": "Q?",
            "text_en": "Q?",
            "help_fr": "",
            "help_en": "",
            "options": [
                {"label_fr": "A", "label_en": "A", "next": "q1"},
                {"label_fr": "B", "label_en": "B", "next": "nowhere"},
            ],
        }
        value = block.to_python([{"type": "question", "value": question}, {"type": "question", "value": question}])
        with translation.override("en"), self.assertRaises(StreamBlockValidationError) as caught:
            block.clean(value)
        messages = " ".join(str(error) for error in caught.exception.non_block_errors)
        self.assertIn("repeated: q1", messages)
        self.assertIn("lead to no step: nowhere", messages)
