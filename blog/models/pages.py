"""The blog's pages: the index with its category, tag and feed routes, and the posts."""

import math
from dataclasses import dataclass

from modelcluster.fields import ParentalManyToManyField

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from blog.blocks import BlogStreamBlock
from blog.comments import own_pending_comment_ids, submit_comment
from blog.forms import CommentForm
from blog.models.comments import Comment, TeamReply
from blog.models.snippets import BlogCategory, BlogTag
from blog.sharing import OPEN_GRAPH_SPEC, open_graph_meta, plain_share_links
from home.models import BilingualPreviewMixin, SlugRouteMixin
from home.public import public_pages
from home.public_forms import is_shared_rendering, issue_form_token
from ops.cache import cached_fragment

POSTS_PER_PAGE = 10
RELATED_POSTS = 3
WORDS_PER_MINUTE = 200
HERO_SPEC = "width-960|format-webp"
CARD_TEMPLATE = "blog/includes/post_card.html"
COMMENT_FIELDS_SHOWN = ("pk", "name", "body", "status", "created_at")  # never the email address
REPLY_FIELDS_SHOWN = tuple(f"team_reply__{name}" for name in ("id", "body", "language", "status", "published_at"))


class BlogPostQuerySet(PageQuerySet):
    def for_listing(self) -> "BlogPostQuerySet":
        """Public posts newest first, with what a post card shows (no bodies, comment counts)."""
        return (
            public_pages(self)
            .defer_streamfields()
            .select_related("hero_image")
            .annotate(approved_comment_count=shown_comment_count())
            .order_by("-date", "-pk")
        )


BlogPostManager = PageManager.from_queryset(BlogPostQuerySet)


def shown_comment_count():
    """What visitors count under a post: approved comments and the team's published replies to them."""
    approved = Q(comments__status=Comment.Status.APPROVED)
    published = approved & Q(comments__team_reply__status=TeamReply.Status.PUBLISHED)
    return Count("comments", filter=approved) + Count("comments__team_reply", filter=published)


def prefetch_for_cards(posts: list) -> None:
    """Fetch the authors, categories and hero renditions of the posts about to be shown."""
    prefetch_related_objects(posts, "authors", "categories", "hero_image__renditions")


def render_comment_fields(request, form: CommentForm) -> SafeString:
    """The comment form's fields (with their errors and what was typed, if any)."""
    return render_to_string("blog/includes/comment_fields.html", {"comment_form": form}, request=request)


def taxonomy_or_404(model, slug: str):
    """The category or tag with this slug in the active language (first one if an editor made twins)."""
    found = model.objects.filter(slug=slug, live=True).order_by("pk").first()
    if found is None:
        raise Http404
    return found


@dataclass
class PostCard:
    """A post's card, rendered once and cached with the page that shows it."""

    pk: int
    html: SafeString


class BlogIndexPage(RoutablePageMixin, SlugRouteMixin, BilingualPreviewMixin, Page):
    """The campaign blog: every post, newest first, with category, tag and feed routes.

    Its own routes come first; any other path is a post, found by its slug (SlugRouteMixin)
    without reading the other posts.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.BlogPostPage"]
    max_count = 1

    class Meta:
        verbose_name = _("blog index page")

    def posts(self) -> BlogPostQuerySet:
        """The public posts of this blog, ready for cards."""
        return BlogPostPage.objects.child_of(self).for_listing()

    def render_listing(self, request, posts, *, category=None, tag=None):
        page_obj = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
        prefetch_for_cards(page_obj.object_list)
        if category is not None:
            heading = gettext("Category: %(name)s") % {"name": category.name}
        elif tag is not None:
            heading = gettext("Tag: %(name)s") % {"name": tag.name}
        else:
            heading = ""
        language_urls = {}
        if category is not None or tag is not None:
            route, item = ("category", category) if category is not None else ("tag", tag)
            for code, _name in settings.LANGUAGES:
                with translation.override(code):  # item.slug reads the active language's column
                    language_urls[code] = self.get_url(request=request) + self.reverse_subpage(route, args=[item.slug])
        context = self.get_context(request)
        context.update(
            {
                "page_obj": page_obj,
                "posts": page_obj.object_list,
                "listing_heading": heading,
                "language_urls": language_urls,
                "category_links": self.taxonomy_links(
                    request, BlogCategory.objects.filter(live=True), "category", category
                ),
                "tag_links": self.taxonomy_links(request, BlogTag.objects.filter(live=True), "tag", tag),
                "feeds": self.feed_links(request, category),
                "social_meta": open_graph_meta(request, self, description=self.intro),
            }
        )
        return TemplateResponse(request, self.get_template(request), context)

    def taxonomy_links(self, request, items, route: str, current=None) -> list[dict]:
        """Name, URL and current state of each category or tag filter."""
        base = self.get_url(request=request)
        return [
            {
                "name": item.name,
                "url": base + self.reverse_subpage(route, args=[item.slug]),
                "current": item == current,
            }
            for item in items
        ]

    def feed_links(self, request, category=None) -> dict[str, str]:
        """Absolute URLs of the RSS and Atom feeds (the blog's, or one category's)."""
        if category is None:
            rss, atom = self.reverse_subpage("rss"), self.reverse_subpage("atom")
        else:
            rss = self.reverse_subpage("category_rss", args=[category.slug])
            atom = self.reverse_subpage("category_atom", args=[category.slug])
        base = self.get_url(request=request)
        return {
            "rss": request.build_absolute_uri(base + rss),
            "atom": request.build_absolute_uri(base + atom),
        }

    def category_or_404(self, slug: str) -> BlogCategory:
        return taxonomy_or_404(BlogCategory, slug)

    @path("")
    def index(self, request):
        return self.render_listing(request, self.posts())

    @path(_("category/<str:slug>/"), name="category")
    def category(self, request, slug):
        category = self.category_or_404(slug)
        return self.render_listing(request, self.posts().filter(categories=category), category=category)

    @path(_("tag/<str:slug>/"), name="tag")
    def tag(self, request, slug):
        tag = taxonomy_or_404(BlogTag, slug)
        return self.render_listing(request, self.posts().filter(tags=tag), tag=tag)

    @path("rss/", name="rss")
    def rss(self, request):
        from blog.feeds import BlogRssFeed

        return BlogRssFeed(self)(request)

    @path("atom/", name="atom")
    def atom(self, request):
        from blog.feeds import BlogAtomFeed

        return BlogAtomFeed(self)(request)

    @path(_("category/<str:slug>/rss/"), name="category_rss")
    def category_rss(self, request, slug):
        from blog.feeds import BlogRssFeed

        return BlogRssFeed(self, self.category_or_404(slug))(request)

    @path(_("category/<str:slug>/atom/"), name="category_atom")
    def category_atom(self, request, slug):
        from blog.feeds import BlogAtomFeed

        return BlogAtomFeed(self, self.category_or_404(slug))(request)


class BlogPostPage(BilingualPreviewMixin, RoutablePageMixin, SlugRouteMixin, Page):
    """A campaign blog post, in French and English, open to moderated public comments."""

    # Its comment form is checked by blog.comments (signed token + origin), not by Django's CSRF
    # cookie, so that a GET sets no cookie and the page can be shared by caches (ops.wagtail_hooks).
    csrf_checked_by_page = True

    date = models.DateField(_("publication date"))
    authors = ParentalManyToManyField("blog.BlogAuthor", blank=True, verbose_name=_("authors"))
    categories = ParentalManyToManyField("blog.BlogCategory", blank=True, verbose_name=_("categories"))
    tags = ParentalManyToManyField("blog.BlogTag", blank=True, verbose_name=_("tags"))
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt = models.CharField(
        _("hero image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it; leave empty if it is decorative."),
    )
    summary = models.TextField(_("summary"), help_text=_("Shown on cards, in feeds and when shared."))
    body = StreamField(BlogStreamBlock(), blank=True, verbose_name=_("body"))
    comments_open = models.BooleanField(_("comments open"), default=True)

    objects = BlogPostManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading=_("Hero image")),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags", widget=forms.CheckboxSelectMultiple),
                FieldPanel("comments_open"),
            ],
            heading=_("Authors, categories and tags"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blog post")

    @property
    def reading_time(self) -> int:
        """Minutes a reader needs for the body, at 200 words a minute (at least 1)."""
        words = len(strip_tags(" ".join(self.body_text_parts())).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def body_text_parts(self) -> list[str]:
        parts = []
        for block in self.body:
            value = block.value
            if block.block_type == "paragraph":
                parts.append(value.source)
            elif block.block_type == "callout":
                parts.append(value["text"])
            elif block.block_type == "faq":
                parts += [f"{item['question']} {item['answer']}" for item in value["items"]]
            else:
                parts.append(str(value))
        return parts

    def related_posts(self, categories: list, tags: list) -> list["BlogPostPage"]:
        """Up to three other public posts sharing one of these categories or tags, newest first."""
        category_ids = [category.pk for category in categories]
        tag_ids = [tag.pk for tag in tags]
        related_ids = (
            BlogPostPage.objects.filter(Q(categories__in=category_ids) | Q(tags__in=tag_ids))
            .exclude(pk=self.pk)
            .values("pk")
        )
        posts = list(BlogPostPage.objects.filter(pk__in=related_ids).for_listing()[:RELATED_POSTS])
        prefetch_for_cards(posts)
        return posts

    def visible_comments(self, request) -> list[Comment]:
        """Approved comments (with the team's reply, if published), and this visitor's own ones awaiting
        moderation, oldest first; one query."""
        if self.pk is None:  # a new page's preview has no comments yet
            return []
        shown = Q(status=Comment.Status.APPROVED)
        own_pending = own_pending_comment_ids(request)
        if own_pending:
            shown |= Q(pk__in=own_pending, status=Comment.Status.PENDING)
        comments = (
            Comment.objects.filter(shown, post_id=self.pk)
            .select_related("team_reply")
            .only(*COMMENT_FIELDS_SHOWN, *REPLY_FIELDS_SHOWN)
        )
        return list(comments.order_by("created_at"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        comments = self.visible_comments(request)
        parts = self.shared_parts(request)
        context.update(parts)
        # A form sent back with errors shows what was typed; the empty form is the same for everyone.
        form = kwargs.get("comment_form")
        fields = render_comment_fields(request, form) if form is not None else parts["blank_comment_fields"]
        context.update(
            {
                "has_own_pending_comment": any(comment.is_pending for comment in comments),
                "comments": comments,
                "approved_comment_count": sum(
                    (c.status == Comment.Status.APPROVED) + (c.shown_reply is not None) for c in comments
                ),
                "comment_form": form,
                "comment_fields": fields,
                # Every rendering, including a re-display after an error, gets a fresh token; one
                # that caches may serve to many visitors is marked shared (blog.forms).
                "comment_token": issue_form_token(self.pk, shared=is_shared_rendering(request)),
            }
        )
        return context

    def shared_parts(self, request) -> dict:
        """What every visitor sees alike, rendered once per language and host until the next publish.

        Previews are built afresh: they show a draft, not what is published.
        """
        if getattr(request, "is_preview", False) or self.pk is None:
            return self.build_shared_parts(request)
        return cached_fragment(
            "blog_post", request, request.scheme, self.pk, build=lambda: self.build_shared_parts(request)
        )

    def build_shared_parts(self, request) -> dict:
        blog = self.get_parent().specific  # set while routing the request: no query
        categories, tags = list(self.categories.all()), list(self.tags.all())
        authors = [{"name": author.name, "bio": author.bio} for author in self.authors.all()]
        hero = og_image = None
        if self.hero_image is not None:
            renditions = self.hero_image.get_renditions(HERO_SPEC, OPEN_GRAPH_SPEC)
            hero, og_image = renditions[HERO_SPEC], renditions[OPEN_GRAPH_SPEC]
        category_links = blog.taxonomy_links(request, categories, "category")
        tag_links = blog.taxonomy_links(request, tags, "tag")
        url = self.get_url(request=request)
        share_links = plain_share_links(request.build_absolute_uri(url), self.title)
        return {
            "blog": {"title": blog.title, "url": blog.get_url(request=request)},
            "post_url": url or "",
            "authors": authors,
            "reading_time": self.reading_time,
            "hero": hero.img_tag({"alt": self.hero_alt}) if hero else "",
            "content": render_to_string(
                "blog/includes/post_content.html",
                {
                    "page": self,
                    "authors": authors,
                    "category_links": category_links,
                    "tag_links": tag_links,
                    "share_links": share_links,
                },
                request=request,
            ),
            "related_posts": [
                PostCard(post.pk, render_to_string(CARD_TEMPLATE, {"post": post, "in_section": True}, request=request))
                for post in self.related_posts(categories, tags)
            ],
            "blank_comment_fields": render_comment_fields(request, CommentForm(post_id=self.pk)),
            "feeds": blog.feed_links(request),
            "social_meta": open_graph_meta(
                request,
                self,
                description=self.search_description or self.summary,
                image=self.hero_image,
                image_alt=self.hero_alt,
                published=self.date,
                rendition=og_image,
            ),
        }

    @path("")
    def post(self, request):
        """Show the post; a POST submits a comment (held for moderation)."""
        if request.method != "POST":
            return self.render_post(request)
        result = submit_comment(request, self)
        if result.comment is not None:
            return HttpResponseRedirect(self.get_url(request=request) + "#comments")
        return self.render_post(request, comment_form=result.form, status=result.status)

    def render_post(self, request, comment_form=None, status=200):
        context = self.get_context(request, comment_form=comment_form)
        return TemplateResponse(request, self.get_template(request), context, status=status)
