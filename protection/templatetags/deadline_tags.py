"""The deadline form where a recourse has a legal delay: explainers, guide answers, search answers."""

from django import template

from protection import deadlines

register = template.Library()


@register.inclusion_tag("components/deadline_form.html")
def deadline_form(step: str = "", explainer: str = "", order: dict | None = None, level: int = 3) -> dict:
    """The form for the recourse of this guide step or explainer, for the named order if any.

    Where each order sets its own delay (fee conciliation) and the named order's is unknown, no
    other order's delay is shown: a sentence says the order sets it (the order's card, with its link,
    is right above it).
    """
    recourse = deadlines.recourse_for(step=step, explainer=explainer)
    order_key = (order or {}).get("key", "")
    if not recourse or (step and deadlines.order_bound(recourse) and not order_key):
        return {"form": None, "level": level}
    form = deadlines.form_context(recourse, order=order_key)
    return {"form": form, "level": level, "order_sets_it": order if form is None and order_key else None}
