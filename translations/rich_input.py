"""The workspace's rich text input: Draftail, where a value it cannot read is a form error, not a 500."""

from draftjs_exporter.error import ExporterException

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.rich_text import get_rich_text_editor_widget

UNREADABLE = object()


class RichTextInputField(forms.CharField):
    """English rich text typed in Draftail; a tampered or truncated post is refused with a message."""

    default_error_messages = {
        "unreadable": gettext_lazy("This text could not be read (the editor sent something unexpected): type it again.")
    }

    def __init__(self, *, features: list[str] | None = None, **kwargs):
        widget = get_rich_text_editor_widget(features=features)
        read = widget.value_from_datadict

        def value_from_datadict(data, files, name):
            try:
                return read(data, files, name)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, ExporterException):
                return UNREADABLE

        widget.value_from_datadict = value_from_datadict
        super().__init__(widget=widget, required=False, **kwargs)

    def to_python(self, value):
        if value is UNREADABLE:
            raise forms.ValidationError(self.error_messages["unreadable"], code="unreadable")
        return super().to_python(value)

    def bound_data(self, data, initial):
        return initial if data is UNREADABLE else super().bound_data(data, initial)

    def has_changed(self, initial, data):
        return data is UNREADABLE or super().has_changed(initial, data)
