"""Blocks of the campaign home page and of content pages with figures: question box, the campaign's
questions, charts and "follow the campaign"."""

import math

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from home.barometer_block import BarometerBlock
from home.blocks import BaseStreamBlock, KeyFiguresBlock
from home.language import active_language
from home.public import public_among, public_pages
from ops.cache import cached_fragment


class QuestionBoxBlock(blocks.StructBlock):
    """A question box front and centre: a plain GET form to the search page, with example questions."""

    label = blocks.CharBlock(label=_("Label of the box"), default="Un problème avec un professionnel? Décrivez-le.")
    hint = blocks.CharBlock(label=_("Hint"), required=False)
    examples = blocks.ListBlock(
        blocks.CharBlock(label=_("Example question")),
        label=_("Example questions"),
        help_text=_("Each one links to the search page with this question."),
        max_num=4,
    )

    class Meta:
        icon = "search"
        template = "blocks/question_box_block.html"
        label = _("Question box")
        preview_value = {
            "label": "Un problème avec un professionnel? Décrivez-le.",
            "hint": "",
            "examples": ["plainte contre mon dentiste", "vérifier un ingénieur"],
        }


class QuestionLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"))
    text = blocks.CharBlock(label=_("Link text"), required=False, help_text=_("The page's title when empty."))

    class Meta:
        icon = "link"
        label = _("Link")


class CampaignQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.TextBlock(label=_("Short answer"))
    links = blocks.ListBlock(QuestionLinkBlock(), label=_("Pages that answer it"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Question")


class CampaignQuestionsBlock(blocks.StructBlock):
    """The campaign's questions, each with a short answer and links to the pages that answer it."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    questions = blocks.ListBlock(CampaignQuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/campaign_questions_block.html"
        label = _("Campaign questions")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        public = public_among(link["page"] for item in value["questions"] for link in item["links"])
        context["questions"] = [
            {
                "question": item["question"],
                "answer": item["answer"],
                "links": [
                    {"text": link["text"] or link["page"].title, "url": link["page"].get_url(request=request)}
                    for link in item["links"]
                    if link["page"] in public
                ],
            }
            for item in value["questions"]
        ]
        return context

    def get_preview_value(self):
        page = public_pages(apps.get_model("wagtailcore", "Page").objects.filter(depth__gt=2)).first()
        return {
            "title": "",
            "questions": [
                {
                    "question": "Qu'est-ce qu'un ordre professionnel?",
                    "answer": "Un organisme qui protège le public en encadrant une profession.",
                    "links": [{"page": page, "text": ""}] if page else [],
                }
            ],
        }


class ChartRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), help_text=_("A year, a category…"))
    values = blocks.ListBlock(blocks.FloatBlock(label=_("Value")), label=_("Values"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Row")


class ChartBlock(blocks.StructBlock):
    """Horizontal bars drawn in CSS (no script, no chart library), always with their data table.

    Each row (a year, a category) has one value per series: side by side, one bar per value on one
    scale; as parts of a whole (three answers of a survey), one stacked bar per row. The table
    under the bars is the text equivalent, visible to all.
    """

    title = blocks.CharBlock(label=_("Title"))
    kind = blocks.ChoiceBlock(
        label=_("Bars"),
        choices=[
            ("grouped", _("Side by side: one bar per value")),
            ("stacked", _("Parts of a whole: one bar per row")),
        ],
        default="grouped",
    )
    description = blocks.TextBlock(label=_("What it shows"), required=False, help_text=_("One or two sentences."))
    series = blocks.ListBlock(
        blocks.CharBlock(label=_("Series")),
        label=_("Series"),
        min_num=1,
        max_num=4,
        help_text=_("The name of each value of a row, e.g. the answers of a survey."),
    )
    row_heading = blocks.CharBlock(label=_("Heading of the rows' labels"), help_text=_("E.g. Year, Answer."))
    rows = blocks.ListBlock(ChartRowBlock(), label=_("Rows"), min_num=1)
    unit = blocks.CharBlock(label=_("Unit"), required=False, help_text=_("Written after each value: %, $…"))
    source = blocks.CharBlock(label=_("Source"))
    year = blocks.CharBlock(label=_("Year or period"))

    class Meta:
        icon = "table"
        template = "blocks/chart_block.html"
        label = _("Chart")
        preview_value = {
            "title": "Qui les ordres protègent-ils?",
            "kind": "stacked",
            "description": "",
            "series": ["Le public", "Leurs membres", "Les deux"],
            "row_heading": "Année",
            "rows": [{"label": "2013", "values": [12, 39, 49]}],
            "unit": "%",
            "source": "Sondage CROP pour le Conseil interprofessionnel du Québec",
            "year": "2013",
        }

    def clean(self, value):
        value = super().clean(value)
        wanted = len(value["series"])
        if any(
            len(row["values"]) != wanted or any(v is None or v < 0 or not math.isfinite(v) for v in row["values"])
            for row in value["rows"]
        ):
            message = _("Each row needs one value, zero or more, per series (%(count)s).") % {"count": wanted}
            raise StructBlockValidationError(block_errors={"rows": ValidationError(message)})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        series = list(value["series"])
        rows = [(row["label"], list(row["values"])) for row in value["rows"]]
        stacked = value["kind"] == "stacked" and len(series) > 1
        # One scale for the whole chart: the largest row total (stacked) or the largest value.
        largest = max((sum(values) if stacked else max(values, default=0) for _label, values in rows), default=0) or 1
        context["stacked"] = stacked
        context["series"] = series
        context["rows"] = [
            {"label": label, "cells": chart_cells(values, series, largest, value["unit"], stacked)}
            for label, values in rows
        ]
        return context


def chart_cells(values: list[float], series: list[str], largest: float, unit: str, stacked: bool) -> list[dict]:
    """Each value of a row: its text, and where its bar starts and ends on a 0-100 scale."""
    cells, start = [], 0.0
    for index, number in enumerate(values):
        width = 100 * number / largest
        cells.append(
            {
                "value": value_text(number, unit),
                "x": f"{start:.2f}",
                "width": f"{width:.2f}",
                "series": series[index] if index < len(series) else "",
                "index": index + 1,
            }
        )
        start += width if stacked else 0
    return cells


def value_text(value: float, unit: str = "") -> str:
    """A value with its unit as each language writes it: « 12,5 % » in French, "12.5%" in English."""
    number = number_format(int(value) if float(value).is_integer() else value, use_l10n=True)
    if not unit:
        return number
    french = active_language().startswith("fr")
    return f"{number}\u00a0{unit}" if french or unit != "%" else f"{number}{unit}"


class FollowCampaignBlock(blocks.StructBlock):
    """The campaign's social accounts (when set) and its latest blog posts with their dates."""

    title = blocks.CharBlock(label=_("Title"), default="Suivez la campagne")
    post_count = blocks.IntegerBlock(label=_("Latest posts shown"), default=3, min_value=0, max_value=6)

    class Meta:
        icon = "group"
        template = "blocks/follow_campaign_block.html"
        label = _("Follow the campaign")
        help_text = _(
            "Shows the latest blog posts, and the social media accounts set in Settings → Social media "
            "accounts (nothing is shown for an account left empty)."
        )
        preview_value = {"title": "Suivez la campagne", "post_count": 3}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        count = value["post_count"] or 0
        context["posts"] = cached_fragment("latest_posts", request, count, build=lambda: latest_posts(request, count))
        return context


def latest_posts(request, count: int) -> list[dict]:
    """Title, URL and date of the newest public blog posts, in one query."""
    if not count:
        return []
    post_model = apps.get_model("blog", "BlogPostPage")
    posts = public_pages(post_model.objects.defer_streamfields()).order_by("-date", "-pk")[:count]
    return [{"title": post.title, "url": post.get_url(request=request), "date": post.date} for post in posts]


class HomeStreamBlock(BaseStreamBlock):
    """The campaign home's body: the question box first (shown in the banner), then the sections."""

    question_box = QuestionBoxBlock()
    campaign_questions = CampaignQuestionsBlock()
    chart = ChartBlock()
    key_figures = KeyFiguresBlock()
    follow = FollowCampaignBlock()
    barometer = BarometerBlock()


class StandardStreamBlock(BaseStreamBlock):
    """A content page's body: text, plus figures and charts (each with its source and year)."""

    key_figures = KeyFiguresBlock()
    chart = ChartBlock()
