"""The vote form: one answer, the page it was cast on, and the public forms' token and honeypot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from barometer.models import Answer
from home.barometer_block import BAROMETER_TOKEN_SCOPE
from home.public import is_public
from home.public_forms import PublicFormMixin

MAX_PAGE_ID_LENGTH = 18


def page_with_barometer(value: str) -> Page | None:
    """The live, public page with this id whose body (as this language shows it) holds the barometer."""
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_PAGE_ID_LENGTH:
        return None
    page = Page.objects.live().filter(pk=int(value)).specific().first()
    if page is None or not is_public(page):
        return None
    body = getattr(page, "body", None)
    raw = getattr(body, "raw_data", None) or []
    return page if any(isinstance(item, dict) and item.get("type") == "barometer" for item in raw) else None


class VoteForm(PublicFormMixin):
    answer = forms.ChoiceField(
        choices=Answer.choices,
        error_messages={
            "required": _("Please choose one of the three answers."),
            "invalid_choice": _("We do not know this answer: please choose one of the three answers."),
        },
    )
    page = forms.CharField(
        required=False,
        max_length=MAX_PAGE_ID_LENGTH,
        error_messages={"max_length": _("We do not know the page this vote comes from.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, scope=BAROMETER_TOKEN_SCOPE, **kwargs)

    def clean_page(self) -> Page:
        page = page_with_barometer(self.cleaned_data.get("page") or "")
        if page is None:
            raise forms.ValidationError(
                _("We do not know the page this vote comes from. Please go back to the page and vote again.")
            )
        return page
