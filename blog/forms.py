"""The public comment form and its spam defences (no third-party service involved)."""

import re
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from blog.models.comments import Comment

MAX_LINKS = 2
# A person needs a few seconds to write a comment; a bot posts at once.
MIN_SECONDS_TO_WRITE = 3
# Past a day, the page was left open: ask for a fresh send rather than trust an old token.
MAX_FORM_AGE = 24 * 60 * 60
TOKEN_SALT = "blog.comment-form"  # noqa: S105 - a signing salt, not a password
LINK_PATTERN = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)


def issue_form_token(post_id: int | None) -> str:
    """A signed record of which post's form was shown, and when.

    It holds nothing about the visitor, so the post page can be cached and shared (page cache, CDN);
    the POST is also checked to come from the site itself (ops.security.is_same_origin).
    """
    return signing.dumps([post_id, int(time.time())], salt=TOKEN_SALT)


def read_form_token(token: str, post_id: int | None) -> int | None:
    """When the form of this post was shown, or None if the token is forged, garbled or another post's."""
    try:
        shown_on, issued = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if shown_on != post_id or not isinstance(issued, int):
        return None
    return issued


class CommentForm(forms.ModelForm):
    # The honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

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
        super().__init__(*args, **kwargs)
        self.post_id = post_id
        self.fields["body"].widget.attrs.update({"rows": 6, "maxlength": 3000})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if len(LINK_PATTERN.findall(body)) > MAX_LINKS:
            raise forms.ValidationError(
                _("Please include no more than two links: comments with many links look like spam."),
                code="too_many_links",
            )
        return body

    def clean(self):
        cleaned_data = super().clean()
        issued = read_form_token(cleaned_data.get("started") or "", self.post_id)
        if issued is None:
            self.add_error(None, _("We could not check this form. Please send your comment again."))
            return cleaned_data
        age = time.time() - issued
        if age > MAX_FORM_AGE:
            self.add_error(None, _("This form was open for too long. Please check your comment and send it again."))
        elif age < MIN_SECONDS_TO_WRITE:
            self.add_error(None, _("That was very fast. Please check your comment, then send it again."))
        return cleaned_data

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled in: no person sees that field."""
        return bool(self.cleaned_data.get("website"))
