"""StreamField blocks shared by every page type (like bakerydemo's base/blocks.py)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.models import Page

from home.public import public_among, public_pages


class HeadingBlock(blocks.CharBlock):
    """A second-level heading inside a page body."""

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        preview_value = "Comment porter plainte"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: information or warning."""

    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning"))], default="info", label=_("Kind")
    )
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        label = _("Callout")
        preview_value = {"kind": "info", "text": "Cette page donne de l'information générale."}


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every body field offers."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "ol", "ul", "link"],
        label=_("Paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Un ordre professionnel protège le public.</p>",
    )
    callout = CalloutBlock()


class StepBlock(blocks.StructBlock):
    """One step of a procedure: who acts, what happens, the legal delay and the possible outcomes."""

    title = blocks.CharBlock(label=_("Step"))
    actor = blocks.CharBlock(label=_("Who acts"), required=False)
    description = blocks.TextBlock(label=_("What happens"), required=False)
    delay = blocks.CharBlock(label=_("Delay"), required=False, help_text=_("With the article of law when known."))
    outcomes = blocks.TextBlock(label=_("Possible outcomes"), required=False)

    class Meta:
        icon = "form"
        label = _("Step")


class StepsBlock(blocks.StructBlock):
    """An ordered procedure, shown as a numbered list of steps."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=1, label=_("Steps"))

    class Meta:
        icon = "list-ol"
        template = "blocks/steps_block.html"
        label = _("Steps")
        preview_value = {
            "title": "Demander une enquête",
            "steps": [
                {
                    "title": "Vous écrivez au syndic",
                    "actor": "Vous",
                    "description": "Décrivez les faits, les dates et joignez vos documents.",
                    "delay": "",
                    "outcomes": "",
                },
                {
                    "title": "Le syndic décide",
                    "actor": "Le syndic",
                    "description": "Il enquête, puis décide s'il porte plainte.",
                    "delay": "90 jours pour vous informer du progrès (art. 123)",
                    "outcomes": "Plainte au conseil de discipline, conciliation ou aucune plainte.",
                },
            ],
        }


class FlowBlock(blocks.StructBlock):
    """A flowchart-like sequence, always shown with its full text alternative."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    nodes = blocks.ListBlock(blocks.CharBlock(label=_("Stage")), min_num=2, label=_("Stages"))
    text_alternative = blocks.TextBlock(
        label=_("Text alternative"), help_text=_("The whole sequence in sentences, branches included.")
    )

    class Meta:
        icon = "redirect"
        template = "blocks/flow_block.html"
        label = _("Flow")
        preview_value = {
            "title": "Du syndic au conseil de discipline",
            "nodes": ["Demande d'enquête", "Décision du syndic", "Conseil de discipline"],
            "text_alternative": ("Vous demandez une enquête; le syndic décide s'il porte plainte devant le conseil."),
        }


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.TextBlock(label=_("Answer"))

    class Meta:
        icon = "help"
        label = _("Question")


class FAQBlock(blocks.StructBlock):
    """Questions and answers, each in a <details> element (and in the page's FAQPage JSON-LD)."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    items = blocks.ListBlock(FAQItemBlock(), min_num=1, label=_("Questions"))

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        label = _("Frequently asked questions")
        preview_value = {
            "title": "",
            "items": [
                {
                    "question": "Est-ce gratuit?",
                    "answer": "Oui. Demander une enquête au syndic ne coûte rien.",
                }
            ],
        }


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), help_text=_("French style in French: 12 %, 62 500 $."))
    label = blocks.CharBlock(label=_("What it counts"))
    period = blocks.CharBlock(
        label=_("Year or period"), required=False, help_text=_("When the figure was true: 2023, 2019-2020…")
    )
    source = blocks.CharBlock(label=_("Source"))
    source_url = blocks.URLBlock(
        label=_("Address of the source"), required=False, help_text=_("Only an address you have seen; else empty.")
    )

    class Meta:
        icon = "order"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    """A few figures, each with its source and year."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, label=_("Figures"))

    class Meta:
        icon = "order"
        template = "blocks/key_figures_block.html"
        label = _("Key figures")
        preview_value = {
            "title": "",
            "figures": [
                {
                    "value": "46",
                    "label": "ordres professionnels au Québec",
                    "period": "2015",
                    "source": "Office des professions du Québec",
                    "source_url": "",
                }
            ],
        }


class SpecificPageChooserBlock(blocks.PageChooserBlock):
    """A page chooser whose values are the specific pages (one query per page type, not per page)."""

    def bulk_to_python(self, values):
        pages = Page.objects.filter(pk__in=[pk for pk in values if pk]).specific().in_bulk()
        return [pages.get(pk) for pk in values]


class PageLinksBlock(blocks.StructBlock):
    """Links to chosen pages, shown as cards with their summary; subclasses restrict the page types."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    pages = blocks.ListBlock(SpecificPageChooserBlock(), label=_("Pages"))

    class Meta:
        icon = "link"
        template = "blocks/page_links_block.html"
        label = _("Links to pages")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["links"] = [
            {
                "title": page.title,
                "url": page.get_url(request=request),
                "summary": getattr(page, "summary", ""),
            }
            for page in public_among(value["pages"])
        ]
        return context

    def get_preview_value(self):
        """Up to three public pages of the allowed types, so that the preview shows real cards."""
        models = self.child_blocks["pages"].child_block.target_models
        return {"title": str(self.label), "pages": list(public_pages(Page.objects.type(*models)).specific()[:3])}


class DirectoryLinksBlock(PageLinksBlock):
    """Links to orders or professions chosen from the directory."""

    pages = blocks.ListBlock(
        SpecificPageChooserBlock(page_type=["professions.OrderPage", "professions.ProfessionPage"]),
        label=_("Orders or professions"),
    )

    class Meta:
        label = _("Links to the directory")
