"""Admin views: the « Liens à vérifier » report and the one-click "use the new address"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from links import report
from links.models import STATE_CHOICES, CheckedLink
from links.sources import link_fields, source_models
from links.updates import DRAFT, PUBLISHED, UNCHANGED, use_new_address

link_policy = ModelPermissionPolicy(CheckedLink)


class LinksReportView(ReportView):
    """Links to check, worst first, each with a link to the field that fixes it."""

    page_title = gettext_lazy("Links to check")
    header_icon = "link-external"
    results_template_name = "links/report_results.html"
    index_url_name = "links_report"
    index_results_url_name = "links_report_results"
    permission_policy = link_policy
    permission_required = "view"
    paginate_by = 100
    list_export = ["state_label", "title", "field_label", "url", "answer", "checked_at", "final_url"]
    export_headings = {
        "state_label": gettext_lazy("State"),
        "title": gettext_lazy("Page"),
        "field_label": gettext_lazy("Field"),
        "url": gettext_lazy("Address"),
        "answer": gettext_lazy("Answer"),
        "checked_at": gettext_lazy("Last checked"),
        "final_url": gettext_lazy("Leads to"),
    }

    @property
    def selected_state(self) -> str:
        state = self.request.GET.get("state", "")
        return state if state in report.STATE_ORDER else ""

    def get_queryset(self):
        self.all_issues = report.issues()
        if self.selected_state:
            return [issue for issue in self.all_issues if issue.state == self.selected_state]
        return self.all_issues

    def decorate_paginated_queryset(self, object_list):
        finder = AdminURLFinder(self.request.user)
        rows = list(object_list)
        others = {}
        for issue in rows:
            if not issubclass(issue.model, Page):
                others.setdefault(issue.model, set()).add(issue.object_id)
        instances = {
            (model, obj.pk): obj for model, ids in others.items() for obj in model._default_manager.filter(pk__in=ids)
        }
        for issue in rows:
            if issubclass(issue.model, Page):
                issue.edit_url = report.page_edit_url(issue)
            else:
                obj = instances.get((issue.model, issue.object_id))
                issue.edit_url = finder.get_edit_url(obj) if obj is not None else None
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = report.counts(self.all_issues)
        labels = dict(STATE_CHOICES)
        context["state_filters"] = [
            {"state": "", "label": _("All"), "count": len(self.all_issues), "active": not self.selected_state},
            *(
                {"state": state, "label": labels[state], "count": counts[state], "active": state == self.selected_state}
                for state in report.STATE_ORDER
            ),
        ]
        context["report_url"] = reverse(self.index_url_name)
        context["max_age_days"] = settings.LINK_CHECK_MAX_AGE_DAYS
        return context


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 18 else 0


@require_POST
def use_new_address_view(request):
    """Replace a permanently redirected address by where it now leads, in one field of one page or snippet."""
    if not link_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    link = get_object_or_404(CheckedLink, pk=_posted_id(request, "link"))
    model = get_object_or_404(ContentType, pk=_posted_id(request, "content_type")).model_class()
    fields = {field.name: field for field in link_fields(model)} if model in source_models() else {}
    field = fields.get(request.POST.get("field", ""))
    if field is None:
        messages.error(request, _("This link cannot be updated from here: edit the page."))
        return redirect("links_report")
    obj = get_object_or_404(model._default_manager.all(), pk=_posted_id(request, "object"))
    if isinstance(obj, Page):
        obj = obj.specific
        if not obj.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
    elif not request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
        raise PermissionDenied
    if not link.new_address:
        messages.error(request, _("This address has not moved permanently to a working page: nothing was changed."))
        return redirect("links_report")
    result = use_new_address(obj, field, link.url, link.new_address, request.user)
    if result == UNCHANGED:
        messages.warning(request, _("The latest version no longer holds this address: nothing was changed."))
    elif result == PUBLISHED:
        messages.success(request, _("The new address is published."))
    elif result == DRAFT:
        messages.success(request, _("The new address is saved in a draft: submit the page for moderation."))
    else:
        messages.success(request, _("The new address is saved."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("links_report")
