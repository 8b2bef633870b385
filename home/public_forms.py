"""What protects a public form served from shared caches: comments, barometer votes, contact messages.

A page in the page cache or a CDN is the same for every visitor, so it cannot hold Django's
per-visitor CSRF token. Instead each form carries a signed token naming the form (its scope: a
post's id, "contact"…) and when it was rendered; the POST must come from the site itself
(`ops.security.is_same_origin`); rate limits count sends per address and per token (`limited`);
and a honeypot field, hidden from people, catches bots (`PublicFormMixin.is_spam`). The token holds
nothing about the visitor: treat it as public.
"""

import hashlib
import time
import unicodedata
from dataclasses import dataclass

from django_ratelimit.core import is_ratelimited

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from home.language import normalize
from ops.cache import is_cacheable_request

# A person needs a few seconds to fill in a form; a bot posts at once.
MIN_SECONDS_TO_WRITE = 3
# Past a day, the page was left open: ask for a fresh send rather than trust an old token.
MAX_FORM_AGE = 24 * 60 * 60
# The comment form's salt, kept so that tokens already in cached pages stay valid.
TOKEN_SALT = "blog.comment-form"  # noqa: S105 - a signing salt, not a password


def text_fingerprint(text: str) -> str:
    """What two sends of the same text share, whatever their case, accents, spacing and punctuation
    (and invisible characters such as zero-width spaces): a hash of the text's words. Forms refuse a
    text whose fingerprint was sent recently (a comment on the same post, a contact message)."""
    visible = "".join(ch for ch in text or "" if unicodedata.category(ch) != "Cf")
    words = normalize(visible) or " ".join(visible.casefold().split())  # no words at all: the symbols
    return hashlib.sha256(words.encode("utf-8", "surrogatepass")).hexdigest()


def issue_form_token(scope: int | str | None, shared: bool = True) -> str:
    """A signed record of which form was shown, when, and whether that rendering may be shared.

    A shared rendering (an anonymous GET) may be served to anyone for as long as the caches keep it,
    so its time says when the page was rendered, not when this visitor saw it; only a rendering for
    one visitor (a form shown again after an error, a visitor with a session) says when they got it.
    """
    return signing.dumps([scope, int(time.time()), int(shared)], salt=TOKEN_SALT)


def is_shared_rendering(request) -> bool:
    """Whether this rendering may be stored and served to other visitors (page cache, CDN):
    an anonymous GET that is not a preview."""
    return is_cacheable_request(request) and not getattr(request, "is_preview", False)


@dataclass(frozen=True)
class FormToken:
    issued: int  # when the form was rendered (Unix time)
    shared: bool  # the rendering may have been served to many visitors from a cache


def read_form_token(token: str, scope: int | str | None) -> FormToken | None:
    """The token of this form, or None if it is forged, garbled or another form's.

    Tokens issued before the shared flag existed ([scope, time]) count as shared.
    """
    try:
        shown_on, issued, *rest = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if shown_on != scope or not isinstance(issued, int) or len(rest) > 1:
        return None
    return FormToken(issued=issued, shared=bool(rest[0]) if rest else True)


def limited(request, group: str, key: str, rate: str) -> bool:
    """Count this POST against a django-ratelimit rate (kept in the cache) and say if it is over."""
    return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)


class PublicFormMixin(forms.Form):
    """The honeypot and the token check, for a form whose page may come from a shared cache.

    Pass `scope=` (what `issue_form_token` was given when the form was rendered). Render `website`
    inside `<div class="hp" aria-hidden="true">` and `started` as the hidden token.
    """

    # The honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, scope: int | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self):
        cleaned_data = super().clean()
        token = read_form_token(cleaned_data.get("started") or "", self.scope)
        if token is None:
            self.add_error(None, _("We could not check this form. Please send it again."))
            return cleaned_data
        age = time.time() - token.issued
        if age > MAX_FORM_AGE:
            self.add_error(None, _("This form was open for too long. Please check what you wrote and send it again."))
        elif age < MIN_SECONDS_TO_WRITE and not token.shared:
            # Only a form rendered for this visitor says when they got it; a cached page's time says
            # when the cache filled, so the check would mean nothing there.
            self.add_error(None, _("That was very fast. Please check what you wrote, then send it again."))
        return cleaned_data

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled in: no person sees that field."""
        return bool(self.cleaned_data.get("website"))
