"""Receiving a public comment: rate limits, validation, repeats, then storage for moderation.

What protects the form (README, "The campaign blog"): the POST must come from the site (Origin or
Referer); a rate limit per address and one per form token (a cached post gives every visitor the
same token, so the token is public: the second limit bounds one token replayed from many
addresses); the same text on the same post is refused for BLOG_COMMENT_DUPLICATE_HOURS; a
honeypot; at most two links; and a moderator reads every comment before it appears.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blog.forms import CommentForm
from blog.models.comments import Comment, body_fingerprint
from home.public_forms import limited
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
    # Both counters count every send, refused or not (django-ratelimit keeps them in the cache).
    limited_address = limited(request, "blog.comment", "ip", settings.BLOG_COMMENT_RATE)
    limited_token = limited(request, "blog.comment-token", "post:started", settings.BLOG_COMMENT_TOKEN_RATE)
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
    if limited_address:
        form.add_error(
            None,
            _("You have sent several comments in a short time. Please wait a few minutes and try again."),
        )
        return Submission(form, status=429)
    if limited_token:
        # Many sends came from copies of this page; the form shown again carries a token of its own.
        form.add_error(
            None,
            _("Many comments were sent from this page in a short time. Please check your comment and send it again."),
        )
        return Submission(form, status=429)
    if _is_repeat(post, form.cleaned_data["body"]):
        form.add_error(
            "body",
            _(
                "This comment was already sent on this post. If you sent it, it is awaiting moderation: "
                "there is no need to send it again."
            ),
        )
        return Submission(form, status=409)
    comment = form.save(commit=False)
    comment.post = post
    comment.language = translation.get_language() or ""
    if form.is_spam:
        comment.status = Comment.Status.SPAM
        comment.email, comment.notify_on_reply = "", False  # nobody will reply to spam
    comment.save()
    if comment.status == Comment.Status.PENDING:
        request.session[SESSION_KEY] = [*own_pending_comment_ids(request), comment.pk][-20:]
    return Submission(form, comment)


def _is_repeat(post, body: str) -> bool:
    """The same text (see body_fingerprint) was sent on this post within the window, whatever became of it."""
    since = timezone.now() - timedelta(hours=settings.BLOG_COMMENT_DUPLICATE_HOURS)
    return Comment.objects.filter(post=post, body_fingerprint=body_fingerprint(body), created_at__gte=since).exists()
