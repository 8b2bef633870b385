from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from barometer.report import BarometerReportView, vote_policy


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("reports/barometer/", BarometerReportView.as_view(), name="barometer_report"),
        path(
            "reports/barometer/results/",
            BarometerReportView.as_view(results_only=True),
            name="barometer_report_results",
        ),
    ]


class BarometerMenuItem(MenuItem):
    def is_shown(self, request):
        return vote_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_barometer_menu_item():
    return BarometerMenuItem(_("Trust barometer"), reverse("barometer_report"), icon_name="tasks", order=1340)
