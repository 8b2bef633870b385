"""Admin integration: blog snippets, comment moderation, bulk actions, dashboard panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import DateColumn, TitleColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from blog.models import BlogAuthor, BlogCategory, BlogTag, Comment
from blog.permissions import MODERATE_PERMISSION, CommentPermissionPolicy
from blog.reply_views import reply_to_comment


class BlogAuthorViewSet(SnippetViewSet):
    model = BlogAuthor
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name"]


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "slug"]


class BlogTagViewSet(SnippetViewSet):
    model = BlogTag
    icon = "tag"
    menu_label = _("Tags")
    list_display = ["name", "slug"]


def reply_link(comment: Comment) -> str | None:
    """Where to write (or change) the team's reply: approved comments only."""
    if comment.status != Comment.Status.APPROVED:
        return None
    return reverse("blog_comment_reply", args=[comment.pk])


def inspect_link(comment: Comment) -> str:
    """The comment in full (its text, post, status, language), with Edit for moderators."""
    return reverse("wagtailsnippets_blog_comment:inspect", args=[comment.pk])


class CommentViewSet(SnippetViewSet):
    """The moderation queue: pending comments first, filters by status and date.

    The commenter's address is in no column, search, inspect view or form: it is never shown.
    Those who reply (editors) see the list and reply; only moderators change a comment's status.
    """

    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    list_display = [
        TitleColumn("body", label=_("Comment"), accessor="__str__", get_url=inspect_link),
        "post",
        "status",
        DateColumn("created_at", label=_("Submitted")),
        TitleColumn("team_reply", label=_("Team reply"), accessor="team_reply_label", get_url=reply_link),
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "body"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "post",
        "name",
        "body",
        "status",
        "language",
        "notify_on_reply",
        "created_at",
        "moderated_at",
    ]

    @property
    def permission_policy(self):
        return CommentPermissionPolicy(self.model)

    def get_queryset(self, request):
        return Comment.objects.select_related("post", "team_reply")

    panels = [
        FieldPanel("status"),
        FieldPanel("name", read_only=True),
        FieldPanel("body", read_only=True),
        FieldPanel("notify_on_reply", read_only=True),
    ]


class BlogViewSetGroup(SnippetViewSetGroup):
    items = (CommentViewSet, BlogAuthorViewSet, BlogCategoryViewSet, BlogTagViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Blog")
    menu_name = "blog"


register_snippet(BlogViewSetGroup)


class ModerateCommentsBulkAction(SnippetBulkAction):
    """Set the status of the selected comments; only moderators may."""

    template_name = "blog/admin/confirm_bulk_moderation.html"
    new_status: str

    models = [Comment]

    def check_perm(self, obj) -> bool:
        return self.request.user.has_perm(MODERATE_PERMISSION)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [comment.pk for comment in objects]
        return Comment.objects.filter(pk__in=ids).moderate(cls.new_status), 0

    def get_success_message(self, num_parent_objects, num_child_objects) -> str:
        return ngettext(
            "%(count)d comment marked “%(status)s”.",
            "%(count)d comments marked “%(status)s”.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": Comment.Status(self.new_status).label}


@hooks.register("register_bulk_action")
class ApproveCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    new_status = Comment.Status.APPROVED
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected comments")
    new_status = Comment.Status.REJECTED
    action_priority = 20


@hooks.register("register_bulk_action")
class SpamCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    new_status = Comment.Status.SPAM
    action_priority = 25


class PendingCommentsPanel(Component):
    """Dashboard panel: how many comments await moderation, with a link to them."""

    name = "pending_comments"
    template_name = "blog/admin/pending_comments_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        return {
            "pending_count": Comment.objects.filter(status=Comment.Status.PENDING).count(),
            "list_url": reverse(Comment.snippet_viewset.get_url_name("list")) + "?status=pending",
        }


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    if request.user.has_perm(MODERATE_PERMISSION):
        panels.append(PendingCommentsPanel())


@hooks.register("register_admin_urls")
def register_reply_urls():
    return [path("blog/comments/<int:comment_id>/reply/", reply_to_comment, name="blog_comment_reply")]
