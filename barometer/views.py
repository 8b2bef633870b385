"""The vote (a POST from the block), the results page it leads to, and the open data of monthly totals.

What protects the vote (README, "The trust barometer"): the POST must come from the site (Origin or
Referer), carry the block's signed token (home.public_forms), and leave the honeypot empty (a bot
that fills it is answered as if counted, and counted as nothing); each address may vote
BAROMETER_VOTE_RATE times (counted in the cache under a keyed hash of the address that changes
every day, never the address itself). Nothing is stored about the voter: no cookie, no session.
"""

import csv
import datetime
import hashlib
import hmac

from django_ratelimit.core import _get_ip

from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from barometer import results
from barometer.forms import VoteForm, page_with_barometer
from barometer.models import Answer, VoteCount, count_vote
from home.public_forms import limited
from ops.security import is_same_origin


def address_key(group: str, request) -> str:
    """The rate limit's key: an HMAC of the visitor's address under a key that changes every day.

    The address is read as django-ratelimit reads it (RATELIMIT_IP_META_KEY, IPv6 by /64). The key
    is derived from SECRET_KEY and today's date, so yesterday's keys cannot be linked to today's,
    and nobody without SECRET_KEY can tell which address a key stands for. django-ratelimit keeps
    only a digest of it in the cache, for one window of BAROMETER_VOTE_RATE (an hour by default).
    """
    day = timezone.localdate().isoformat()
    secret = hashlib.sha256(f"barometer.address:{day}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, _get_ip(request).encode(), hashlib.sha256).hexdigest()


def results_url(page_id: int | None = None, answer: str = "") -> str:
    query = {key: value for key, value in (("page", page_id), ("answer", answer)) if value}
    return reverse("barometer") + (f"?{urlencode(query)}" if query else "")


def render_results(request, *, page=None, message: str = "", status: int = 200) -> HttpResponse:
    """The results page: an optional message (thanks or what went wrong), the chart, its table."""
    labels = results.block_labels(page) if page is not None else results.default_labels()
    context = {
        "results": results.results_context(labels),
        "message": message,
        "is_error": status >= 400,
        "back_url": page.get_url(request=request) if page is not None else "",
        "back_title": page.title if page is not None else "",
    }
    response = render(request, "barometer/results.html", context, status=status)
    patch_cache_control(response, no_cache=True, max_age=0)  # the counts change with every vote
    return response


@csrf_exempt  # checked below: same origin and the block's signed token, as the comment form
@require_POST
def vote(request):
    """Count one vote and show the results (303 to the results page); refused votes get a message."""
    form = VoteForm(request.POST)
    over_limit = limited(request, "barometer.vote", address_key, settings.BAROMETER_VOTE_RATE)
    if not is_same_origin(request):
        message = _(
            "We could not check that this vote was sent from this site. Please go back to the page and vote again."
        )
        return render_results(request, message=message, status=403)
    if not form.is_valid():
        errors = [*form.errors.get("answer", []), *form.errors.get("page", []), *form.non_field_errors()]
        return render_results(request, page=form.cleaned_data.get("page"), message=errors[0], status=400)
    page, answer = form.cleaned_data["page"], form.cleaned_data["answer"]
    if form.is_spam:
        return HttpResponseRedirect(results_url(page.pk), status=303)
    if over_limit:
        message = _(
            "Thank you, but several votes were already sent from your connection in the last hour. "
            "Here are the results; you can vote again later."
        )
        return render_results(request, page=page, message=message, status=429)
    count_vote(answer, page.pk, translation.get_language() or settings.LANGUAGE_CODE)
    response = HttpResponseRedirect(results_url(page.pk, answer))
    response.status_code = 303
    return response


@require_safe
def results_page(request):
    """The results, reached after a vote (?page=<id>&answer=<key>) or directly; unknown values are ignored."""
    page = page_with_barometer(request.GET.get("page", "")[:40])
    answer = request.GET.get("answer", "")
    answer = answer if answer in Answer.values else ""
    labels = results.block_labels(page) if page is not None else results.default_labels()
    message = _("Thank you! Your answer, “%(answer)s”, is counted.") % {"answer": labels[answer]} if answer else ""
    return render_results(request, page=page, message=message)


# --- Open data --------------------------------------------------------------------------------


def monthly_totals() -> list[dict]:
    """Votes by month and answer, every page and language together (no page, no address)."""
    months: dict[datetime.date, dict] = {}
    rows = VoteCount.objects.values("month", "answer").annotate(votes=Sum("count")).order_by("month")
    for row in rows:
        month = months.setdefault(
            row["month"], {"month": row["month"].strftime("%Y-%m"), **dict.fromkeys(Answer.values, 0)}
        )
        if row["answer"] in Answer.values:
            month[row["answer"]] += row["votes"] or 0
    for month in months.values():
        month["total"] = sum(month[answer] for answer in Answer.values)
    return list(months.values())


@require_safe
def barometer_json(request):
    survey = results.survey()
    payload = {
        "question_fr": "Selon vous, les ordres professionnels existent surtout pour protéger…",
        "question_en": "In your view, professional orders exist mainly to protect…",
        "answers": {
            "public": ["le public", "the public"],
            "members": ["leurs membres", "their members"],
            "both": ["les deux", "both"],
        },
        "note": "Votes are counted, not people: one address may vote a few times an hour. Months are Québec time.",
        "months": monthly_totals(),
        "crop_survey": {
            "pollster": survey["pollster"],
            "commissioned_by": survey["commissioned_by"],
            "source": survey["deck"],
            "waves_pct": survey["waves"],
        },
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
def barometer_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="barometer.csv"'
    writer = csv.writer(response)
    writer.writerow(["month", *Answer.values, "total"])
    for month in monthly_totals():
        writer.writerow([month["month"], *(month[answer] for answer in Answer.values), month["total"]])
    return response
