"""The editors' worklist: broken, redirected and unverified links, and orders missing a deep link."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.panels import FieldPanel, get_edit_handler
from wagtail.models import Page

from links.models import (
    BROKEN,
    MISSING,
    OK,
    REDIRECTED,
    REFUSED,
    STATE_CHOICES,
    UNVERIFIED,
    CheckedLink,
    state_of,
)
from links.sources import LinkField, LinkUse, link_fields, link_uses
from ops.cache import shared_value

STATE_ORDER = [BROKEN, REFUSED, REDIRECTED, UNVERIFIED, MISSING]
# Deep links every order should have; an empty field is on the worklist.
EXPECTED_ORDER_LINKS = ("register_url", "syndic_url")


@dataclass
class Issue:
    """One line of the report."""

    state: str
    title: str
    model: type
    object_id: int
    field: LinkField
    url: str = ""
    link: CheckedLink | None = None

    @property
    def state_label(self) -> str:
        return str(dict(STATE_CHOICES)[self.state])

    @property
    def checked_at(self) -> datetime | None:
        return self.link.checked_at if self.link else None

    @property
    def answer(self) -> str:
        if self.link is not None:
            return self.link.answer()
        return str(_("not checked yet")) if self.url else ""

    @property
    def final_url(self) -> str:
        return self.link.final_url if self.link and self.link.redirected else ""

    @property
    def new_address(self) -> str:
        return self.link.new_address if self.link else ""

    @property
    def field_label(self) -> str:
        label = self.field.label
        return f"{label} ({self.field.language.upper()})" if self.field.language else label

    @property
    def content_type_id(self) -> int:
        return ContentType.objects.get_for_model(self.model).pk


def _walk(panel, prefix: str, found: dict[str, str]) -> None:
    if isinstance(panel, FieldPanel):
        found.setdefault(panel.field_name, f"{prefix}-wrapper")
    for child, identifier in zip(getattr(panel, "children", []), getattr(panel, "child_identifiers", []), strict=False):
        _walk(child, f"{prefix}-child-{identifier}", found)


@cache
def field_anchors(model: type) -> dict[str, str]:
    """Field name → the id of its panel in the admin's edit form (Wagtail's panel prefixes)."""
    handler = model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)
    found: dict[str, str] = {}
    _walk(handler, "panel", found)
    return found


def page_edit_url(issue: Issue) -> str:
    anchor = field_anchors(issue.model).get(issue.field.name)
    url = reverse("wagtailadmin_pages:edit", args=[issue.object_id])
    return f"{url}#{anchor}" if anchor else url


def issues(now: datetime | None = None, uses: list[LinkUse] | None = None) -> list[Issue]:
    """Every link that is not known to work, then every order without a register or syndic address."""
    now = now or timezone.now()
    uses = link_uses() if uses is None else uses
    checks = {link.url: link for link in CheckedLink.objects.filter(url__in={use.url for use in uses})}
    found = []
    for use in uses:
        link = checks.get(use.url)
        state = state_of(link, now)
        if state != OK:
            found.append(Issue(state, use.title, use.model, use.object_id, use.field, use.url, link))
    found.extend(missing_order_links())
    found.sort(key=lambda issue: (STATE_ORDER.index(issue.state), issue.title.casefold(), issue.field.name))
    return found


def missing_order_links() -> list[Issue]:
    """Live orders whose register or syndic field is empty (one query)."""
    OrderPage = apps.get_model("professions", "OrderPage")
    fields = {field.name: field for field in link_fields(OrderPage)}
    found = []
    for row in OrderPage.objects.live().values("pk", "title_fr", *EXPECTED_ORDER_LINKS).order_by("path"):
        for name in EXPECTED_ORDER_LINKS:
            if not row[name]:
                found.append(Issue(MISSING, row["title_fr"], OrderPage, row["pk"], fields[name]))
    return found


def counts(found: list[Issue]) -> dict[str, int]:
    return {state: sum(1 for issue in found if issue.state == state) for state in STATE_ORDER}


def cached_counts() -> dict[str, int]:
    """counts(issues()) for the dashboard, rebuilt after any content change or new check (one query)."""
    latest = CheckedLink.objects.aggregate(latest=Max("checked_at"), rows=Count("pk"))
    stamp = f"{latest['latest'].timestamp() if latest['latest'] else 0}:{latest['rows']}"
    # Kept an hour at most (ops.cache), so links whose last check grows too old are counted too.
    return shared_value(f"links-counts:{stamp}", lambda: counts(issues()))
