from modeltranslation.translator import TranslationOptions, register

from professions.models import OrderIndexPage, OrderPage, ProfessionIndexPage, ProfessionPage, Sector


@register(Sector)
class SectorTR(TranslationOptions):
    fields = ("name",)


@register(OrderIndexPage)
class OrderIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(OrderPage)
class OrderPageTR(TranslationOptions):
    fields = ("gloss", "sort_name", "summary", "description", "body")


@register(ProfessionPage)
class ProfessionPageTR(TranslationOptions):
    fields = ("summary", "description", "synonyms")


@register(ProfessionIndexPage)
class ProfessionIndexPageTR(TranslationOptions):
    fields = ("intro",)
