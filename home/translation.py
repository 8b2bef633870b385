from modeltranslation.translator import TranslationOptions, register

from home.models import HomePage, StandardPage


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro", "body")


@register(StandardPage)
class StandardPageTR(TranslationOptions):
    fields = ("intro", "body")
