"""Your deadline: a legal delay (review, appeal, fee conciliation) turned into a last day.

The delays come from data/deadlines.json (facts from the project's checked data set). The rule
for counting lives here and only here (`last_day`), and the result page says it in words:

- the explainers say "30 days after receiving the decision" (review), "within 30 days of service
  of the decision" (appeal, Code des professions, art. 164) and "N days" set by each order's
  regulation (fee conciliation). Day 1 is the day after the decision (or bill) arrived, so the
  last day is that date plus N days;
- no source we hold (explainers, mechanisms.json, orders.json) says that a deadline ending on a
  Saturday, a Sunday or a holiday moves to the next working day, so the last day is never
  moved. The page says when it falls on a weekend and advises sending before.

Nothing is stored: the form is a plain GET, the result page and the calendar file are built
from the query string and marked `no-store`.
"""

import dataclasses
import datetime
import json
import re
from functools import cache
from pathlib import Path

from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from home.language import active_language, localized, sort_key
from home.public import public_pages
from ops.cache import cached_fragment
from professions.models import OrderPage

DATA_FILE = Path(__file__).resolve().parent / "data" / "deadlines.json"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
REMINDER_DAYS = 7

QUESTIONS = {
    "review": _("When did you receive the decision?"),
    "appeal": _("When did you receive the decision?"),
    "fees": _("When did you receive the bill?"),
}
HELP = {
    "review": _("The day the syndic's decision not to file a complaint reached you."),
    "appeal": _("The day the disciplinary council's decision was served on you (officially delivered)."),
    "fees": _("The day the professional's bill reached you."),
}
WHAT = {
    "review": _("A written request for review (it is free)."),
    "appeal": _("A notice of appeal."),
    "fees": _("A request for conciliation of the bill."),
}
TO_WHOM = {
    "review": _("The secretary of the order."),
    "appeal": _("The office (greffe) of the Court of Québec."),
    "fees": _("The syndic or the conciliator named by the order."),
}
EVENTS = {
    "review": _("Last day to ask for a review of the syndic's decision"),
    "appeal": _("Last day to appeal to the Professions Tribunal"),
    "fees": _("Last day to ask for conciliation of the bill"),
}


@dataclasses.dataclass(frozen=True)
class Delay:
    """A legal delay: how many days, for which recourse, at which order (fee conciliation only)."""

    recourse: str
    days: int
    explainer: str
    guide_step: str
    basis_fr: str
    basis_en: str
    order: str = ""

    @property
    def basis(self) -> str:
        return localized(self, "basis")


@cache
def _delays() -> dict[tuple[str, str], Delay]:
    """Every known delay by (recourse, order key); the order key is empty where one delay fits every order."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    found = {}
    for recourse in data["recourses"]:
        common = {"recourse": recourse["key"], "explainer": recourse["explainer"], "guide_step": recourse["guide_step"]}
        for item in recourse.get("orders") or [recourse]:
            delay = Delay(
                **common,
                days=int(item["days"]),
                basis_fr=item["basis_fr"],
                basis_en=item["basis_en"],
                order=item.get("order", ""),
            )
            found[(delay.recourse, delay.order)] = delay
    return found


def recourses() -> dict[str, Delay]:
    """One delay per recourse (the first), to find a recourse by its guide step or explainer."""
    found = {}
    for delay in _delays().values():
        found.setdefault(delay.recourse, delay)
    return found


def recourse_for(*, step: str = "", explainer: str = "") -> str:
    """The recourse a guide step or an explainer is about, or "" if it has no legal delay."""
    for key, delay in recourses().items():
        if (step and delay.guide_step == step) or (explainer and delay.explainer == explainer):
            return key
    return ""


def order_bound(recourse: str) -> bool:
    """Whether each order sets its own delay for this recourse (fee conciliation)."""
    return (recourse, "") not in _delays()


def delay_for(recourse: str, order: str = "") -> Delay | None:
    """The delay of this recourse (at this order, where each order sets its own), or None if unknown."""
    if order_bound(recourse):
        return _delays().get((recourse, order)) if order else None
    return _delays().get((recourse, ""))


def orders_with_delays(recourse: str) -> list[str]:
    """The keys of the orders whose own delay for this recourse is known."""
    return [delay.order for delay in _delays().values() if delay.recourse == recourse and delay.order]


def parse_received(text: str) -> datetime.date | None:
    """A calendar date written YYYY-MM-DD (what <input type=date> sends), else None."""
    if not ISO_DATE.fullmatch(text or ""):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def last_day(received: datetime.date, days: int) -> datetime.date:
    """The last day of a delay of `days` days counted from the day after `received` (see the module's rule)."""
    return received + datetime.timedelta(days=days)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What the result page says: "open" (days left), "today", "expired" or "future"."""

    status: str
    received: datetime.date
    last_day: datetime.date | None = None
    days_left: int = 0

    @property
    def on_weekend(self) -> bool:
        return self.last_day is not None and self.last_day.weekday() >= 5

    @property
    def can_remind(self) -> bool:
        return self.status in ("open", "today")


def assess(received: datetime.date, delay: Delay, today: datetime.date) -> Outcome:
    """Where `today` stands in the delay that started when the decision (or bill) was received."""
    if received > today:
        return Outcome("future", received)
    end = last_day(received, delay.days)
    left = (end - today).days
    status = "expired" if left < 0 else "today" if left == 0 else "open"
    return Outcome(status, received, end, left)


def long_date(day: datetime.date, language: str) -> str:
    """A date as the content guide writes it: « lundi 1er février 2027 », "Monday, February 1, 2027"."""
    if language.startswith("fr"):
        ordinal = "1er" if day.day == 1 else str(day.day)
        return f"{dateformat.format(day, 'l')} {ordinal} {dateformat.format(day, 'F Y')}"
    return dateformat.format(day, "l, F j, Y")


def _order_choices(recourse: str) -> list[dict]:
    keys = orders_with_delays(recourse)
    titles = dict(public_pages(OrderPage.objects.filter(key__in=keys)).values_list("key", "title"))
    choices = [
        {"key": key, "title": titles[key], "days": delay_for(recourse, key).days} for key in keys if key in titles
    ]
    return sorted(choices, key=lambda item: sort_key(item["title"]))


def form_context(recourse: str, *, order: str = "", received: str = "") -> dict | None:
    """What components/deadline_form.html needs for this recourse (and order), or None without a known delay."""
    delay = delay_for(recourse, order)
    choices = []
    if delay is None and order_bound(recourse) and not order:
        # An explainer names no order: choose among the orders whose own delay is known.
        choices = cached_fragment(
            "deadline-order-choices", None, recourse, active_language(), build=lambda: _order_choices(recourse)
        )
        if not choices:
            return None
    elif delay is None:
        return None
    return {
        "action": reverse("deadline"),
        "recourse": recourse,
        "order": order if delay else "",
        "delay": delay,
        "choices": choices,
        "question": QUESTIONS[recourse],
        "help": HELP[recourse],
        "received": received,
    }
