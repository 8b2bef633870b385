"""An address field in the admin that says when its saved address was last checked and what it answered."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail.admin.panels import FieldPanel

from links.models import BROKEN, OK, REDIRECTED, REFUSED, CheckedLink, state_of


def check_note(url: str, *, public: bool = True) -> str:
    """One sentence for editors about the last check of url ("" when the field is empty)."""
    if not url:
        return ""
    link = CheckedLink.objects.filter(url=url).first()
    now = timezone.now()
    state = state_of(link, now)
    if link is None or link.checked_at is None:
        note = _("Not checked yet.")
    else:
        when = date_format(timezone.localtime(link.checked_at), "DATETIME_FORMAT")
        note = _("Last checked %(when)s: %(answer)s.") % {"when": when, "answer": link.answer()}
        if state == REDIRECTED and link.final_url:
            note += " " + _("It leads to %(url)s.") % {"url": link.final_url}
            if link.new_address:
                note += " " + _("Moved permanently: “Links to check” offers to use the new address.")
    if public and state not in (OK, REDIRECTED):
        if state in (BROKEN, REFUSED):
            note += " " + _("Visitors see the order's website instead until a check passes.")
        else:
            note += " " + _("Visitors see the order's website instead until a recent check passes.")
    return note


class CheckedURLPanel(FieldPanel):
    """A URL field whose help text ends with the result of the saved address's last check."""

    def __init__(self, field_name, *, public=True, **kwargs):
        super().__init__(field_name, **kwargs)
        self.public = public

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "public": self.public}

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.bound_field is None or self.instance is None:
                return
            note = check_note(getattr(self.instance, self.field_name, ""), public=self.panel.public)
            if note:
                self.help_text = f"{self.help_text} {note}".strip() if self.help_text else note
