from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from links import report, views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("reports/links/", views.LinksReportView.as_view(), name="links_report"),
        path("reports/links/results/", views.LinksReportView.as_view(results_only=True), name="links_report_results"),
        path("reports/links/use-new-address/", views.use_new_address_view, name="links_use_new_address"),
    ]


class LinksMenuItem(MenuItem):
    def is_shown(self, request):
        return views.link_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_links_menu_item():
    return LinksMenuItem(_("Links to check"), reverse("links_report"), icon_name="link-external", order=1330)


class LinksPanel(Component):
    """Dashboard: how many links need an editor, by state, linking to the filtered report."""

    name = "links"
    order = 95
    template_name = "links/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        report_url = reverse("links_report")
        found = report.cached_counts()
        labels = dict(report.STATE_CHOICES)
        return {
            "total": sum(found.values()),
            "states": [
                {"label": labels[state], "count": found[state], "url": f"{report_url}?state={state}"}
                for state in report.STATE_ORDER
            ],
            "report_url": report_url,
        }


@hooks.register("construct_homepage_panels")
def add_links_panel(request, panels):
    if views.link_policy.user_has_permission(request.user, "view"):
        panels.append(LinksPanel())
