"""Blocks of the blog body: the site's shared blocks plus a question-and-answer list."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.blocks import BaseStreamBlock


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"))
    answer = blocks.TextBlock(label=_("Answer"))


class FAQBlock(blocks.StructBlock):
    """Questions with their answers, each folded in a <details> element (no JavaScript)."""

    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"))

    class Meta:
        icon = "help"
        template = "blocks/faq_block.html"
        label = _("Questions and answers")
        preview_value = {
            "items": [
                {
                    "question": "Un ordre professionnel défend-il ses membres?",
                    "answer": "Non. Sa mission est de protéger le public.",
                }
            ]
        }


class BlogStreamBlock(BaseStreamBlock):
    """The site's body blocks, plus questions and answers."""

    faq = FAQBlock()
