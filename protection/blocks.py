"""Blocks of explainer pages: the shared body blocks, plus links to other explainers."""

from django.core.validators import validate_slug
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.barometer_block import BarometerBlock
from home.blocks import (
    BaseStreamBlock,
    DirectoryLinksBlock,
    FAQBlock,
    FlowBlock,
    KeyFiguresBlock,
    PageLinksBlock,
    SpecificPageChooserBlock,
    StepsBlock,
)
from home.language import localized


class ExplainerLinksBlock(PageLinksBlock):
    """Links to other explainer pages (“See also”)."""

    pages = blocks.ListBlock(SpecificPageChooserBlock(page_type="protection.ExplainerPage"), label=_("Explainers"))

    class Meta:
        label = _("Links to explainers")


class ExplainerStreamBlock(BaseStreamBlock):
    """Everything an explainer body offers: text, procedures, FAQ, figures and links."""

    steps = StepsBlock()
    flow = FlowBlock()
    faq = FAQBlock()
    key_figures = KeyFiguresBlock()
    links = ExplainerLinksBlock()
    directory_links = DirectoryLinksBlock()
    barometer = BarometerBlock()


class GuideOptionBlock(blocks.StructBlock):
    label_fr = blocks.CharBlock(label=_("Answer (French)"))
    label_en = blocks.CharBlock(label=_("Answer (English)"))
    next = blocks.CharBlock(label=_("Next step"), validators=[validate_slug], help_text=_("The key of a step."))

    class Meta:
        icon = "arrow-right"
        label = _("Answer")


class GuideStepBlock(blocks.StructBlock):
    """Base of the guide's steps: a stable key (used in the URL) and text in both languages."""

    key = blocks.CharBlock(
        label=_("Key"),
        validators=[validate_slug],
        help_text=_("Stable identifier shown in the URL (?step=…)."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["step"] = {name: localized(value, name) for name in ("text", "help", "title")}
        context["options"] = [localized(option, "label") for option in value.get("options", [])]
        return context


class GuideQuestionBlock(GuideStepBlock):
    """A question of the guide; each answer leads to another step."""

    text_fr = blocks.CharBlock(label=_("Question (French)"))
    text_en = blocks.CharBlock(label=_("Question (English)"))
    help_fr = blocks.TextBlock(label=_("Help (French)"), required=False)
    help_en = blocks.TextBlock(label=_("Help (English)"), required=False)
    options = blocks.ListBlock(GuideOptionBlock(), min_num=2, label=_("Answers"))

    class Meta:
        icon = "help"
        template = "blocks/guide_step_block.html"
        label = _("Question")
        preview_value = {
            "key": "q1",
            "text_fr": "Quelle est votre situation?",
            "text_en": "What is your situation?",
            "help_fr": "",
            "help_en": "",
            "options": [
                {
                    "label_fr": "Un problème avec un professionnel",
                    "label_en": "A problem with a professional",
                },
                {
                    "label_fr": "Je veux vérifier un professionnel",
                    "label_en": "I want to check a professional",
                },
            ],
        }


class GuideResultBlock(GuideStepBlock):
    """An answer of the guide: what to do, the explainers to read, and whether to look up the order."""

    title_fr = blocks.CharBlock(label=_("What to do (French)"))
    title_en = blocks.CharBlock(label=_("What to do (English)"))
    text_fr = blocks.TextBlock(label=_("Explanation (French)"))
    text_en = blocks.TextBlock(label=_("Explanation (English)"))
    pages = blocks.ListBlock(
        SpecificPageChooserBlock(page_type="protection.ExplainerPage"),
        min_num=1,
        label=_("Explainers to read"),
    )
    find_order = blocks.BooleanBlock(
        label=_("Link to the directory"),
        required=False,
        help_text=_("Invite the reader to find the professional's order and profession."),
    )
    contact_syndic = blocks.BooleanBlock(
        label=_("Link to the order's syndic"),
        required=False,
        help_text=_("Once the reader picks the profession, show how to reach the syndic of its order."),
    )
    short_fr = blocks.CharBlock(
        label=_("Short name of the situation (French)"),
        required=False,
        help_text=_("Shown in search answers and suggestions, e.g. « Contester une facture »."),
    )
    short_en = blocks.CharBlock(label=_("Short name of the situation (English)"), required=False)
    words_fr = blocks.TextBlock(
        label=_("Words people use (French)"),
        required=False,
        help_text=_(
            "Comma-separated words or phrases that lead a typed question to this answer, e.g. "
            "« facture, honoraires, trop cher ». Accents, capitals, plurals and word order do not matter."
        ),
    )
    words_en = blocks.TextBlock(label=_("Words people use (English)"), required=False)

    class Meta:
        icon = "tick"
        template = "blocks/guide_step_block.html"
        label = _("Result")
        preview_value = {
            "key": "r_syndic",
            "title_fr": "Demandez une enquête au syndic de l'ordre",
            "title_en": "Ask the order's syndic for an inquiry",
            "text_fr": "C'est gratuit et toute personne peut le faire.",
            "text_en": "It is free and anyone can do it.",
            "pages": [],
            "find_order": True,
            "contact_syndic": True,
            "short_fr": "Porter plainte",
            "short_en": "File a complaint",
            "words_fr": "plainte, faute, négligence",
            "words_en": "complaint, misconduct, negligence",
        }


class GuideStreamBlock(blocks.StreamBlock):
    """The guide's decision tree: the first step is the start; answers point to steps by key."""

    question = GuideQuestionBlock()
    result = GuideResultBlock()

    def clean(self, value):
        value = super().clean(value)
        keys = [child.value["key"] for child in value]
        errors = []
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            errors.append(_("Each step needs its own key; repeated: %(keys)s") % {"keys": ", ".join(duplicates)})
        unknown = sorted(
            {
                option["next"]
                for child in value
                if child.block_type == "question"
                for option in child.value["options"]
                if option["next"] not in keys
            }
        )
        if unknown:
            errors.append(_("These answers lead to no step: %(keys)s") % {"keys": ", ".join(unknown)})
        if value and value[0].block_type != "question":
            errors.append(_("The first step must be a question."))
        if errors:
            raise blocks.StreamBlockValidationError(non_block_errors=ErrorList(errors))
        return value
