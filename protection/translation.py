from modeltranslation.translator import TranslationOptions, register

from protection.bodies import OtherBody, UnregulatedOccupation
from protection.models import ExplainerIndexPage, ExplainerPage, GuidePage


@register(ExplainerIndexPage)
class ExplainerIndexPageTR(TranslationOptions):
    fields = ("intro", "body")


@register(ExplainerPage)
class ExplainerPageTR(TranslationOptions):
    fields = ("summary", "intro", "body")


@register(GuidePage)
class GuidePageTR(TranslationOptions):
    # `steps` is deliberately not translated: both languages share one tree (see GuidePage).
    fields = ("intro",)


@register(OtherBody)
class OtherBodyTR(TranslationOptions):
    fields = ("name", "gloss", "handles", "occupations", "words")


@register(UnregulatedOccupation)
class UnregulatedOccupationTR(TranslationOptions):
    fields = ("name", "summary", "words")
