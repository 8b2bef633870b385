"""Public comments on blog posts, held for moderation."""

from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        permissions = [("moderate_comment", _("Can moderate public comments"))]
        indexes = [models.Index(fields=["post", "status"])]

    def __str__(self) -> str:
        return Truncator(f"{self.name}: {self.body}").chars(60)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
