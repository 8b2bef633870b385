"""Receiving a public comment: rate limit, validation, then storage for moderation."""

from dataclasses import dataclass

from django_ratelimit.core import is_ratelimited

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from blog.forms import CommentForm
from blog.models.comments import Comment
from ops.security import is_same_origin

SESSION_KEY = "blog_pending_comments"


@dataclass
class Submission:
    form: CommentForm
    comment: Comment | None = None
    status: int = 200


def own_pending_comment_ids(request) -> list[int]:
    """Comments this visitor sent that still await moderation (kept in their session).

    Only a visitor who already has a session is asked: opening the session of anyone else would
    add `Vary: Cookie` and keep the post out of shared caches.
    """
    session = getattr(request, "session", None)
    if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []
    return list(session.get(SESSION_KEY, []))


def submit_comment(request, post) -> Submission:
    """Check and store a comment sent to the post; the form keeps what was typed on any error.

    The post page is served from shared caches, so instead of Django's per-visitor CSRF token the
    form carries a signed token naming the post (blog.forms) and the POST must come from the site.
    """
    form = CommentForm(request.POST, post_id=post.pk)
    limited = is_ratelimited(
        request,
        group="blog.comment",
        key="ip",
        rate=settings.BLOG_COMMENT_RATE,
        method="POST",
        increment=True,
    )
    is_valid = form.is_valid()
    if not is_same_origin(request):
        form.add_error(
            None,
            _("We could not check that this form was sent from this site. Please send your comment again."),
        )
        return Submission(form, status=403)
    if not is_valid:
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
