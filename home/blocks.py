"""StreamField blocks shared by every page type (like bakerydemo's base/blocks.py)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class HeadingBlock(blocks.CharBlock):
    """A second-level heading inside a page body."""

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        preview_value = "Comment porter plainte"


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: information or warning."""

    kind = blocks.ChoiceBlock(choices=[("info", _("Information")), ("warning", _("Warning"))], default="info")
    text = blocks.TextBlock()

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
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>Un ordre professionnel protège le public.</p>",
    )
    callout = CalloutBlock()
