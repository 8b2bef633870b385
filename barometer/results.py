"""What a visitor sees after voting: the site's answers beside the CROP survey's (2012–2015).

The survey's figures are copied from the project's data set into data/crop_survey.json (only the
2015 wave's number of respondents is known). The site's own series counts every vote since the
first one, with its period and its number of answers.
"""

import json
from functools import cache
from pathlib import Path

from django.db.models import Max, Min, Sum
from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from barometer.models import Answer, VoteCount
from home.campaign_blocks import chart_cells

SURVEY_FILE = Path(__file__).resolve().parent / "data" / "crop_survey.json"
ANSWERS = [choice.value for choice in Answer]


@cache
def survey() -> dict:
    """The CROP survey's waves, read once."""
    return json.loads(SURVEY_FILE.read_text(encoding="utf-8"))


def default_labels() -> dict[str, str]:
    """The question and answers as the survey asked them, for a results page not tied to a page."""
    return {
        "question": _("In your view, professional orders exist mainly to protect…"),
        **{answer.value: str(answer.label) for answer in Answer},
    }


def block_labels(page) -> dict[str, str]:
    """The question and answers as the page's (first) barometer block words them; defaults otherwise."""
    labels = default_labels()
    for block in getattr(page, "body", None) or []:
        if block.block_type == "barometer":
            value = block.value
            labels.update(
                question=value["question"],
                public=value["answer_public"],
                members=value["answer_members"],
                both=value["answer_both"],
            )
            break
    return labels


def site_totals() -> dict:
    """Every vote counted so far, by answer, with the first and last month (one query)."""
    rows = VoteCount.objects.values("answer").annotate(votes=Sum("count"), first=Min("month"), last=Max("month"))
    counts = dict.fromkeys(ANSWERS, 0)
    months = []
    for row in rows:
        if row["answer"] in counts:
            counts[row["answer"]] += row["votes"] or 0
            months += [row["first"], row["last"]]
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "first": min(months, default=None),
        "last": max(months, default=None),
    }


def shares(counts: dict[str, int]) -> list[float]:
    """Each answer's share of the votes, in %, to one decimal."""
    total = sum(counts.values())
    return [round(100 * counts[answer] / total, 1) if total else 0 for answer in ANSWERS]


def month_text(month) -> str:
    return dateformat.format(month, "F Y")


def period_text(first, last) -> str:
    if first is None:
        return "—"
    if first == last:
        return month_text(first)
    return _("%(first)s to %(last)s") % {"first": month_text(first), "last": month_text(last)}


def respondents_text(wave: dict) -> str:
    if not wave.get("respondents"):
        return _("not published")
    number = number_format(wave["respondents"], force_grouping=True)
    return _("about %(number)s") % {"number": number} if wave.get("respondents_approximate") else number


def results_context(labels: dict[str, str]) -> dict:
    """The chart's rows (each CROP wave, then this site) and its data table, in the active language."""
    series = [capfirst(labels[answer]) for answer in ANSWERS]
    rows = []
    for wave in survey()["waves"]:
        values = [wave[answer] for answer in ANSWERS]
        rows.append(
            {
                "label": _("CROP %(year)s") % {"year": wave["year"]},
                "period": str(wave["year"]),
                "answers": respondents_text(wave),
                "cells": chart_cells(values, series, 100, "%", True),
            }
        )
    totals = site_totals()
    rows.append(
        {
            "label": _("This site"),
            "period": period_text(totals["first"], totals["last"]),
            "answers": number_format(totals["total"], force_grouping=True),
            "cells": chart_cells(shares(totals["counts"]), series, 100, "%", True) if totals["total"] else [],
            "is_site": True,
        }
    )
    return {"series": series, "rows": rows, "total": totals["total"], "question": labels["question"]}
