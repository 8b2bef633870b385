"""Receiving a public comment: rate limit, validation, then storage for moderation."""

from dataclasses import dataclass

from django_ratelimit.core import is_ratelimited

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from blog.forms import CommentForm
from blog.models.comments import Comment

SESSION_KEY = "blog_pending_comments"


@dataclass
class Submission:
    form: CommentForm
    comment: Comment | None = None
    status: int = 200


def own_pending_comment_ids(request) -> list[int]:
    """Comments this visitor sent that still await moderation (kept in their session)."""
    session = getattr(request, "session", None)
    return list(session.get(SESSION_KEY, [])) if session is not None else []


def submit_comment(request, post) -> Submission:
    """Check and store a comment sent to the post; the form keeps what was typed on any error."""
    form = CommentForm(request.POST)
    limited = is_ratelimited(
        request,
        group="blog.comment",
        key="ip",
        rate=settings.BLOG_COMMENT_RATE,
        method="POST",
        increment=True,
    )
    if not form.is_valid():
        return Submission(form)
    if not post.comments_open:
        form.add_error(None, _("Comments are closed on this post."))
        return Submission(form, status=403)
    if limited:
        form.add_error(
            None,
            _("You have sent several comments in a short time. Please wait a few minutes and try again."),
        )
        return Submission(form, status=429)
    comment = form.save(commit=False)
    comment.post = post
    comment.language = translation.get_language() or ""
    if form.is_spam:
        comment.status = Comment.Status.SPAM
    comment.save()
    if comment.status == Comment.Status.PENDING:
        request.session[SESSION_KEY] = [*own_pending_comment_ids(request), comment.pk][-20:]
    return Submission(form, comment)
