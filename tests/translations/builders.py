"""Small bilingual page trees for the translation tests."""

from django.utils import translation

from home.seeding import ensure_home_page
from professions.models import OrderIndexPage, OrderPage, Sector


def publish(page) -> None:
    page.save_revision().publish()


def build_directory() -> tuple:
    """Home → "ordres"/"orders" index → one order page written in French only."""
    home = ensure_home_page()
    with translation.override("fr"):
        index = OrderIndexPage(
            title_fr="Les ordres",
            title_en="Orders",
            slug_fr="ordres",
            slug_en="orders",
            intro_fr="Tous les ordres.",
            intro_en="Every order.",
        )
        home.add_child(instance=index)
        publish(index)
        order = OrderPage(
            title_fr="Ordre des testeurs",
            slug_fr="ordre-des-testeurs",
            key="testeurs",
            practice="exclusive",
            summary_fr="Les testeurs protègent le public.",
        )
        index.add_child(instance=order)
        publish(order)
    return home, index, OrderPage.objects.get(pk=order.pk)


def translate(order: OrderPage, **values) -> OrderPage:
    """Write the English of the order page and publish it, as a translator would."""
    order = OrderPage.objects.get(pk=order.pk)
    values = {
        "title_en": "Order of testers",
        "slug_en": "order-of-testers",
        "summary_en": "Testers protect the public.",
        **values,
    }
    for name, value in values.items():
        setattr(order, name, value)
    publish(order)
    return OrderPage.objects.get(pk=order.pk)


def sector() -> Sector:
    return Sector.objects.create(key="sante", name_fr="Santé")


def use_admin_language(user, language: str) -> None:
    """Set the language the user reads Wagtail's admin in (their profile preference)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def build_guide(home, *, english: bool = True):
    """A two-step guide page under home: a question with two answers, and a result."""
    from protection.models import GuidePage

    def both(name: str, fr: str, en: str) -> dict:
        return {f"{name}_fr": fr, f"{name}_en": en if english else ""}

    steps = [
        {
            "type": "question",
            "id": "q1",
            "value": {
                "key": "start",
                **both("text", "Quelle est votre situation?", "What is your situation?"),
                **both("help", "", ""),
                "options": [
                    {
                        "type": "item",
                        "id": "o1",
                        "value": {**both("label", "Une plainte", "A complaint"), "next": "end"},
                    },
                    {
                        "type": "item",
                        "id": "o2",
                        "value": {**both("label", "Une question", "A question"), "next": "end"},
                    },
                ],
            },
        },
        {
            "type": "result",
            "id": "r1",
            "value": {
                "key": "end",
                **both("title", "Écrivez au syndic", "Write to the syndic"),
                **both("text", "C'est gratuit.", "It is free."),
                "pages": [],
                "find_order": False,
                "contact_syndic": False,
            },
        },
    ]
    with translation.override("fr"):
        guide = GuidePage(
            title_fr="Qui contacter?",
            title_en="Who do I contact?",
            slug_fr="qui-contacter",
            slug_en="who-do-i-contact",
            intro_fr="Quelques questions.",
            intro_en="A few questions." if english else "",
            steps=steps,
        )
        home.add_child(instance=guide)
        publish(guide)
    return GuidePage.objects.get(pk=guide.pk)
