"""Load the campaign blog's demo content from blog/data/posts.json (create or update by key)."""

import datetime
import hashlib
import io
from pathlib import Path

from PIL import Image as PillowImage
from PIL import ImageDraw

from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection

from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPostPage, BlogTag
from home.loaders import LoadError, LoadReport, apply_values, publish, read_json, save_page, save_row, translated
from home.models import HomePage

DATA_FILE = Path(__file__).parent / "data" / "posts.json"
HERO_SIZE = (1200, 630)
PALETTE = [("#0b3d6b", "#0f6b5c"), ("#0f6b5c", "#ffbf47"), ("#062846", "#4a90c2"), ("#8a4b00", "#0b3d6b")]

# The demo is the code's: every run puts back what these and the data file say (overwrite).
INDEX_CONTENT = {
    "title_fr": "Blogue de la campagne",
    "title_en": "Campaign blog",
    "slug_fr": "blogue",
    "slug_en": "blog",
    "intro_fr": "Des billets courts pour comprendre les ordres professionnels et connaître vos recours.",
    "intro_en": "Short posts to understand professional orders and know your options.",
    "search_description_fr": (
        "Le blogue de la campagne « Ordre de protéger » : ordres professionnels, syndic, plaintes."
    ),
    "search_description_en": "The “Ordre de protéger” campaign blog: professional orders, the syndic, complaints.",
    "show_in_menus": True,
}


class BlogDataError(LoadError):
    """The demo content file is missing or malformed."""


def read_data(path: Path = DATA_FILE) -> dict:
    """Parse the demo content file."""
    return read_json(path, BlogDataError)


def upsert_snippet(model, row: dict, fields: tuple[str, ...]):
    """Create or update a translated snippet found by its French name."""
    obj = model.objects.filter(name_fr=row["name_fr"]).first() or model()
    save_row(obj, translated(row, *fields), overwrite=True)
    return obj


def ensure_blog_index(home: HomePage) -> BlogIndexPage:
    """Create or update the blog index under the home page, shown in the menu."""
    index = BlogIndexPage.objects.child_of(home).first() or BlogIndexPage()
    return save_page(home, index, INDEX_CONTENT, report=LoadReport(), label="blog", overwrite=True)


def draw_hero(seed: str) -> bytes:
    """A simple, decorative campaign illustration: a shield on a two-colour background."""
    digest = hashlib.sha256(seed.encode()).digest()
    background, accent = PALETTE[digest[0] % len(PALETTE)]
    image = PillowImage.new("RGB", HERO_SIZE, background)
    draw = ImageDraw.Draw(image)
    width, height = HERO_SIZE
    for i in range(6):
        radius = 80 + digest[i + 1] % 160
        x, y = digest[i + 7] * width // 255, digest[i + 13] * height // 255
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=accent, width=6)
    cx, top = width // 2, height // 5
    shield = [(cx - 150, top), (cx + 150, top), (cx + 150, top + 200), (cx, top + 360), (cx - 150, top + 200)]
    draw.polygon(shield, fill="#ffffff", outline=accent, width=10)
    draw.line([(cx - 70, top + 170), (cx - 15, top + 230), (cx + 85, top + 110)], fill=background, width=28)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def ensure_hero_image(post_row: dict):
    """Return the post's generated hero image, creating it once (found by its title)."""
    image_model = get_image_model()
    title = f"Blogue — {post_row['key']}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        content = ImageFile(io.BytesIO(draw_hero(post_row["key"])), name=f"blog-{post_row['key']}.png")
        # Wagtail's migrations create the root collection; a --no-migrations test database lacks it.
        collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
        image = image_model(title=title, file=content, collection=collection)
        image.save()
    return image


def upsert_post(index: BlogIndexPage, row: dict, snippets: dict[str, dict]) -> BlogPostPage:
    """Create or update one post (found by its French slug) and publish it if anything changed."""
    post = BlogPostPage.objects.child_of(index).filter(slug_fr=row["slug_fr"]).first()
    is_new = post is None
    if is_new:
        post = BlogPostPage()
    date = datetime.date.fromisoformat(row["date"])
    values = {
        **translated(row, "title", "slug", "summary", "hero_alt", "body"),
        "date": date,
        "hero_image_id": ensure_hero_image(row).pk,
    }
    changed = bool(apply_values(post, values, overwrite=True))
    relations = {
        "authors": [snippets["authors"][row["author"]]],
        "categories": [snippets["categories"][key] for key in row["categories"]],
        "tags": [snippets["tags"][key] for key in row["tags"]],
    }
    for name, wanted_objects in relations.items():
        if is_new or {obj.pk for obj in getattr(post, name).all()} != {obj.pk for obj in wanted_objects}:
            getattr(post, name).set(wanted_objects)
            changed = True
    if is_new:
        post.first_published_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(9, 0)))
        index.add_child(instance=post)
    if changed:
        publish(post)
    return post


def load_blog(home: HomePage, data: dict | None = None) -> BlogIndexPage:
    """Create or update the blog index, its authors, categories, tags and posts."""
    data = data or read_data()
    index = ensure_blog_index(home)
    snippets = {
        "authors": {row["key"]: upsert_snippet(BlogAuthor, row, ("name", "bio")) for row in data["authors"]},
        "categories": {row["key"]: upsert_snippet(BlogCategory, row, ("name",)) for row in data["categories"]},
        "tags": {row["key"]: upsert_snippet(BlogTag, row, ("name",)) for row in data["tags"]},
    }
    for row in data["posts"]:
        upsert_post(index, row, snippets)
    return index
