"""The public contact form; its spam defences are the public forms' (home.public_forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contact.models import ContactMessage
from home.public_forms import PublicFormMixin


class ContactForm(PublicFormMixin, forms.ModelForm):
    # The token's scope: one contact form per site.
    SCOPE = "contact"

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "message", "copy_requested"]
        labels = {
            "name": _("Your name (optional)"),
            "email": _("Your email (optional)"),
            "message": _("Your message"),
            "copy_requested": _("Send me a copy of my message by email"),
        }
        help_texts = {
            "email": _("Only if you want an answer or a copy. Never published."),
            "message": _("Plain text, at most 5,000 characters."),
            "copy_requested": _("The copy goes to the email address above."),
        }
        error_messages = {
            "email": {"invalid": _("Please enter a valid email address, like nom@exemple.ca.")},
            "message": {
                "required": _("Please write your message."),
                "max_length": _("Please shorten your message to 5,000 characters or fewer."),
            },
            "name": {"max_length": _("Please shorten your name to 80 characters or fewer.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, scope=self.SCOPE, **kwargs)
        self.fields["message"].widget.attrs.update({"rows": 8, "maxlength": 5000})
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "maxlength": 80})
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Please write your message."), code="required")
        return message

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("copy_requested") and not cleaned_data.get("email") and "email" not in self.errors:
            self.add_error("email", _("To receive a copy, please enter your email address."))
        return cleaned_data
