"""The team's replies: saving, publishing and withdrawing them, and telling the commenter once.

The commenter's address (kept only when they ticked « Prévenez-moi quand l'équipe répond ») is used
for one message, in the comment's language, with a link to the reply; it is deleted as soon as the
mail server accepts that message, or after BLOG_COMMENT_EMAIL_DAYS whatever happened. A failed send
(server down, refused) leaves the reply published and the address kept: `process_comment_emails`,
run from cron, tries again.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blog.models.comments import Comment, TeamReply

logger = logging.getLogger(__name__)


def reply_anchor(reply: TeamReply) -> str:
    return f"reply-{reply.pk}"


def save_reply(comment: Comment, body: str, action: str, author) -> TeamReply:
    """Store the reply's text and apply the action: "draft", "publish" or "withdraw".

    Publishing tells the commenter once the transaction is committed (never before: a rolled back
    publish must not send mail); a failed send does not undo the publish.
    """
    reply = getattr(comment, "team_reply", None) or TeamReply(comment=comment, language=comment_language(comment))
    reply.body = body
    reply.author = author
    if action == "publish":
        reply.status = TeamReply.Status.PUBLISHED
    elif action == "withdraw":
        reply.status = TeamReply.Status.WITHDRAWN
    else:
        reply.status = TeamReply.Status.DRAFT
    reply.save()
    if action == "publish":
        transaction.on_commit(lambda: notify_commenter(comment.pk))
    return reply


def comment_language(comment: Comment) -> str:
    """The language the visitor wrote in (the post's page they were on): the reply's and the mail's."""
    codes = [code for code, _name in settings.LANGUAGES]
    return comment.language if comment.language in codes else settings.LANGUAGE_CODE


def reply_url(reply: TeamReply) -> str:
    """The absolute address of the reply on its post, in the reply's language."""
    post = reply.comment.post
    with translation.override(reply.language):
        _site_id, _root_url, path = post.get_url_parts()
    return f"{settings.SITE_BASE_URL}{path}#{reply_anchor(reply)}"


def awaiting_notice():
    """Comments whose author asked to be told and whose reply is published, but who was not told yet."""
    return Comment.objects.filter(
        status=Comment.Status.APPROVED, notify_on_reply=True, team_reply__status=TeamReply.Status.PUBLISHED
    ).exclude(email="")


def notify_commenter(comment_id: int) -> bool:
    """Send the one message saying the team replied; forget the address once the server accepted it.

    Returns whether a message was sent. The row is locked while sending (PostgreSQL), so the cron
    command and a publish never send the same notice twice.
    """
    with transaction.atomic():
        comment = (
            awaiting_notice()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("post", "team_reply")
            .filter(pk=comment_id)
            .first()
        )
        if comment is None:
            return False
        try:
            reply_message(comment).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Reply notice for comment %s not sent, kept for a retry: %s", comment.pk, error)
            return False
        Comment.objects.filter(pk=comment.pk).update(email="", reply_notified_at=timezone.now())
    return True


def reply_message(comment: Comment) -> EmailMessage:
    """The notice, in the comment's language, with the reply and a link to it."""
    reply = comment.team_reply
    with translation.override(reply.language):
        context = {
            "name": comment.name,
            "post_title": comment.post.title,
            "reply": reply.body,
            "url": reply_url(reply),
            "days": settings.BLOG_COMMENT_EMAIL_DAYS,
        }
        subject = _("The Ordre de protéger team replied to your comment")
        body = render_to_string("blog/emails/reply_notice.txt", context)
    return EmailMessage(subject=subject, body=body, to=[comment.email])


@dataclass
class EmailRun:
    sent: int = 0
    failed: int = 0
    deleted: int = 0


def process_comment_emails(now=None) -> EmailRun:
    """Forget the addresses that are past their time or have no use, then send the notices still due."""
    now = now or timezone.now()
    run = EmailRun()
    with_address = Comment.objects.exclude(email="")
    expired = with_address.filter(created_at__lt=now - timedelta(days=settings.BLOG_COMMENT_EMAIL_DAYS))
    no_use = with_address.filter(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM])
    no_consent = with_address.filter(notify_on_reply=False)
    run.deleted = (expired | no_use | no_consent).update(email="")
    for comment_id in awaiting_notice().values_list("pk", flat=True):
        if notify_commenter(comment_id):
            run.sent += 1
        else:
            run.failed += 1
    return run
