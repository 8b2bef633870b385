"""The barometer's counts: votes are counted, not people, and nothing about the voter is stored."""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    """The three answers of the CROP survey's question, as stable keys (the wording is the block's)."""

    PUBLIC = "public", _("the public")
    MEMBERS = "members", _("their members")
    BOTH = "both", _("both")


class VoteCount(models.Model):
    """How many votes one answer got in one month, on one page, in one language.

    One row per (month, page, language, answer), incremented in the database (`count_vote`), so
    concurrent votes never overwrite each other. The page is where the vote was cast; when it is
    deleted its counts stay, without a page, in the monthly totals.
    """

    month = models.DateField(_("month"), help_text=_("The first day of the month of the votes."))
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices)
    count = models.PositiveIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("barometer count")
        verbose_name_plural = _("barometer counts")
        constraints = [
            models.UniqueConstraint(fields=["month", "page", "language", "answer"], name="barometer_one_count_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.answer}: {self.count}"


def month_of(moment: datetime.datetime | None = None) -> datetime.date:
    """The first day of the local month of `moment` (now by default)."""
    return timezone.localdate(moment).replace(day=1)


def count_vote(answer: str, page_id: int, language: str, month: datetime.date | None = None) -> None:
    """Add one vote, exact under concurrent votes.

    The UPDATE increments in the database (`count + 1`, never a value read before). When the row
    does not exist yet, two first votes may both try to create it: the unique constraint lets one
    through, and the other, refused, increments the row the first one created.
    """
    key = {"month": month or month_of(), "page_id": page_id, "language": language, "answer": answer}
    if VoteCount.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            VoteCount.objects.create(count=1, **key)
    except IntegrityError:
        VoteCount.objects.filter(**key).update(count=F("count") + 1)
