import csv
import io
import json
import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import translation
from django.utils.html import escape

from wagtail.test.utils import WagtailPageTestCase

from home.language import sort_key
from home.models import HomePage
from home.seeding import ensure_home_page
from professions.loading import load_directory_file
from professions.models import OrderIndexPage, OrderPage, ProfessionIndexPage, ProfessionPage

NBSP = "\u00a0"


def url_in(page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def json_ld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


class RealDirectoryTests(TestCase):
    """The demo directory, loaded from the real data file."""

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        cls.index = OrderIndexPage.objects.get()
        cls.oiq = OrderPage.objects.get(key="ordre-des-ingenieurs-du-quebec")
        cls.engineer = ProfessionPage.objects.get(key="ingenieur")

    def test_demo_directory_has_46_orders_and_54_professions_in_both_languages(self):
        self.assertEqual(OrderPage.objects.live().count(), 46)
        self.assertEqual(ProfessionPage.objects.live().count(), 54)
        self.assertContains(self.client.get("/fr/ordres/"), "46 ordres professionnels")
        self.assertContains(self.client.get("/en/orders/"), "46 professional orders")
        self.assertContains(self.client.get("/fr/professions/"), "54 professions")
        self.assertContains(self.client.get("/en/professions/"), "54 professions")

    def test_every_order_and_profession_answers_in_both_languages_with_its_own_slug(self):
        pages = [*OrderPage.objects.all(), *ProfessionPage.objects.all()]
        for page in pages:
            french, english = url_in(page, "fr"), url_in(page, "en")
            with self.subTest(page=page.key):
                self.assertTrue(french.startswith("/fr/ordres/"), french)
                self.assertTrue(english.startswith("/en/orders/"), english)
                self.assertNotEqual(french.split("/")[3:], english.split("/")[3:])
                response = self.client.get(french)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<html lang="fr">')
                # The switcher lands on the same page in English.
                self.assertContains(response, f'<a href="{english}" hreflang="en" lang="en">English</a>', html=True)
                response = self.client.get(english)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<html lang="en">')
                self.assertContains(response, f'<a href="{french}" hreflang="fr" lang="fr">Français</a>', html=True)

    def test_index_sorts_by_profession_not_by_order_prefix_and_ignores_accents(self):
        for language, path in (("fr", "/fr/ordres/"), ("en", "/en/orders/")):
            with self.subTest(language=language):
                html = self.client.get(path).content.decode()
                kickers = re.findall(r'<p class="kicker">(.*?)</p>', html)
                self.assertEqual(len(kickers), 46)
                self.assertEqual(kickers, sorted(kickers, key=sort_key))
        html = self.client.get("/fr/ordres/").content.decode()
        # "Évaluateur agréé" is filed under E, not after Z, and engineers under I, not under O for "Ordre".
        section_e = html.split('id="letter-E"')[1].split('id="letter-')[0]
        self.assertIn("Ordre des évaluateurs agréés du Québec", section_e)
        section_i = html.split('id="letter-I"')[1].split('id="letter-')[0]
        self.assertIn("Ordre des ingénieurs du Québec", section_i)

    def test_filters_by_sector_and_practice_work_without_javascript(self):
        cases = {
            "?sector=sante-relations-humaines": "29 ordres professionnels",
            "?sector=droit-administration-affaires": "8 ordres professionnels",
            "?sector=genie-amenagement-sciences": "9 ordres professionnels",
            "?practice=exclusive": "25 ordres professionnels",
            "?practice=reserved_title": "21 ordres professionnels",
            "?sector=genie-amenagement-sciences&practice=exclusive&letter=I": "ordres professionnels",
        }
        for query, text in cases.items():
            with self.subTest(query=query):
                response = self.client.get("/fr/ordres/" + query)
                self.assertContains(response, text)
        response = self.client.get("/fr/ordres/?sector=genie-amenagement-sciences&letter=I")
        self.assertContains(response, "Ordre des ingénieurs du Québec")
        self.assertNotContains(response, "Ordre des infirmières et infirmiers du Québec")
        self.assertContains(response, '<option value="genie-amenagement-sciences" selected>', html=False)
        response = self.client.get("/en/orders/?practice=exclusive")
        self.assertContains(response, "25 professional orders")

    def test_bad_query_strings_show_the_normal_directory(self):
        bad_queries = [
            "?sector=inconnu",
            "?practice=maybe",
            "?letter=%C3%89",
            "?letter=ZZ",
            "?letter=%00",
            "?sector=%27%20OR%201%3D1--",
            "?practice=%3Cscript%3Ealert(1)%3C/script%3E",
            "?page=-1&sector[]=x",
        ]
        for query in bad_queries:
            with self.subTest(query=query):
                response = self.client.get("/fr/ordres/" + query)
                self.assertContains(response, "46 ordres professionnels")
                self.assertNotContains(response, "<script>alert(1)")

    def test_letter_without_orders_says_so_and_offers_the_whole_list(self):
        response = self.client.get("/en/orders/?letter=X")
        self.assertContains(response, "0 professional orders")
        self.assertContains(response, "No order matches these filters.")

    def test_order_page_shows_its_facts_professions_and_structured_data(self):
        response = self.client.get(url_in(self.oiq, "fr"))
        self.assertContains(response, "<h1>Ordre des ingénieurs du Québec</h1>", html=True)
        self.assertContains(response, "OIQ")
        self.assertContains(response, f"62{NBSP}068 membres (2016)")
        self.assertContains(response, 'href="https://www.oiq.qc.ca"')
        self.assertContains(response, f'href="{url_in(self.engineer, "fr")}"')
        self.assertContains(response, "Vérifier qu'une personne est membre")
        data = json_ld(response)
        self.assertEqual(data["@type"], "Organization")
        self.assertEqual(data["alternateName"], "OIQ")
        response = self.client.get(url_in(self.oiq, "en"))
        self.assertContains(response, "62,068 members (2016)")
        self.assertContains(response, '<h1 lang="fr">Ordre des ingénieurs du Québec</h1>', html=True)
        self.assertContains(response, "Check that a professional is a member")

    def test_a_member_count_without_its_year_is_not_shown(self):
        barreau = OrderPage.objects.get(key="barreau-du-quebec")
        self.assertEqual(barreau.members_year, None)
        response = self.client.get(url_in(barreau, "fr"))
        self.assertNotContains(response, "membres (")
        self.assertNotContains(response, "24")

    def test_profession_page_explains_titles_practice_and_where_to_complain(self):
        response = self.client.get(url_in(self.engineer, "fr"))
        self.assertContains(response, "<h1>Ingénieur</h1>", html=True)
        self.assertContains(response, "ingénieure")  # feminine reserved title
        self.assertContains(response, "Exercice exclusif")
        self.assertContains(response, "Seuls les membres de l'ordre peuvent exercer cette profession")
        self.assertContains(response, "Porter plainte")
        self.assertContains(response, f'href="{url_in(self.oiq, "fr")}"')
        self.assertContains(response, f'<meta name="description" content="{escape(self.engineer.summary_fr)}">')
        self.assertEqual(json_ld(response)["@type"], "Occupation")
        response = self.client.get(url_in(self.engineer, "en"))
        self.assertContains(response, "<h1>Engineer</h1>", html=True)
        self.assertContains(response, "Exclusive practice")
        self.assertContains(response, "(in French, as written in the law)")

    def test_reserved_title_profession_explains_what_the_title_means(self):
        profession = ProfessionPage.objects.filter(practice="reserved_title").first()
        response = self.client.get(url_in(profession, "en"))
        self.assertContains(response, "Reserved title")
        self.assertContains(response, "Only members of the order may use the reserved titles.")

    def test_professions_a_to_z_lists_every_profession_with_its_order(self):
        for language, path in (("fr", "/fr/professions/"), ("en", "/en/professions/")):
            with self.subTest(language=language):
                html = self.client.get(path).content.decode()
                for profession in ProfessionPage.objects.all():
                    self.assertIn(f'href="{url_in(profession, language)}"', html)
        response = self.client.get("/en/professions/")
        self.assertContains(response, "Lawyer")
        self.assertContains(response, '<span lang="fr">Barreau du Québec</span>', html=True)

    def test_open_data_json_has_every_order_in_both_languages(self):
        response = self.client.get("/data/directory.json")
        self.assertEqual(response["Content-Type"], "application/json")
        data = response.json()
        self.assertEqual((data["orders_count"], data["professions_count"]), (46, 54))
        oiq = next(order for order in data["orders"] if order["key"] == "ordre-des-ingenieurs-du-quebec")
        self.assertEqual(oiq["website"], "https://www.oiq.qc.ca")
        self.assertEqual(oiq["url_en"], "http://testserver/en/orders/order-of-engineers/")
        self.assertEqual(oiq["professions"][0]["title_en"], "Engineer")
        self.assertEqual(self.client.get(oiq["url_en"]).status_code, 200)

    def test_open_data_csv_has_one_row_per_profession(self):
        response = self.client.get("/data/directory.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 54)
        engineer = next(row for row in rows if row["profession_key"] == "ingenieur")
        self.assertEqual(engineer["reserved_titles_fr"], "ingénieur | ingénieure")
        self.assertEqual(
            engineer["profession_url_fr"],
            "http://testserver/fr/ordres/ordre-des-ingenieurs-du-quebec/ingenieur/",
        )
        self.assertEqual(self.client.post("/data/directory.csv").status_code, 405)

    def test_editors_see_french_and_english_fields_side_by_side(self):
        user = get_user_model().objects.create_superuser("editor", "editor@example.org", "unused")
        self.client.force_login(user)
        for page in (self.oiq, self.engineer):
            with self.subTest(page=page.key):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertEqual(response.status_code, 200)
                for field in (
                    "title_fr",
                    "title_en",
                    "summary_fr",
                    "summary_en",
                    "description_fr",
                    "description_en",
                ):
                    self.assertContains(response, f'name="{field}"')
        response = self.client.get(f"/admin/pages/{self.index.pk}/")
        self.assertContains(response, "Ordre des ingénieurs du Québec")


class PageTreeRulesTests(WagtailPageTestCase):
    def test_directory_pages_only_live_where_they_belong(self):
        self.assertAllowedParentPageTypes(OrderIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(OrderIndexPage, {OrderPage})
        self.assertAllowedParentPageTypes(OrderPage, {OrderIndexPage})
        self.assertAllowedSubpageTypes(OrderPage, {ProfessionPage})
        self.assertAllowedParentPageTypes(ProfessionPage, {OrderPage})
        self.assertAllowedSubpageTypes(ProfessionPage, set())
        self.assertAllowedParentPageTypes(ProfessionIndexPage, {HomePage})
        self.assertCanNotCreateAt(HomePage, ProfessionPage)
