"""The trust barometer's block: the CROP survey's question, answered in one click.

The block is the same for every visitor (the page around it stays in the page cache and CDNs): a
plain form POST to the barometer's own URL (the `barometer` app counts the vote and shows the
results), with the public forms' signed token and honeypot (home.public_forms). Its labels are
block fields, so they are translated like any other text of the body.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.public_forms import issue_form_token

# The scope of the form's signed token (home.public_forms): one form, whatever the page.
BAROMETER_TOKEN_SCOPE = "barometer"  # noqa: S105 - a form name, not a password


class BarometerBlock(blocks.StructBlock):
    """« Selon vous, les ordres professionnels existent surtout pour protéger… »: three one-click answers."""

    title = blocks.CharBlock(label=_("Title"), default="Et vous, qu'en pensez-vous?")
    intro = blocks.TextBlock(label=_("Introduction"), required=False, help_text=_("One or two sentences."))
    question = blocks.CharBlock(
        label=_("Question"), default="Selon vous, les ordres professionnels existent surtout pour protéger…"
    )
    answer_public = blocks.CharBlock(label=_("Answer: the public"), default="le public")
    answer_members = blocks.CharBlock(label=_("Answer: their members"), default="leurs membres")
    answer_both = blocks.CharBlock(label=_("Answer: both"), default="les deux")

    class Meta:
        icon = "tasks"
        template = "blocks/barometer_block.html"
        label = _("Trust barometer")
        help_text = _(
            "Asks the CROP survey's question again; after voting, visitors see the site's answers beside "
            "the survey's (2012–2015). Editors see the results in Reports → Trust barometer."
        )
        preview_value = {
            "title": "Et vous, qu'en pensez-vous?",
            "intro": "",
            "question": "Selon vous, les ordres professionnels existent surtout pour protéger…",
            "answer_public": "le public",
            "answer_members": "leurs membres",
            "answer_both": "les deux",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        context["page_id"] = getattr(page, "pk", None) or ""
        context["answers"] = [
            ("public", value["answer_public"]),
            ("members", value["answer_members"]),
            ("both", value["answer_both"]),
        ]
        # Always a shared token: a vote is one click, so the "too fast" check of forms rendered for
        # one visitor would only refuse people who know what they think.
        context["token"] = issue_form_token(BAROMETER_TOKEN_SCOPE, shared=True)
        return context
