"""RSS and Atom feeds of the blog, in the active language, with absolute URLs."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from blog.models import BlogCategory, BlogIndexPage, BlogPostPage

FEED_ITEMS = 20


class BlogRssFeed(Feed):
    """The latest posts of the blog, or of one category (Django's syndication framework)."""

    def __init__(self, blog: BlogIndexPage, category: BlogCategory | None = None):
        super().__init__()
        self.blog = blog
        self.category = category

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self) -> str:
        site_name = _("Ordre de protéger")
        if self.category is not None:
            return f"{self.category.name} — {self.blog.title} — {site_name}"
        return f"{self.blog.title} — {site_name}"

    def link(self) -> str:
        url = self.blog.get_url(request=self.request)
        if self.category is not None:
            url += self.blog.reverse_subpage("category", args=[self.category.slug])
        return url

    def description(self) -> str:
        return self.blog.intro or self.title()

    def items(self):
        posts = BlogPostPage.objects.child_of(self.blog).for_listing()
        if self.category is not None:
            posts = posts.filter(categories=self.category)
        return posts.prefetch_related("authors", "categories")[:FEED_ITEMS]

    def item_title(self, item: BlogPostPage) -> str:
        return item.title

    def item_description(self, item: BlogPostPage) -> str:
        return item.summary

    def item_link(self, item: BlogPostPage) -> str:
        return item.get_url(request=self.request)

    def item_pubdate(self, item: BlogPostPage) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9, 0)))

    def item_updateddate(self, item: BlogPostPage) -> datetime.datetime | None:
        return item.last_published_at

    def item_author_name(self, item: BlogPostPage) -> str:
        return ", ".join(author.name for author in item.authors.all())

    def item_categories(self, item: BlogPostPage) -> list[str]:
        return [category.name for category in item.categories.all()]


class BlogAtomFeed(BlogRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
