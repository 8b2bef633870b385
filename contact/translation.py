from modeltranslation.translator import TranslationOptions, register

from contact.models import ContactPage


@register(ContactPage)
class ContactPageTR(TranslationOptions):
    # The address and phone are the same in both languages: values, not text.
    fields = ("intro", "thanks")
