"""Protecting the public: explainer pages under a hub, and the “Who do I contact?” guide."""

from collections import defaultdict, deque
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.language import initial_of, localized, sort_key, translated_columns
from home.models import BilingualPreviewMixin, SlugRouteMixin
from home.public import public_pages
from professions.models import OrderPage, ProfessionPage
from protection.answers import explainer_links, guide_url, professional_answer, situation_answer
from protection.blocks import ExplainerStreamBlock, GuideStreamBlock
from protection.bodies import OtherBody, UnregulatedOccupation


class ExplainerIndexPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The hub “Protéger le public”: lists every explainer, in the order of the page tree."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ExplainerStreamBlock(), blank=True, verbose_name=_("body"))

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
            for page in public_pages(ExplainerPage.objects.child_of(self)).defer_streamfields()
        ]
        return context


class ExplainerPage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """One question of the campaign answered plainly: a recourse, a body, its steps and delays."""

    key = models.SlugField(
        _("key"), unique=True, max_length=80, help_text=_("Stable identifier used by the data file.")
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences, shown in lists and links."))
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ExplainerStreamBlock(), blank=True, verbose_name=_("body"))

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
        guide = public_pages(GuidePage.objects.defer_streamfields()).first()
        context["guide_url"] = guide.get_url(request) if guide else ""
        context["structured_data"] = self.faq_structured_data()
        return context


class GuidePage(SlugRouteMixin, BilingualPreviewMixin, Page):
    """The “Who do I contact?” guide: one question per screen, plain links, no JavaScript needed.

    The tree is one StreamField shared by both languages (each step holds its French and English
    text), so the two languages cannot branch differently and ?step=<key> means the same step in both.
    Results that need the order add &profession=<ProfessionPage.key>, stable across languages too.
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

    MAX_ALSO = 5  # other situations a story told, shown after the result (?also=)

    def step_url(self, base_url: str, key: str, profession: str = "", also=()) -> str:
        return guide_url(base_url, step=key, profession=profession, also=also)

    def result_steps(self) -> list[dict]:
        """The result steps as the answers read them: texts in both languages, whether they need the
        order and its syndic, the explainer pages' ids, and the editors' words people use as (language,
        phrase), one phrase per comma or line."""
        steps = []
        for block in self.steps:
            if block.block_type != "result":
                continue
            value = block.value
            steps.append(
                {
                    "key": value["key"],
                    "find_order": bool(value["find_order"]),
                    "contact_syndic": bool(value.get("contact_syndic")),
                    **{
                        f"{name}_{lang}": value.get(f"{name}_{lang}") or ""
                        for name in ("short", "title", "text")
                        for lang in ("fr", "en")
                    },
                    "words": [
                        (lang, item.strip())
                        for lang in ("fr", "en")
                        for item in (value.get(f"words_{lang}") or "").replace("\n", ",").split(",")
                        if item.strip()
                    ],
                    "pages": [page.pk for page in value["pages"] if page is not None],
                }
            )
        return steps

    def also_told(self, request, steps: dict, key: str) -> list[str]:
        """The other result steps a story told (?also=), known and distinct, at most MAX_ALSO."""
        wanted = request.GET.get("also", "")[:400].split(",")
        found = [item for item in dict.fromkeys(wanted) if item != key and item in steps]
        return [item for item in found if steps[item].block_type == "result"][: self.MAX_ALSO]

    @cached_property
    def directory_pages(self) -> dict[str, Page]:
        """The public directory indexes that results send to ("orders", "professions"), in one query."""
        roles = {"orders": self.orders_page_id, "professions": self.professions_page_id}
        pages = public_pages(Page.objects.all()).in_bulk([pk for pk in roles.values() if pk])
        return {role: pages[pk] for role, pk in roles.items() if pk in pages}

    def profession_rows(self) -> dict[str, dict]:
        """Public professions of the directory by key: what the picker and the answer show (one query)."""
        index = self.directory_pages.get("orders")
        if index is None:
            return {}
        rows = public_pages(ProfessionPage.objects.descendant_of(index))
        rows = rows.values("key", "path", *translated_columns("title", "slug"))
        return {row["key"]: row for row in rows}

    def profession_choices(self, rows: dict[str, dict]) -> list[tuple[str, list[dict]]]:
        """The picker's options in the active language, grouped by initial and sorted without accents."""
        groups = defaultdict(list)
        for key, row in rows.items():
            title = localized(row, "title")
            groups[initial_of(title)].append({"key": key, "title": title})
        for items in groups.values():
            items.sort(key=lambda item: sort_key(item["title"]))
        return sorted(groups.items())

    def professional_answer(self, request, row: dict, contact_syndic: bool) -> dict | None:
        """The chosen profession, its order and the order's links (protection.answers); None if no public order."""
        order = public_pages(OrderPage.objects.filter(path=row["path"][: -Page.steplen])).first()
        if order is None:
            return None
        profession = {
            "key": row["key"],
            "title": localized(row, "title"),
            "url": f"{order.get_url(request)}{localized(row, 'slug')}/",
        }
        return professional_answer(request, order, profession, contact_syndic)

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

    def situations_for(self, base_url: str, steps: dict, profession_key: str) -> list[dict]:
        """Every result that concerns one professional, as links pre-filled with the profession."""
        return [
            {
                "label": localized(block.value, "short") or localized(block.value, "title"),
                "title": localized(block.value, "title"),
                "url": self.step_url(base_url, key, profession_key),
            }
            for key, block in steps.items()
            if block.block_type == "result" and block.value["find_order"]
        ]

    def direct_answer(self, request, base_url: str, steps: dict) -> dict | None:
        """?profession=<key> alone: that professional's situations; ?body= / ?occupation=: no order governs it."""
        if request.GET.get("step"):
            return None
        for name, model in (("body", OtherBody), ("occupation", UnregulatedOccupation)):
            key = request.GET.get(name, "")
            if key:
                found = model.objects.filter(key=key[:80], live=True).first()
                if found is None:
                    return {"unknown": True}
                return {
                    "kind": name,
                    "bodies": [found] if name == "body" else [],
                    "unregulated": [found] if name == "occupation" else [],
                    "language_link_suffix": f"?{urlencode({name: key})}",
                }
        key = request.GET.get("profession", "")
        if not key:
            return None
        row = self.profession_rows().get(key)
        answer = self.professional_answer(request, row, contact_syndic=True) if row else None
        if answer is None:
            return {"unknown": True}
        return {
            "kind": "profession",
            "professional": answer,
            "situations": self.situations_for(base_url, steps, key),
            "language_link_suffix": f"?{urlencode({'profession': key})}",
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        base_url = self.get_url(request)
        context["question_url"] = reverse("search_answer")
        steps = {block.value["key"]: block for block in self.steps}
        if not steps:
            context["step"] = None
            return context
        direct = self.direct_answer(request, base_url, steps)
        if direct and not direct.get("unknown"):
            context.update(direct=direct, is_start=False, restart_url=base_url, step=None, answers=[])
            context["language_link_suffix"] = direct["language_link_suffix"]
            return context
        context["unknown_answer"] = bool(direct)
        start_key = next(iter(steps))
        requested = request.GET.get("step", "")
        key = requested if requested in steps else start_key
        block = steps[key]
        picker = block.block_type == "result" and block.value["find_order"]
        professions = self.profession_rows() if picker else {}
        requested_profession = request.GET.get("profession", "") if picker else ""
        profession = professions.get(requested_profession)
        also = self.also_told(request, steps, key) if block.block_type == "result" else []
        # The syndic's link when this step or another situation the story told needs it (as search does).
        contact_syndic = block.block_type == "result" and any(
            steps[item].value.get("contact_syndic") for item in [key, *also]
        )
        answer = self.professional_answer(request, profession, contact_syndic) if profession else None
        profession_key = requested_profession if answer else ""
        context.update(
            {
                "is_start": key == start_key,
                "restart_url": base_url,
                "answers": [
                    {
                        "question": localized(steps[question].value, "text"),
                        "answer": localized(option, "label"),
                        "url": self.step_url(base_url, question),
                    }
                    for question, option in self.answers_leading_to(steps, start_key, key)
                ],
                # The language switcher keeps the reader on the same step, profession and story.
                "language_link_suffix": "" if key == start_key else self.step_url("", key, profession_key, also),
            }
        )
        if answer:
            context["answers"].append(
                {
                    "question": _("Which professional is it?"),
                    "answer": answer["title"],
                    "url": self.step_url(base_url, key),
                }
            )
        if block.block_type == "question":
            context["step"] = {
                "kind": "question",
                "text": localized(block.value, "text"),
                "help": localized(block.value, "help"),
                "options": [
                    {"label": localized(option, "label"), "url": self.step_url(base_url, option["next"])}
                    for option in block.value["options"]
                    if option["next"] in steps
                ],
            }
        else:
            find_order = block.value["find_order"]
            context["step"] = {
                "kind": "result",
                **situation_answer(block.value, explainer_links(block.value["pages"], request)),
                "directory": [
                    {"title": page.title, "url": page.get_url(request)}
                    for page in (self.directory_pages.values() if find_order else [])
                ],
                "picker": {
                    "choices": self.profession_choices(professions),
                    "selected": profession_key,
                    # Anything that is not a known key, including tampered values, gets a polite note.
                    "unknown": bool(requested_profession) and not answer,
                }
                if professions
                else None,
                "professional": answer,
                # A story that told several situations: each other door, with its own page.
                "also": [
                    {
                        **situation_answer(steps[other].value, []),
                        "url": self.step_url(base_url, other, profession_key),
                    }
                    for other in also
                ],
            }
        return context
