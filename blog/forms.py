"""The public comment form; its spam defences are the public forms' (home.public_forms)."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from blog.models.comments import Comment
from home.public_forms import PublicFormMixin

MAX_LINKS = 2
LINK_PATTERN = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)


class CommentForm(PublicFormMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["name", "body", "notify_on_reply", "email"]
        labels = {
            "name": _("Your name"),
            "email": _("Your email (only if you ticked the box)"),
            "body": _("Your comment"),
            "notify_on_reply": _("Tell me when the team replies"),
        }
        help_texts = {
            "name": _("Published with your comment."),
            "email": _("Never published, never shared. Leave it empty if you did not tick the box."),
            "body": _("Plain text, at most 3,000 characters and two links. Comments are read before they appear."),
        }
        error_messages = {
            "name": {"required": _("Please enter your name.")},
            "email": {"invalid": _("Please enter a valid email address, like nom@exemple.ca.")},
            "body": {
                "required": _("Please write your comment."),
                "max_length": _("Please shorten your comment to 3,000 characters or fewer."),
            },
        }

    def __init__(self, *args, post_id: int | None = None, **kwargs):
        super().__init__(*args, scope=post_id, **kwargs)
        self.fields["body"].widget.attrs.update({"rows": 6, "maxlength": 3000})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["notify_on_reply"].help_text = _(
            "We send one email with a link to the reply, then delete your address. "
            "If nobody replies, it is deleted after %(days)s days."
        ) % {"days": settings.BLOG_COMMENT_EMAIL_DAYS}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("notify_on_reply"):
            # Without the box ticked the address has no use: it is not kept, even if typed.
            cleaned["email"] = ""
        elif not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                forms.ValidationError(
                    _("Please enter your email address so that we can tell you, or untick the box."),
                    code="required_for_notice",
                ),
            )
        return cleaned

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if len(LINK_PATTERN.findall(body)) > MAX_LINKS:
            raise forms.ValidationError(
                _("Please include no more than two links: comments with many links look like spam."),
                code="too_many_links",
            )
        return body
