"""The search form: cleans what people type before it reaches the search backend."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

# A story of a few sentences. The boxes' maxlength says the same; a longer text is refused, never cut.
MAX_QUERY_LENGTH = 1000


def clean_query_text(text: str) -> str:
    """Drop control and format characters (NUL, RTL marks…) and collapse white space."""
    kept = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())


def too_long(text: str) -> bool:
    return len(text) > MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)

    def clean_q(self) -> str:
        text = clean_query_text(self.cleaned_data.get("q") or "")
        if too_long(text):
            raise forms.ValidationError(
                _(
                    "Your text has %(length)s characters; the box takes up to %(limit)s. Shorten it a little "
                    "(the main facts are enough) and search again."
                ),
                params={"length": len(text), "limit": MAX_QUERY_LENGTH},
                code="too_long",
            )
        return text
