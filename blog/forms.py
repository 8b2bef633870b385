"""The public comment form; its spam defences are the public forms' (home.public_forms)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from blog.models.comments import Comment
from home.public_forms import PublicFormMixin

MAX_LINKS = 2
LINK_PATTERN = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)


class CommentForm(PublicFormMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        labels = {"name": _("Your name"), "email": _("Your email"), "body": _("Your comment")}
        help_texts = {
            "name": _("Published with your comment."),
            "email": _("Never published. Used only if a moderator needs to reach you."),
            "body": _("Plain text, at most 3,000 characters and two links. Comments are read before they appear."),
        }
        error_messages = {
            "name": {"required": _("Please enter your name.")},
            "email": {
                "required": _("Please enter your email address."),
                "invalid": _("Please enter a valid email address, like nom@exemple.ca."),
            },
            "body": {
                "required": _("Please write your comment."),
                "max_length": _("Please shorten your comment to 3,000 characters or fewer."),
            },
        }

    def __init__(self, *args, post_id: int | None = None, **kwargs):
        super().__init__(*args, scope=post_id, **kwargs)
        self.post_id = post_id
        self.fields["body"].widget.attrs.update({"rows": 6, "maxlength": 3000})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if len(LINK_PATTERN.findall(body)) > MAX_LINKS:
            raise forms.ValidationError(
                _("Please include no more than two links: comments with many links look like spam."),
                code="too_many_links",
            )
        return body
