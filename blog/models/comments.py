"""Public comments on blog posts, held for moderation."""

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
    email = models.EmailField(_("email"), help_text=_("Never published."))
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
        permissions = [("moderate_comment", _("Can moderate public comments"))]
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
