"""The public comment form and its spam defences (no third-party service involved)."""

import re
import time
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from blog.models.comments import Comment
from ops.cache import is_cacheable_request

MAX_LINKS = 2
# A person needs a few seconds to write a comment; a bot posts at once.
MIN_SECONDS_TO_WRITE = 3
# Past a day, the page was left open: ask for a fresh send rather than trust an old token.
MAX_FORM_AGE = 24 * 60 * 60
TOKEN_SALT = "blog.comment-form"  # noqa: S105 - a signing salt, not a password
LINK_PATTERN = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)


def issue_form_token(post_id: int | None, shared: bool = True) -> str:
    """A signed record of which post's form was shown, when, and whether that rendering may be shared.

    It holds nothing about the visitor, so the post page can be cached and shared (page cache, CDN):
    treat it as public. A shared rendering (an anonymous GET) may be served to anyone for as long as
    the caches keep it, so its time says when the page was rendered, not when this visitor saw it;
    only a rendering for one visitor (a form shown again after an error, a visitor with a session)
    says when the visitor got the form. The POST is also checked to come from the site itself
    (ops.security.is_same_origin), and blog.comments counts sends per token and refuses repeats.
    """
    return signing.dumps([post_id, int(time.time()), int(shared)], salt=TOKEN_SALT)


def is_shared_rendering(request) -> bool:
    """Whether this rendering of the post may be stored and served to other visitors (page cache, CDN):
    an anonymous GET that is not a preview."""
    return is_cacheable_request(request) and not getattr(request, "is_preview", False)


@dataclass(frozen=True)
class FormToken:
    issued: int  # when the form was rendered (Unix time)
    shared: bool  # the rendering may have been served to many visitors from a cache


def read_form_token(token: str, post_id: int | None) -> FormToken | None:
    """The token of this post's form, or None if it is forged, garbled or another post's.

    Tokens issued before the shared flag existed ([post, time]) count as shared.
    """
    try:
        shown_on, issued, *rest = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if shown_on != post_id or not isinstance(issued, int) or len(rest) > 1:
        return None
    return FormToken(issued=issued, shared=bool(rest[0]) if rest else True)


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
        token = read_form_token(cleaned_data.get("started") or "", self.post_id)
        if token is None:
            self.add_error(None, _("We could not check this form. Please send your comment again."))
            return cleaned_data
        age = time.time() - token.issued
        if age > MAX_FORM_AGE:
            self.add_error(None, _("This form was open for too long. Please check your comment and send it again."))
        elif age < MIN_SECONDS_TO_WRITE and not token.shared:
            # Only a form rendered for this visitor says when they got it; a cached page's time says
            # when the cache filled, so the check would mean nothing there.
            self.add_error(None, _("That was very fast. Please check your comment, then send it again."))
        return cleaned_data

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled in: no person sees that field."""
        return bool(self.cleaned_data.get("website"))
