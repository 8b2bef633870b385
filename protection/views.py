"""Your deadline: the result of the « Quand ai-je reçu la décision? » form, and its calendar file.

Both are built from the query string alone and never stored (`no-store`): the received date is
personal, and the answer changes with today's date. The pages that carry the form (explainers,
guide answers, search answers) stay cacheable: the form itself is the same for everyone.
"""

import datetime
import re
import uuid

from icalendar import Alarm, Calendar, Event

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from home.language import active_language
from home.public import public_pages
from professions.models import OrderPage
from protection import deadlines
from protection.models import ExplainerPage

SLUG = re.compile(r"[a-z0-9-]{1,120}")
UID_NAMESPACE = uuid.UUID("0b7e7d52-6a3c-4f7e-9f0e-3c1d8c1f5a21")


def _order(key: str, request) -> dict | None:
    page = public_pages(OrderPage.objects.filter(key=key)).defer_streamfields().first() if key else None
    return {"key": page.key, "title": page.title, "url": page.get_url(request)} if page else None


def _explainer(key: str, request) -> dict | None:
    page = public_pages(ExplainerPage.objects.filter(key=key)).defer_streamfields().first()
    return {"title": page.title, "url": page.get_url(request)} if page else None


def deadline_context(request) -> tuple[dict, int]:
    """The result page's context and HTTP status: 200 for any date we could read, 400 otherwise."""
    recourse = request.GET.get("recourse", "")[:20]
    order_key = request.GET.get("order", "")
    # Keys are slugs; anything else (NUL bytes included, which PostgreSQL refuses) names no order.
    order_key = order_key if SLUG.fullmatch(order_key) else ""
    text = request.GET.get("received", "")[:40]
    if recourse not in deadlines.recourses():
        return {"problem": "unknown", "heading": _("We do not know this deadline")}, 400
    delay = deadlines.delay_for(recourse, order_key)
    order = _order(order_key, request)
    context = {
        "recourse": recourse,
        "order": order,
        "explainer": _explainer(deadlines.recourses()[recourse].explainer, request),
        "form": deadlines.form_context(recourse, order=order_key if delay else "", received=text),
    }
    if delay is None:
        context.update(problem="unknown", heading=_("We do not know this deadline"))
        return context, 400
    received = deadlines.parse_received(text)
    if received is None:
        context.update(problem="invalid", heading=_("We could not read this date"), entered=text)
        return context, 400
    language = active_language()
    outcome = deadlines.assess(received, delay, timezone.localdate())
    headings = {
        "open": _("Your last day: %(date)s"),
        "today": _("Today is your last day: %(date)s"),
        "expired": _("The deadline has passed"),
        "future": _("This date is in the future"),
    }
    last_day = deadlines.long_date(outcome.last_day, language) if outcome.last_day else ""
    context.update(
        delay=delay,
        outcome=outcome,
        heading=headings[outcome.status] % {"date": last_day},
        event=deadlines.EVENTS[recourse],
        what=deadlines.WHAT[recourse],
        to_whom=deadlines.TO_WHOM[recourse],
        received_text=deadlines.long_date(received, language),
        last_day_text=last_day,
        weekday=dateformat.format(outcome.last_day, "l") if outcome.last_day else "",
        calendar_url=f"{reverse('deadline_calendar')}?{request.GET.urlencode()}" if outcome.can_remind else "",
    )
    return context, 200


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def deadline(request):
    """The last day for the date given, what to send and to whom (a message instead for a bad date)."""
    context, status = deadline_context(request)
    return _private(render(request, "protection/deadline.html", context, status=status))


@require_GET
def deadline_calendar(request):
    """The last day as an all-day event with a reminder a week before (.ics); the page's message otherwise."""
    context, status = deadline_context(request)
    outcome = context.get("outcome")
    if status != 200 or not outcome.can_remind:
        return _private(render(request, "protection/deadline.html", context, status=400))
    response = HttpResponse(calendar_file(context, request), content_type="text/calendar; charset=utf-8")
    name = _("deadline")
    response["Content-Disposition"] = f'attachment; filename="{name}-{outcome.last_day.isoformat()}.ics"'
    return _private(response)


def calendar_file(context: dict, request) -> bytes:
    """An iCalendar file (RFC 5545) with the last day and a reminder REMINDER_DAYS before."""
    outcome, delay = context["outcome"], context["delay"]
    lines = [
        f"{_('What to send')}: {context['what']}",
        f"{_('To whom')}: {context['to_whom']}" + (f" ({context['order']['title']})" if context["order"] else ""),
        _("Counted from the day after %(date)s: %(days)s days (%(basis)s).")
        % {"date": context["received_text"], "days": delay.days, "basis": delay.basis},
    ]
    if context["explainer"]:
        lines.append(request.build_absolute_uri(context["explainer"]["url"]))
    summary = str(context["event"])
    if context["order"]:
        summary = f"{summary} — {context['order']['title']}"
    event = Event()
    event.add("uid", f"{uuid.uuid5(UID_NAMESPACE, f'{delay.recourse}|{delay.order}|{outcome.received}')}@ordre")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", outcome.last_day)
    event.add("dtend", outcome.last_day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", "\n".join(str(line) for line in lines))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", datetime.timedelta(days=-deadlines.REMINDER_DAYS))
    alarm.add("description", _("In a week: %(event)s") % {"event": summary})
    event.add_component(alarm)
    calendar = Calendar()
    calendar.add("prodid", "-//Ordre de protéger//Deadline//FR")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()
