"""Blocks of the blog body: the site's shared blocks, questions and answers included."""

from home.blocks import BaseStreamBlock, FAQBlock


class BlogStreamBlock(BaseStreamBlock):
    """The site's body blocks, plus questions and answers."""

    faq = FAQBlock()
