"""Protecting the public: explainer pages under a hub, and the “Who do I contact?” guide."""

from collections import deque
from urllib.parse import urlencode

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.models import BilingualPreviewMixin, SlugRouteMixin, slug_routed
from protection.blocks import ExplainerStreamBlock, GuideStreamBlock, in_language


@slug_routed
class ExplainerIndexPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The hub “Protéger le public”: lists every explainer, in the order of the page tree."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ExplainerStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["protection.ExplainerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("explainers hub")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        own_url = self.get_url(request)
        context["explainers"] = [
            {"title": page.title, "summary": page.summary, "url": f"{own_url}{page.slug}/"}
            for page in ExplainerPage.objects.child_of(self).live().defer_streamfields()
        ]
        return context


@slug_routed
class ExplainerPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """One question of the campaign answered plainly: a recourse, a body, its steps and delays."""

    key = models.SlugField(
        unique=True, max_length=80, help_text=_("Stable identifier used by the data file.")
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences, shown in lists and links."))
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ExplainerStreamBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("key"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["protection.ExplainerIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("explainer")
        verbose_name_plural = _("explainers")

    def faq_structured_data(self) -> dict | None:
        """schema.org FAQPage built from the body's FAQ blocks, in the active language; None if none."""
        questions = [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": item["answer"]},
            }
            for block in self.body
            if block.block_type == "faq"
            for item in block.value["items"]
        ]
        if not questions:
            return None
        return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        guide = GuidePage.objects.live().defer_streamfields().first()
        context["guide_url"] = guide.get_url(request) if guide else ""
        context["structured_data"] = self.faq_structured_data()
        return context


@slug_routed
class GuidePage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The “Who do I contact?” guide: one question per screen, plain links, no JavaScript needed.

    The tree is one StreamField shared by both languages (each step holds its French and English
    text), so the two languages cannot branch differently and ?step=<key> means the same step in both.
    """

    intro = models.TextField(_("introduction"), blank=True)
    steps = StreamField(GuideStreamBlock(), blank=True, verbose_name=_("steps"))
    orders_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("directory of orders"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    professions_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("professions A–Z"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                PageChooserPanel("orders_page", "professions.OrderIndexPage"),
                PageChooserPanel("professions_page", "professions.ProfessionIndexPage"),
            ],
            heading=_("Where results send people to find the professional"),
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("“Who do I contact?” guide")

    def step_url(self, base_url: str, key: str) -> str:
        return f"{base_url}?{urlencode({'step': key})}"

    def answers_leading_to(self, steps: dict, start_key: str, key: str) -> list[tuple[str, dict]]:
        """The shortest chain of (question key, chosen answer) from the start to a step."""
        came_from = {start_key: None}
        queue = deque([start_key])
        while queue:
            current = queue.popleft()
            block = steps[current]
            if block.block_type != "question":
                continue
            for option in block.value["options"]:
                if option["next"] in steps and option["next"] not in came_from:
                    came_from[option["next"]] = (current, option)
                    queue.append(option["next"])
        chain = []
        while came_from.get(key):
            previous, option = came_from[key]
            chain.append((previous, option))
            key = previous
        return chain[::-1]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        base_url = self.get_url(request)
        steps = {block.value["key"]: block for block in self.steps}
        if not steps:
            context["step"] = None
            return context
        start_key = next(iter(steps))
        requested = request.GET.get("step", "")
        key = requested if requested in steps else start_key
        block = steps[key]
        context.update(
            {
                "is_start": key == start_key,
                "restart_url": base_url,
                "answers": [
                    {
                        "question": in_language(steps[question].value, "text"),
                        "answer": in_language(option, "label"),
                        "url": self.step_url(base_url, question),
                    }
                    for question, option in self.answers_leading_to(steps, start_key, key)
                ],
                # The language switcher keeps the reader on the same step.
                "language_link_suffix": "" if key == start_key else f"?{urlencode({'step': key})}",
            }
        )
        if block.block_type == "question":
            context["step"] = {
                "kind": "question",
                "text": in_language(block.value, "text"),
                "help": in_language(block.value, "help"),
                "options": [
                    {"label": in_language(option, "label"), "url": self.step_url(base_url, option["next"])}
                    for option in block.value["options"]
                    if option["next"] in steps
                ],
            }
        else:
            find_order = block.value["find_order"]
            context["step"] = {
                "kind": "result",
                "title": in_language(block.value, "title"),
                "text": in_language(block.value, "text"),
                "pages": [
                    {"title": page.title, "summary": page.summary, "url": page.get_url(request)}
                    for page in block.value["pages"]
                    if page is not None and page.live
                ],
                "directory": [
                    {"title": page.title, "url": page.get_url(request)}
                    for page in (self.orders_page, self.professions_page)
                    if find_order and page is not None and page.live
                ],
            }
        return context
