"""Admin reports for editors: popular searches and searches that found nothing."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import Query

from search.models import UnansweredQuery


class PopularSearchesReportView(ReportView):
    """Wagtail's search terms (Query daily hits), open to every editor, not only superusers."""

    page_title = _("Popular searches")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-_hits"
    index_url_name = "search_reports:popular"
    index_results_url_name = "search_reports:popular_results"
    columns = [
        Column("query_string", label=_("search terms"), sort_key="query_string"),
        NumberColumn("_hits", label=_("searches"), sort_key="_hits"),
    ]
    list_export = ["query_string", "_hits"]

    def get_base_queryset(self):
        return Query.get_most_popular()


class UnansweredSearchesReportView(ReportView):
    """What people asked without getting an answer: candidates for the guide's words, synonyms or promotions."""

    model = UnansweredQuery
    page_title = _("Questions without an answer")
    header_icon = "warning"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-hits"
    index_url_name = "search_reports:unanswered"
    index_results_url_name = "search_reports:unanswered_results"
    columns = [
        Column("query_string", label=_("search terms"), sort_key="query_string"),
        Column("language", label=_("language"), sort_key="language"),
        NumberColumn("hits", label=_("searches"), sort_key="hits"),
        BooleanColumn("has_results", label=_("results found"), sort_key="has_results"),
        DateColumn("last_searched_at", label=_("last searched"), sort_key="last_searched_at"),
    ]
    list_export = ["query_string", "language", "hits", "has_results", "last_searched_at"]
