"""The search form: cleans what people type before it reaches the search backend."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


def clean_query_text(text: str) -> str:
    """Drop control and format characters (NUL, RTL marks…) and collapse white space."""
    kept = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:MAX_QUERY_LENGTH]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)

    def clean_q(self) -> str:
        return clean_query_text(self.cleaned_data.get("q") or "")
