"""Test data builders: data files, page trees, blog posts and comments, users (no fixtures file).

Every test module builds what it needs from here: small valid directory data files of any size
(`directory_data`), small bilingual trees (`build_directory`, `build_guide`, `make_blog`…) and the
real loaders run on a part of the data (`load_sample_directory`, `load_site`, `seed_quality_pages`).
"""

import copy
import datetime
import io
import json
import time

from PIL import Image as PillowImage

from django.core import signing
from django.core.files.images import ImageFile
from django.test import Client
from django.utils import translation

from wagtail.images.models import Image
from wagtail.models import Collection, Page
from wagtail.users.models import UserProfile

from blog.loading import load_blog
from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPostPage, BlogTag
from home.loaders import publish
from home.loading import load_home_file
from home.models import StandardPage
from home.public_forms import TOKEN_SALT
from home.seeding import ensure_home_page, ensure_standard_pages
from professions.loading import DATA_FILE, load_directory_data, load_directory_file, read_directory
from professions.models import OrderIndexPage, OrderPage, Sector
from protection.bodies import load_other_bodies_file
from protection.loading import load_explainers_files
from protection.models import ExplainerPage, GuidePage
from search.indexing import rebuild_index

_REAL = json.loads(DATA_FILE.read_text(encoding="utf-8"))
# A few real orders from the directory file, for tests that do not need all 46 (faster to load).
SAMPLE_ORDERS = [
    "barreau-du-quebec",
    "ordre-des-comptables-professionnels-agrees-du-quebec",
    "ordre-des-dentistes-du-quebec",
    "ordre-des-denturologistes-du-quebec",
    "ordre-des-infirmieres-et-infirmiers-auxiliaires-du-quebec",
    "ordre-des-infirmieres-et-infirmiers-du-quebec",
    "ordre-des-ingenieurs-du-quebec",
    "ordre-des-ingenieurs-forestiers-du-quebec",
    "ordre-des-psychoeducateurs-et-psychoeducatrices-du-quebec",
    "ordre-des-psychologues-du-quebec",
    "ordre-des-sages-femmes-du-quebec",
]


# --- Data files and the real loaders -------------------------------------------------------------


def directory_data(orders: int, professions_per_order: int = 1) -> dict:
    """A valid directory data dict with `orders` synthetic orders, built from the real file's shape."""
    template = _REAL["orders"][0]
    data = {"sectors": copy.deepcopy(_REAL["sectors"]), "pages": copy.deepcopy(_REAL["pages"]), "orders": []}
    sector_keys = [sector["key"] for sector in data["sectors"]]
    for number in range(orders):
        order = copy.deepcopy(template)
        order.update(
            {
                "key": f"ordre-test-{number}",
                "slug_fr": f"ordre-test-{number}",
                "slug_en": f"test-order-{number}",
                "name_fr": f"Ordre des testeurs {number} du Québec",
                "sort_fr": f"testeur {number:03d}",
                "sort_en": f"tester {number:03d}",
                "sector": sector_keys[number % len(sector_keys)],
                "practice": "exclusive" if number % 2 else "reserved_title",
                "acronym": f"OT{number}",
            }
        )
        order["professions"] = []
        for index in range(professions_per_order):
            profession = copy.deepcopy(template["professions"][0])
            profession.update(
                {
                    "key": f"testeur-{number}-{index}",
                    "slug_fr": f"testeur-{index}",
                    "slug_en": f"tester-{index}",
                    "title_fr": f"Testeur {number}-{index}",
                    "title_en": f"Tester {number}-{index}",
                }
            )
            order["professions"].append(profession)
        data["orders"].append(order)
    return data


def load_sample_directory(keys: list[str] = SAMPLE_ORDERS) -> None:
    """Load only the named orders (and their professions) from the real data file."""
    data = read_directory()
    data["orders"] = [order for order in data["orders"] if order["key"] in keys]
    load_directory_data(data)


def load_site() -> None:
    """Home page, a small directory and every explainer, as seed_site builds them."""
    ensure_home_page()
    load_directory_data(directory_data(2, 1))
    load_explainers_files()


def seed_quality_pages() -> None:
    """The content the page types of tests/pages.py need: home, directory, explainers, guide, blog, search."""
    home = ensure_home_page()
    ensure_standard_pages(home)
    load_directory_file()
    load_explainers_files()
    load_other_bodies_file()
    load_blog(home)
    load_home_file()
    rebuild_index()


def data_query_count(captured) -> int:
    """Queries that read or write data: savepoints come from ATOMIC_REQUESTS inside the test transaction."""
    return sum(1 for query in captured.captured_queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE")))


# --- Small page trees ------------------------------------------------------------------------------


def add_child_page(parent: Page, fr: str, en: str, show_in_menus: bool = True) -> Page:
    """Publish a plain bilingual page under parent (its French/English title and slug from fr/en)."""
    page = Page(
        title_fr=fr.capitalize(),
        title_en=en.capitalize(),
        slug_fr=fr,
        slug_en=en,
        show_in_menus=show_in_menus,
    )
    parent.add_child(instance=page)
    publish(page)
    return page


def build_directory() -> tuple:
    """Home → "ordres"/"orders" index → one order page written in French only."""
    home = ensure_home_page()
    with translation.override("fr"):
        index = OrderIndexPage(
            title_fr="Les ordres",
            title_en="Orders",
            slug_fr="ordres",
            slug_en="orders",
            intro_fr="Tous les ordres.",
            intro_en="Every order.",
        )
        home.add_child(instance=index)
        publish(index)
        order = add_order(
            index,
            title_fr="Ordre des testeurs",
            slug_fr="ordre-des-testeurs",
            key="testeurs",
            summary_fr="Les testeurs protègent le public.",
        )
    return home, index, OrderPage.objects.get(pk=order.pk)


def add_order(index: OrderIndexPage, **fields) -> OrderPage:
    """Publish an order page under the orders index (exclusive practice unless fields say otherwise)."""
    order = OrderPage(**{"practice": "exclusive", **fields})
    index.add_child(instance=order)
    publish(order)
    return order


def translate(order: OrderPage, **values) -> OrderPage:
    """Write the English of the order page and publish it, as a translator would."""
    order = OrderPage.objects.get(pk=order.pk)
    values = {
        "title_en": "Order of testers",
        "slug_en": "order-of-testers",
        "summary_en": "Testers protect the public.",
        **values,
    }
    for name, value in values.items():
        setattr(order, name, value)
    publish(order)
    return OrderPage.objects.get(pk=order.pk)


def sector() -> Sector:
    """The health sector, French name only."""
    return Sector.objects.create(key="sante", name_fr="Santé")


def use_admin_language(user, language: str) -> None:
    """Set the language the user reads Wagtail's admin in (their profile preference)."""

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def build_guide(home, *, english: bool = True):
    """A two-step guide page under home: a question with two answers, and a result."""

    def both(name: str, fr: str, en: str) -> dict:
        return {f"{name}_fr": fr, f"{name}_en": en if english else ""}

    steps = [
        {
            "type": "question",
            "id": "q1",
            "value": {
                "key": "start",
                **both("text", "Quelle est votre situation?", "What is your situation?"),
                **both("help", "", ""),
                "options": [
                    {
                        "type": "item",
                        "id": "o1",
                        "value": {**both("label", "Une plainte", "A complaint"), "next": "end"},
                    },
                    {
                        "type": "item",
                        "id": "o2",
                        "value": {**both("label", "Une question", "A question"), "next": "end"},
                    },
                ],
            },
        },
        {
            "type": "result",
            "id": "r1",
            "value": {
                "key": "end",
                **both("title", "Écrivez au syndic", "Write to the syndic"),
                **both("text", "C'est gratuit.", "It is free."),
                "pages": [],
                "find_order": False,
                "contact_syndic": False,
            },
        },
    ]
    with translation.override("fr"):
        guide = GuidePage(
            title_fr="Qui contacter?",
            title_en="Who do I contact?",
            slug_fr="qui-contacter",
            slug_en="who-do-i-contact",
            intro_fr="Quelques questions.",
            intro_en="A few questions." if english else "",
            steps=steps,
        )
        home.add_child(instance=guide)
        publish(guide)
    return GuidePage.objects.get(pk=guide.pk)


# --- The blog --------------------------------------------------------------------------------------


def make_image(title: str = "Héros", width: int = 320, height: int = 180) -> Image:
    """A plain PNG image in the root collection."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), "#0b3d6b").save(buffer, format="PNG")
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="hero.png"), collection=collection)


def make_blog(home) -> BlogIndexPage:
    """The blog index under home, in the menu."""
    blog = BlogIndexPage(
        title_fr="Blogue de la campagne",
        title_en="Campaign blog",
        slug_fr="blogue",
        slug_en="blog",
        intro_fr="Des billets pour comprendre les ordres.",
        intro_en="Posts to understand the orders.",
        show_in_menus=True,
    )
    home.add_child(instance=blog)
    publish(blog)
    return blog


def make_taxonomy() -> dict:
    """Two categories, two tags and an author, by role."""
    category = BlogCategory.objects.create(name_fr="Vos recours", name_en="Your options")
    other_category = BlogCategory.objects.create(name_fr="La campagne", name_en="The campaign")
    tag = BlogTag.objects.create(name_fr="honoraires", name_en="fees")
    other_tag = BlogTag.objects.create(name_fr="sondage", name_en="survey")
    author = BlogAuthor.objects.create(
        name_fr="Équipe de la campagne",
        name_en="Campaign team",
        bio_fr="L'équipe explique le rôle des ordres.",
        bio_en="The team explains what orders do.",
    )
    return {
        "category": category,
        "other_category": other_category,
        "tag": tag,
        "other_tag": other_tag,
        "author": author,
    }


def make_post(blog, number: int = 1, *, categories=(), tags=(), authors=(), image=None, **fields) -> BlogPostPage:
    """Post `number` under blog, published, with a small bilingual body; `fields` override any value."""
    values = {
        "title_fr": f"Billet numéro {number}",
        "title_en": f"Post number {number}",
        "slug_fr": f"billet-{number}",
        "slug_en": f"post-{number}",
        "summary_fr": f"Résumé du billet {number}.",
        "summary_en": f"Summary of post {number}.",
        "hero_alt_fr": "Illustration : un bouclier",
        "hero_alt_en": "Illustration: a shield",
        "date": datetime.date(2026, 6, 1) + datetime.timedelta(days=number),
        "body_fr": [
            {"type": "heading", "value": "Ce que fait un ordre"},
            {"type": "paragraph", "value": "<p>Un ordre professionnel protège le public.</p>"},
            {
                "type": "faq",
                "value": {"items": [{"question": "Vrai ou faux?", "answer": "Vrai, depuis 2015."}]},
            },
        ],
        "body_en": [
            {"type": "heading", "value": "What an order does"},
            {"type": "paragraph", "value": "<p>A professional order protects the public.</p>"},
            {
                "type": "faq",
                "value": {"items": [{"question": "True or false?", "answer": "True, since 2015."}]},
            },
        ],
        "hero_image": image,
        **fields,
    }
    post = BlogPostPage(**values)
    blog.add_child(instance=post)
    post.categories.set(categories)
    post.tags.set(tags)
    post.authors.set(authors)
    publish(post)
    return BlogPostPage.objects.get(pk=post.pk)


def form_token(seconds_ago: int = 60, post_id: int | None = None) -> str:
    """The signed token of a post's comment form, as if shown `seconds_ago` seconds ago.

    Without post_id: the first post (by id), the one most tests comment on.
    """
    if post_id is None:
        post_id = BlogPostPage.objects.order_by("pk").values_list("pk", flat=True).first()
    return signing.dumps([post_id, int(time.time()) - seconds_ago], salt=TOKEN_SALT)


def comment_data(**overrides) -> dict[str, str]:
    """A valid comment form submission on the first post."""
    data = {
        "name": "Marie Tremblay",
        "email": "marie@example.org",
        "body": "Merci pour ces explications claires.",
        "website": "",
        **overrides,
    }
    if "started" not in data:
        data["started"] = form_token()
    return data


class SameSiteClient(Client):
    """A browser on the site's own pages: its form posts carry the site's Origin, as browsers send it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, headers={"Origin": "http://testserver"}, **kwargs)


# --- Private pages ---------------------------------------------------------------------------------


def retitle(page: Page, marker: str, *, fr: str, en: str, summary_field: str = "summary", **fields) -> Page:
    """Give a page a title, slug and summary that carry `marker` in both languages, and publish it."""
    page = page.specific
    values = {
        "title_fr": f"{fr} {marker}",
        "title_en": f"{en} {marker}",
        "slug_fr": f"{fr.lower()}-{marker}",
        "slug_en": f"{en.lower()}-{marker}",
        f"{summary_field}_fr": f"Résumé {marker}-resume.",
        f"{summary_field}_en": f"Summary {marker}-resume.",
        **fields,
    }
    for name, value in values.items():
        setattr(page, name, value)
    publish(page)
    return type(page).objects.get(pk=page.pk)


def build_privacy_site() -> dict[str, Page]:
    """The whole public site (directory, explainers, guide, blog, home blocks, search index) with one
    page of each listed type carrying a marker word in its title, slug and summary, by role.

    Every marked title also holds the word "Sentinelle"/"Sentinel", so one search finds them all;
    the profession is also known as « vigile » / "watchman" (a question about it gets an answer);
    the other blog post links to the marked one in its French body.
    """
    home = ensure_home_page()
    ensure_standard_pages(home)
    load_directory_data(directory_data(2, 1))
    load_explainers_files()
    blog = make_blog(home)
    taxonomy = make_taxonomy()
    shared = {"categories": [taxonomy["category"]], "tags": [taxonomy["tag"]]}
    post = make_post(blog, 1, **shared)
    link = f'<p>Lire aussi <a linktype="page" id="{post.pk}">ce billet</a>.</p>'
    make_post(blog, 2, body_fr=[{"type": "paragraph", "value": link}], **shared)
    order = OrderPage.objects.get(key="ordre-test-0")
    profession = Page.objects.child_of(order).get().specific
    standard = StandardPage(title_fr="Page", slug_fr="page", show_in_menus=True)
    home.add_child(instance=standard)
    targets = {
        "post": retitle(post, "quokka", fr="Sentinelle", en="Sentinel"),
        "order": retitle(order, "numbat", fr="Sentinelles", en="Sentinels"),
        "profession": retitle(
            profession, "kowari", fr="Sentinelle", en="Sentinel", synonyms_fr="vigile", synonyms_en="watchman"
        ),
        "explainer": retitle(ExplainerPage.objects.get(key="fee-disputes"), "potoroo", fr="Sentinelle", en="Sentinel"),
        "standard page": retitle(
            standard, "bettong", fr="Sentinelle", en="Sentinel", summary_field="search_description"
        ),
        "guide": retitle(
            GuidePage.objects.get(), "wombat", fr="Sentinelle", en="Sentinel", summary_field="search_description"
        ),
    }
    load_home_file()
    rebuild_index()
    return targets
