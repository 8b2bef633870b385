"""What each external address the site shows answered when the link checker last fetched it."""

from datetime import datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

OK = "ok"
REDIRECTED = "redirected"
BROKEN = "broken"
REFUSED = "refused"
UNVERIFIED = "unverified"
MISSING = "missing"
STATE_CHOICES = [
    (BROKEN, pgettext_lazy("link state", "Broken")),
    (REFUSED, pgettext_lazy("link state", "Refused")),
    (REDIRECTED, pgettext_lazy("link state", "Redirected")),
    (UNVERIFIED, pgettext_lazy("link state", "Not verified")),
    (MISSING, pgettext_lazy("link state", "Missing")),
    (OK, pgettext_lazy("link state", "Works")),
]
# Why a check failed, when the answer was not simply an HTTP error status.
FAILURE_LABELS = {
    "connection": _("could not connect"),
    "certificate": _("certificate error"),
    "home_page": _("redirects to the site's home page"),
    "invalid": _("not a valid web address"),
}
# Why the checker stopped a check on purpose (links.fetch, links.checker): the link is "refused".
REFUSAL_LABELS = {
    "internal_address": _("leads to an internal address (private network, loopback…): only public ones are checked"),
    "timeout": _("no complete answer within the time limit"),
    "too_large": _("the answer's headers exceed the size the checker reads"),
    "redirects": _("too many redirects"),
    "not_allowed": _("host outside LINK_CHECK_ALLOWED_HOSTS"),
}
ERROR_LABELS = {**FAILURE_LABELS, **REFUSAL_LABELS}


def max_age() -> timedelta:
    """How recent a passed check must be for the public pages to show the address."""
    return timedelta(days=settings.LINK_CHECK_MAX_AGE_DAYS)


class CheckedLink(models.Model):
    """One external address and the answer to its latest check (`manage.py check_links`)."""

    url = models.URLField(_("address"), max_length=2000, unique=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("address reached after redirects"), max_length=2000, blank=True)
    redirected = models.BooleanField(_("redirected"), default=False)
    permanent_redirect = models.BooleanField(_("moved permanently"), default=False)
    error = models.CharField(_("error"), max_length=20, blank=True, choices=list(ERROR_LABELS.items()))
    passed = models.BooleanField(_("passed"), default=False)
    passed_at = models.DateTimeField(_("last passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("checked link")
        verbose_name_plural = _("checked links")
        constraints = [
            # A check that failed or was refused never counts as passed.
            models.CheckConstraint(condition=models.Q(passed=False) | models.Q(error=""), name="passed_has_no_error"),
        ]

    def __str__(self) -> str:
        return self.url

    def is_recent(self, now: datetime | None = None) -> bool:
        return self.checked_at is not None and self.checked_at >= (now or timezone.now()) - max_age()

    def is_shown(self, now: datetime | None = None) -> bool:
        """Whether public pages may show this address: its last check passed, recently enough."""
        return self.passed and self.is_recent(now)

    @property
    def refused(self) -> bool:
        """Whether the checker stopped the last check on purpose (see REFUSAL_LABELS)."""
        return self.error in REFUSAL_LABELS

    def state(self, now: datetime | None = None) -> str:
        if self.checked_at is None:
            return UNVERIFIED
        if self.refused:
            return REFUSED
        if not self.passed:
            return BROKEN
        if not self.is_recent(now):
            return UNVERIFIED
        return REDIRECTED if self.redirected else OK

    @property
    def new_address(self) -> str:
        """The address to offer editors instead: where a permanent redirect leads, if it works."""
        return self.final_url if self.passed and self.permanent_redirect and self.final_url != self.url else ""

    def answer(self) -> str:
        """What the address answered, in a few words for editors."""
        if self.checked_at is None:
            return str(_("not checked yet"))
        parts = []
        if self.status_code:
            try:
                parts.append(f"{self.status_code} {HTTPStatus(self.status_code).phrase}")
            except ValueError:
                parts.append(str(self.status_code))
        if self.error:
            parts.append(str(ERROR_LABELS.get(self.error, self.error)))
        return " — ".join(parts)


def state_of(link: CheckedLink | None, now: datetime | None = None) -> str:
    return link.state(now) if link is not None else UNVERIFIED
