from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.reports import PopularSearchesReportView, UnansweredSearchesReportView

report_urls = (
    [
        path("popular/", PopularSearchesReportView.as_view(), name="popular"),
        path("popular/results/", PopularSearchesReportView.as_view(results_only=True), name="popular_results"),
        path("unanswered/", UnansweredSearchesReportView.as_view(), name="unanswered"),
        path(
            "unanswered/results/",
            UnansweredSearchesReportView.as_view(results_only=True),
            name="unanswered_results",
        ),
    ],
    "search_reports",
)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [path("reports/search/", include(report_urls))]


@hooks.register("register_reports_menu_item")
def register_popular_searches_menu_item():
    return MenuItem(_("Popular searches"), reverse("search_reports:popular"), icon_name="search", order=1310)


@hooks.register("register_reports_menu_item")
def register_unanswered_searches_menu_item():
    return MenuItem(
        _("Questions without an answer"), reverse("search_reports:unanswered"), icon_name="warning", order=1320
    )
