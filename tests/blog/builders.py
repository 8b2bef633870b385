"""Build blog pages, snippets and comments for tests (no fixtures file, no demo data)."""

import datetime
import io
import time

from PIL import Image as PillowImage

from django.core import signing
from django.core.files.images import ImageFile
from django.test import Client

from wagtail.images.models import Image
from wagtail.models import Collection

from blog.forms import TOKEN_SALT
from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPostPage, BlogTag
from home.loaders import publish


def make_image(title: str = "Héros") -> Image:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 180), "#0b3d6b").save(buffer, format="PNG")
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="hero.png"), collection=collection)


def make_blog(home) -> BlogIndexPage:
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


def make_taxonomy():
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
