"""Editors' report: the barometer's votes by month, by page (where they were cast), or both, with CSV/XLSX."""

import django_filters

from django.conf import settings
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from barometer.models import Answer, VoteCount
from home.campaign_blocks import value_text
from home.language import active_language

vote_policy = ModelPermissionPolicy(VoteCount)
GROUPINGS = {"month": ["month"], "page": ["page"], "month_page": ["month", "page"]}


class VoteFilterSet(WagtailFilterSet):
    group = django_filters.ChoiceFilter(
        label=_("Show the votes"),
        choices=[("month", _("by month")), ("page", _("by page")), ("month_page", _("by month and page"))],
        method="keep",
        empty_label=None,
    )
    language = django_filters.ChoiceFilter(label=_("Language of the page"), choices=settings.LANGUAGES)

    class Meta:
        model = VoteCount
        fields = ["group", "language"]

    def keep(self, queryset, name, value):
        return queryset  # the report groups the rows itself (BarometerReportView.grouping)


class PageColumn(Column):
    """The page's title, linked to its editor; "deleted page" when it no longer exists."""

    cell_template_name = "barometer/page_cell.html"


class BarometerReportView(ReportView):
    """How many votes each answer got, by month and by the page where they were cast."""

    page_title = _("Trust barometer")
    header_icon = "tasks"
    index_url_name = "barometer_report"
    index_results_url_name = "barometer_report_results"
    filterset_class = VoteFilterSet
    permission_policy = vote_policy
    permission_required = "view"
    paginate_by = 100
    export_headings = {
        "month_label": _("Month"),
        "page_title": _("Page"),
        "page_id": _("Page id"),
        "public": _("the public"),
        "members": _("their members"),
        "both": _("both"),
        "total": _("Votes"),
        "public_share": _("Share answering “the public”"),
    }

    @property
    def grouping(self) -> str:
        value = self.request.GET.get("group", "")
        return value if value in GROUPINGS else "month"

    @property
    def list_export(self) -> list[str]:
        keys = {"month": ["month_label"], "page": ["page_title", "page_id"]}
        fields = [name for part in GROUPINGS[self.grouping] for name in keys[part]]
        return [*fields, *Answer.values, "total", "public_share"]

    @property
    def columns(self) -> list[Column]:
        heads = {
            "month": [Column("month_label", label=_("Month"))],
            "page": [PageColumn("page_title", label=_("Page"))],
        }
        return [
            *(column for part in GROUPINGS[self.grouping] for column in heads[part]),
            NumberColumn("public", label=_("the public")),
            NumberColumn("members", label=_("their members")),
            NumberColumn("both", label=_("both")),
            NumberColumn("total", label=_("Votes")),
            Column("public_share", label=_("Share answering “the public”")),
        ]

    def get_filtered_queryset(self):
        return self.get_queryset()  # filtered before grouping, in get_queryset

    def get_queryset(self):
        fields = GROUPINGS[self.grouping]
        queryset = self.filter_queryset(VoteCount.objects.all())
        sums = {answer: Sum("count", filter=Q(answer=answer), default=0) for answer in Answer.values}
        ordering = [f"-{field}" if field == "month" else field for field in fields]
        rows = list(queryset.values(*fields).annotate(total=Sum("count"), **sums).order_by(*ordering))
        titles = page_titles({row["page"] for row in rows if row.get("page")})
        for row in rows:
            if "month" in row:
                row["month_label"] = dateformat.format(row["month"], "F Y")
            if "page" in fields:
                row["page_id"] = row["page"] or ""
                row["page_title"] = titles.get(row["page"], str(_("Deleted page")))
                row["edit_url"] = (
                    reverse("wagtailadmin_pages:edit", args=[row["page"]]) if row["page"] in titles else ""
                )
            row["public_share"] = share_text(row["public"], row["total"])
        return rows


def page_titles(ids: set[int]) -> dict[int, str]:
    """Titles of the pages, in the admin's language (French when the English is empty), in one query."""
    language = active_language()
    rows = Page.objects.filter(pk__in=ids).values("pk", "title_fr", f"title_{language}")
    return {row["pk"]: row[f"title_{language}"] or row["title_fr"] for row in rows}


def share_text(part: int, total: int) -> str:
    return value_text(round(100 * part / total, 1), "%") if total else "—"
