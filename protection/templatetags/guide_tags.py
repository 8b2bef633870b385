"""The guide's <title>: each step and each answer has its own, in the active language."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _answer_title(context) -> str:
    direct, step = context.get("direct"), context.get("step")
    if direct and direct.get("kind") == "profession":
        return _("A problem with a professional: %(profession)s") % {"profession": direct["professional"]["title"]}
    if direct:
        found = (direct.get("bodies") or direct.get("unregulated") or [None])[0]
        return str(found) if found else ""
    if not step or context.get("is_start"):
        return ""
    if step["kind"] == "question":
        return step["text"]
    professional = step.get("professional")
    if professional:
        return _("%(action)s: %(profession)s") % {"action": step["title"], "profession": professional["title"]}
    return step["title"]


@register.simple_tag(takes_context=True)
def guide_title(context) -> str:
    """« <the step's question or answer> — <the guide's title> », or the guide's title at the start."""
    page_title = context["page"].title
    answer = _answer_title(context)
    return f"{answer} — {page_title}" if answer else page_title
