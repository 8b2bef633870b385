import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Revision, Site

from blog.loading import load_blog
from home.campaign_blocks import ChartBlock, HomeStreamBlock, StandardStreamBlock
from home.loading import HomeDataError, load_home_data, load_home_file, read
from home.models import HomePage, SocialMediaSettings, StandardPage
from home.seeding import ensure_home_page
from professions.loading import load_directory_data
from protection.loading import load_explainers_files
from tests.factories import data_query_count, directory_data

NBSP = "\u00a0"
MAX_HOME_QUERIES = 8
MAX_HOME_QUERIES_COLD = 10
CONTRIBUTION = {"fr": "/fr/ce-que-les-ordres-apportent/", "en": "/en/what-the-orders-contribute/"}
# The project's data set, as copied into the repository: the only places a source's address may come from.
DATA_FILES = [
    settings.BASE_DIR / "home" / "data" / "campaign.json",
    settings.BASE_DIR / "home" / "data" / "mechanisms.json",
    settings.BASE_DIR / "professions" / "data" / "directory.json",
    settings.BASE_DIR / "professions" / "data" / "order_links.json",
]


def load_campaign_site() -> HomePage:
    """Home, a small directory, the explainers and guide, the blog demo, then the home content."""
    home = ensure_home_page()
    load_directory_data(directory_data(2, 1))
    load_explainers_files()
    load_blog(home)
    load_home_file()
    return HomePage.objects.get()


def text_of(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, css_class: str) -> str:
    """The element whose class attribute starts with css_class, up to the end of its tag."""
    match = re.search(rf'<(section|figure|div) class="{css_class}[^"]*".*?</\1>', html, re.S)
    return match.group()


class CampaignHomeTests(TestCase):
    """The home, the contribution page, their loader and blocks, on one seeded site (seeding takes a while)."""

    @classmethod
    def setUpTestData(cls):
        cls.home = load_campaign_site()

    def get(self, path: str) -> str:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response.content.decode()

    def test_the_mission_and_the_question_box_come_first(self):
        for language, label, example in (
            ("fr", "Un problème avec un professionnel? Décrivez-le.", "plainte contre mon dentiste"),
            ("en", "A problem with a professional? Describe it.", "complaint against my pharmacist"),
        ):
            with self.subTest(language=language):
                html = self.get(f"/{language}/")
                banner = html.split('<div class="hero hero--home">')[1].split('<div class="container home-body">')[0]
                self.assertIn("protéger le public" if language == "fr" else "to protect the public", banner)
                search = "/fr/recherche/" if language == "fr" else "/en/search/"
                self.assertIn(f'action="{search}"', banner)
                self.assertIn(
                    f'<label id="question-box-label" class="question-box__label" for="question-box-input">{label}',
                    banner,
                )
                self.assertIn('name="q"', banner)
                links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', banner.split("question-box__examples")[2])
                self.assertEqual(len(links), 3)
                self.assertIn(example, [text for _url, text in links])
                for url, text in links:
                    self.assertEqual(urlsplit(url).path, search)
                    self.assertEqual(parse_qs(urlsplit(url).query)["q"], [unescape(text)])
                    self.assertEqual(self.client.get(unescape(url)).status_code, 200)

    def test_the_three_questions_have_answers_and_working_links(self):
        questions = {
            "fr": [
                "Qu'est-ce qu'un ordre professionnel?",
                "Comment les ordres protègent-ils le public?",
                "Quelle est la contribution sociale et économique des ordres et de leurs membres?",
            ],
            "en": [
                "What is a professional order?",
                "How do the orders protect the public?",
                "What social and economic contribution do the orders and their members make?",
            ],
        }
        for language, expected in questions.items():
            with self.subTest(language=language):
                block = section(self.get(f"/{language}/"), "campaign-questions")
                self.assertEqual([text_of(h).strip() for h in re.findall(r"<h3>(.*?)</h3>", block)], expected)
                items = block.split('<li class="card">')[1:]
                self.assertEqual(len(items), 3)
                for item in items:
                    links = re.findall(r'<a href="([^"]+)">', item)
                    self.assertTrue(links, item)
                    for url in links:
                        self.assertEqual(self.client.get(url).status_code, 200, url)
                self.assertIn(f'href="{CONTRIBUTION[language]}"', items[2])

    def test_the_survey_chart_has_its_data_table_and_source_in_both_languages(self):
        cases = {
            "fr": ("Surtout le public", f"12{NBSP}%", f"39{NBSP}%", f"49{NBSP}%", f"Source{NBSP}: sondages CROP"),
            "en": ("Mainly the public", "12%", "39%", "49%", "Source: CROP surveys"),
        }
        for language, (series, public, members, both, source) in cases.items():
            with self.subTest(language=language):
                chart = section(self.get(f"/{language}/"), "chart")
                table = re.search(r"<table>.*?</table>", chart, re.S).group()
                self.assertIn(f'<th scope="col">{series}</th>', table)
                row_2013 = re.search(r'<tr><th scope="row">2013</th>(.*?)</tr>', table).group(1)
                self.assertEqual(re.findall(r"<td>(.*?)</td>", row_2013), [public, members, both])
                self.assertEqual(len(re.findall(r'<th scope="row">', table)), 4)  # 2012 to 2015
                self.assertIn(source, text_of(chart))
                # The bars are drawn in SVG from the same data, hidden from screen readers (the table says it).
                self.assertIn('<div class="chart__visual" aria-hidden="true">', chart)
                self.assertIn('x="12.00" width="39.00"', chart)

    def test_the_survey_charts_caption_speaks_plainly_and_its_source_line_holds_the_details(self):
        for language, plain, sample in (
            ("fr", "une personne sur dix", f"1{NBSP}000"),
            ("en", "one person in ten", "1,000"),
        ):
            with self.subTest(language=language):
                chart = section(self.get(f"/{language}/"), "chart")
                caption = text_of(re.search(r"<figcaption.*?</figcaption>", chart, re.S).group())
                source = text_of(re.search(r'<p class="chart__source">.*?</p>', chart, re.S).group())
                self.assertIn(plain, caption)
                for detail in ("CROP", "%", sample):  # survey firm, figures, sample: not in the caption
                    self.assertNotIn(detail, caption)
                for detail in ("CROP", "2012", "2015", sample):
                    self.assertIn(detail, source)

    def test_the_key_figures_show_their_source_and_year(self):
        for language, member_count, source in (
            ("fr", f"385{NBSP}205", f"Source{NBSP}: Office des professions du Québec, statistiques publiées en 2017"),
            ("en", "385,205", "Source: Office des professions du Québec, statistics published in 2017"),
        ):
            with self.subTest(language=language):
                figures = section(self.get(f"/{language}/"), "key-figures")
                items = figures.split('<li class="key-figure">')[1:]
                self.assertEqual(len(items), 4)
                for item in items:
                    self.assertRegex(text_of(item), r"Source.?: .*(19|20)\d\d")
                self.assertIn(member_count, figures)
                self.assertIn(source, text_of(figures))

    def test_latest_posts_with_dates_and_social_accounts_only_when_set(self):
        html = self.get("/fr/")
        follow = section(html, "follow-campaign")
        dates = re.findall(r'<time class="meta" datetime="(\d{4}-\d\d-\d\d)">', follow)
        self.assertEqual(len(dates), 3)
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertNotIn("Sur les réseaux sociaux", follow)
        SocialMediaSettings.objects.update_or_create(
            site=Site.objects.get(is_default_site=True), defaults={"linkedin_url": "https://www.linkedin.com/company/x"}
        )
        follow = section(self.get("/en/"), "follow-campaign")
        self.assertIn("On social media", follow)
        self.assertIn('<a href="https://www.linkedin.com/company/x" rel="noopener">LinkedIn</a>', follow)
        self.assertNotIn("Facebook", follow)

    def test_no_heading_is_repeated_on_the_home(self):
        for language in ("fr", "en"):
            html = self.get(f"/{language}/")
            headings = [text_of(h).strip() for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)]
            with self.subTest(language=language):
                self.assertEqual(len(headings), len(set(headings)), headings)
                self.assertNotIn("Par où commencer", headings)

    def test_the_home_runs_at_most_eight_queries_without_the_page_cache(self):
        """The page cache is off in tests; menus and listings come from fragments cached until a publish."""
        for language in ("fr", "en"):
            self.client.get(f"/{language}/")  # per-process caches and fragments, as after any first view
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(f"/{language}/")
            self.assertEqual(response.status_code, 200)
            with self.subTest(language=language):
                self.assertLessEqual(data_query_count(captured), MAX_HOME_QUERIES)
            # Right after a publish every fragment is rebuilt: a few more queries, once.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                self.client.get(f"/{language}/")
            with self.subTest(language=language, cache="empty"):
                self.assertLessEqual(data_query_count(captured), MAX_HOME_QUERIES_COLD)

    def test_the_menu_is_a_details_element_marking_the_current_section(self):
        html = self.get("/fr/blogue/")
        menu = html.split('class="main-nav"')[1].split("</nav>")[0]
        self.assertIn('<details class="main-nav__menu">', menu)
        self.assertIn('<a href="/fr/blogue/" aria-current="page">', menu)
        self.assertIn("Blogue de la campagne</span></summary>", menu)
        post = self.get("/fr/blogue/pourquoi-la-campagne-ordre-de-proteger/")
        self.assertIn('<a href="/fr/blogue/" aria-current="true">', post)
        self.assertNotIn("aria-current", self.get("/fr/").split('class="main-nav"')[1].split("</nav>")[0])

    def test_the_contribution_page_renders_its_figures_with_sources(self):
        cases = {
            "fr": (f"8{NBSP}785", "enquêtes des syndics", "bilan statistique 2019-2020", f"74{NBSP}%"),
            "en": ("8,785", "inquiries by syndics", "statistical report 2019-2020", "74%"),
        }
        for language, (figure, label, source, trust) in cases.items():
            with self.subTest(language=language):
                response = self.client.get(CONTRIBUTION[language])
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                items = html.split('<li class="key-figure">')[1:]
                self.assertEqual(len(items), 11)
                for item in items:  # every figure says when it was true, and where it comes from
                    item_text = text_of(item.split("</li>")[0])
                    self.assertRegex(item_text, r"(Période|Period).?: .*(19|20)\d\d")
                    self.assertRegex(item_text, r"Source.?: \w")
                figures = text_of(html)
                self.assertIn(figure, figures)
                self.assertIn(label, figures)
                self.assertIn(source, figures)
                # The trust chart (2012-2015) as a table: 2015, orders.
                self.assertRegex(html, rf'<tr><th scope="row">2015</th><td>[^<]+</td><td>{trust}</td></tr>')

    def key_figures(self, language: str) -> list[str]:
        html = self.client.get(CONTRIBUTION[language]).content.decode()
        return [item.split("</li>")[0] for item in html.split('<li class="key-figure">')[1:]]

    def test_the_economic_figures_show_the_period_the_data_gives_never_as_current(self):
        economic = json.loads(DATA_FILES[0].read_text(encoding="utf-8"))["economic_figures"]
        gdp, workforce = economic
        cases = {
            "fr": (f"{gdp['gdp_share_pct']}{NBSP}%", f"{workforce['professionals']:,}".replace(",", NBSP)),
            "en": (f"{gdp['gdp_share_pct']}%", f"{workforce['professionals']:,}"),
        }
        for language, (gdp_value, professionals) in cases.items():
            with self.subTest(language=language):
                items = {text_of(item).split(" ", 2)[1]: text_of(item) for item in self.key_figures(language)}
                shown = {value: text for value, text in items.items() if value in (gdp_value, professionals)}
                self.assertEqual(len(shown), 2, items.keys())
                self.assertIn(str(gdp["year"]), shown[gdp_value])
                self.assertIn("Conseil interprofessionnel du Québec", shown[gdp_value])
                # An older figure of uncertain date: its period is the data's estimate, never this year's.
                self.assertRegex(shown[professionals], r"2010.2011")
                self.assertIn("Le Devoir", shown[professionals])
                self.assertNotIn(str(gdp["year"]), shown[professionals])

    def test_sources_link_only_to_addresses_found_in_the_data(self):
        known = set()
        for path in DATA_FILES:
            known.update(
                url.rstrip(".") for url in re.findall(r"https?://[^\s\"'<>]+", path.read_text(encoding="utf-8"))
            )
        for language in ("fr", "en"):
            with self.subTest(language=language):
                links = [
                    href
                    for item in self.key_figures(language)
                    for href in re.findall(r'<p class="key-figure__source">.*?</p>', item, re.S)
                    for href in re.findall(r'href="([^"]+)"', href)
                ]
                self.assertTrue(links)
                self.assertEqual(set(links) - known, set())

    def test_the_contribution_page_is_in_the_footer_of_both_languages(self):
        self.assertContains(self.client.get("/fr/"), f'href="{CONTRIBUTION["fr"]}"')
        self.assertContains(self.client.get("/en/"), f'href="{CONTRIBUTION["en"]}"')

    def test_loading_twice_changes_nothing(self):
        before = Revision.objects.count()
        report = load_home_file()
        self.assertEqual(Revision.objects.count(), before)
        self.assertEqual((report.created, report.updated), ([], []))

    def test_editors_text_is_kept_unless_overwrite(self):
        home = HomePage.objects.get()
        home.intro_fr = "La mission, revue par une éditrice."
        # The English of a block is the block of the same id as the French one (translations.pairs).
        english = [dict(item) for item in home.body_en.raw_data]
        heading = next(item for item in english if item["type"] == "heading")
        heading["value"] = "Edited by an editor"
        home.body_en = english
        home.save_revision().publish()
        load_home_file()
        home.refresh_from_db()
        self.assertEqual(home.intro_fr, "La mission, revue par une éditrice.")
        self.assertIn("Edited by an editor", [block.value for block in home.body_en])
        load_home_file(overwrite=True)
        home.refresh_from_db()
        self.assertTrue(home.intro_fr.startswith("Les 46 ordres professionnels du Québec"))
        self.assertNotIn("Edited by an editor", [block.value for block in home.body_en])
        self.assertEqual(home.body_en[0].block_type, "question_box")

    def test_a_malformed_file_is_refused_before_anything_is_written(self):
        data = read()
        data["home"]["body_en"].append(
            {
                "type": "campaign_questions",
                "value": {"questions": [{"question": "?", "answer": "!", "links": [{"page": "nowhere", "text": ""}]}]},
            }
        )
        before = (Revision.objects.count(), StandardPage.objects.count())
        with self.assertRaisesMessage(HomeDataError, "nowhere"):
            load_home_data(data, overwrite=True)
        data["home"]["body_en"][-1] = {"type": "carousel", "value": {}}
        with self.assertRaisesMessage(HomeDataError, "carousel"):
            load_home_data(data, overwrite=True)
        self.assertEqual((Revision.objects.count(), StandardPage.objects.count()), before)

    def test_every_block_renders_its_preview_in_both_languages(self):
        blocks = {**HomeStreamBlock().child_blocks, **StandardStreamBlock().child_blocks}
        for language in ("fr", "en"):
            with translation.override(language):
                for name, block in blocks.items():
                    with self.subTest(block=name, language=language):
                        self.assertTrue(block.render(block.get_preview_value()).strip())

    def test_the_admin_previews_each_home_block(self):
        user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        self.client.force_login(user)
        for name, block in HomeStreamBlock().child_blocks.items():
            with self.subTest(block=name):
                response = self.client.get("/admin/block-preview/", {"id": block.definition_prefix})
                self.assertEqual(response.status_code, 200)

    def test_a_chart_row_needs_one_value_per_series(self):
        from django.core.exceptions import ValidationError

        block = ChartBlock()
        value = block.to_python(
            {
                **ChartBlock().meta.preview_value,
                "rows": [{"label": "2013", "values": [12, 39]}],
            }
        )
        with self.assertRaises(ValidationError):
            block.clean(value)
        value = block.to_python(ChartBlock().meta.preview_value)
        self.assertEqual(list(block.clean(value)["rows"][0]["values"]), [12, 39, 49])

    def test_the_home_editor_shows_both_languages_bodies(self):
        user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        self.client.force_login(user)
        response = self.client.get(f"/admin/pages/{HomePage.objects.get().pk}/edit/")
        self.assertContains(response, 'id="body_fr"')
        self.assertContains(response, 'id="body_en"')
