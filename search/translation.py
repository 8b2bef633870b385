from modeltranslation.translator import TranslationOptions, register

from search.models import SearchSynonym


@register(SearchSynonym)
class SearchSynonymTR(TranslationOptions):
    fields = ("term", "expansions")
