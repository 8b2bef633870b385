"""Public comments on blog posts, held for moderation, and the team's replies to them.

A comment's e-mail address is stored only when its author ticks « Prévenez-moi quand l'équipe
répond »; it is used once, to say that the team replied (blog.replies), then deleted, or deleted
after BLOG_COMMENT_EMAIL_DAYS if nobody replied (manage.py process_comment_emails). It is never
shown to visitors, exported or published.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from home.public_forms import text_fingerprint as body_fingerprint
from ops.cache import invalidate


class CommentQuerySet(models.QuerySet):
    def moderate(self, status: str) -> int:
        """Set the status of these comments (bulk moderation); refresh the cached pages if visitors see a change."""
        shown_before = self.filter(status=Comment.Status.APPROVED).exists()
        updated = self.update(status=status, moderated_at=timezone.now())
        if updated and (shown_before or status == Comment.Status.APPROVED):
            invalidate()
        return updated


class Comment(models.Model):
    """A visitor's comment on a post; shown only once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    post = models.ForeignKey(
        "blog.BlogPostPage", verbose_name=_("post"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_("Only when its author asked to be told of a reply; deleted once used. Never published."),
    )
    notify_on_reply = models.BooleanField(_("tell me when the team replies"), default=False)
    reply_notified_at = models.DateTimeField(_("told of the reply at"), null=True, blank=True)
    body = models.TextField(_("message"), max_length=3000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    language = models.CharField(_("language"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    # Refusing the same text twice on a post (blog.comments): set on every save from the body.
    body_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        permissions = [
            ("moderate_comment", _("Can moderate public comments")),
            ("reply_comment", _("Can reply to public comments for the team")),
        ]
        indexes = [
            models.Index(fields=["post", "status"]),
            models.Index(fields=["post", "body_fingerprint", "created_at"], name="blog_comment_same_text"),
        ]

    def __str__(self) -> str:
        return Truncator(f"{self.name}: {self.body}").chars(60)

    def save(self, *args, **kwargs):
        self.body_fingerprint = body_fingerprint(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_fingerprint"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment._status_in_db = comment.__dict__.get("status")
        return comment

    @property
    def is_shown_or_was_shown(self) -> bool:
        """Whether visitors see this comment, or saw it as it was loaded (only approved ones are shown)."""
        return self.Status.APPROVED in (self.status, getattr(self, "_status_in_db", None))

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def shown_reply(self) -> "TeamReply | None":
        """The team's reply visitors see under this comment: published, under an approved comment."""
        reply = getattr(self, "team_reply", None)
        if reply is None or self.status != self.Status.APPROVED or reply.status != TeamReply.Status.PUBLISHED:
            return None
        return reply

    @property
    def team_reply_label(self) -> str:
        """The state of the team's reply, for the moderation listing."""
        reply = getattr(self, "team_reply", None)
        if reply is not None:
            return reply.get_status_display()
        return _("Reply") if self.status == self.Status.APPROVED else "—"


class TeamReply(models.Model):
    """The campaign team's answer to an approved comment, shown under it once published.

    Written in one language, the comment's (the post's language where the visitor wrote): it has
    no translation, so it is not a translated model and the translation status never counts it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    comment = models.OneToOneField(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="team_reply"
    )
    body = models.TextField(_("reply"), max_length=3000)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team reply")
        verbose_name_plural = _("team replies")

    def __str__(self) -> str:
        return Truncator(self.body).chars(60)

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()  # the date visitors see: the first publication
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        reply = super().from_db(db, field_names, values)
        reply._status_in_db = reply.__dict__.get("status")
        return reply

    @property
    def is_shown_or_was_shown(self) -> bool:
        return self.Status.PUBLISHED in (self.status, getattr(self, "_status_in_db", None))


# A visitor's comment waits for moderation and changes no public page: only a change that shows or
# hides an approved comment refreshes the page cache (ops.cache does not watch comments).
@receiver(post_save, sender=Comment, dispatch_uid="blog_comment_saved")
def _refresh_after_moderation(sender, instance: Comment, raw=False, **kwargs) -> None:
    if not raw and instance.is_shown_or_was_shown:
        invalidate()
    instance._status_in_db = instance.status


@receiver(post_delete, sender=Comment, dispatch_uid="blog_comment_deleted")
def _refresh_after_deletion(sender, instance: Comment, **kwargs) -> None:
    if instance.is_shown_or_was_shown:
        invalidate()


# A reply changes the post's page when it is published, edited while published, or withdrawn.
@receiver(post_save, sender=TeamReply, dispatch_uid="blog_team_reply_saved")
def _refresh_after_reply(sender, instance: TeamReply, raw=False, **kwargs) -> None:
    if not raw and instance.is_shown_or_was_shown:
        invalidate()
    instance._status_in_db = instance.status


@receiver(post_delete, sender=TeamReply, dispatch_uid="blog_team_reply_deleted")
def _refresh_after_reply_deletion(sender, instance: TeamReply, **kwargs) -> None:
    if instance.is_shown_or_was_shown:
        invalidate()
