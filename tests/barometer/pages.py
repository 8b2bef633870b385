"""A small site for the barometer's tests: the home and a standard page, the block on the home."""

import json

from home.loaders import publish
from home.models import HomePage, StandardPage
from home.seeding import ensure_home_page

BLOCK_ID = "5a1f6a8e-0b7b-4c1e-9d7a-barometer01"
FRENCH = {
    "title": "Et vous, qu'en pensez-vous?",
    "intro": "Répondez à la même question que le sondage.",
    "question": "Selon vous, les ordres professionnels existent surtout pour protéger…",
    "answer_public": "le public",
    "answer_members": "leurs membres",
    "answer_both": "les deux",
}
ENGLISH = {
    "title": "What do you think?",
    "intro": "Answer the survey's question.",
    "question": "In your view, professional orders exist mainly to protect…",
    "answer_public": "the public",
    "answer_members": "their members",
    "answer_both": "both",
}


def barometer_site() -> tuple[HomePage, StandardPage]:
    """The home with the barometer block (French and English), and a published page without it."""
    home = ensure_home_page()
    home.body_fr = json.dumps([{"type": "barometer", "value": FRENCH, "id": BLOCK_ID}])
    home.body_en = json.dumps([{"type": "barometer", "value": ENGLISH, "id": BLOCK_ID}])
    publish(home)
    other = StandardPage.objects.child_of(home).filter(slug_fr="sans-barometre").first()
    if other is None:
        other = StandardPage(
            title_fr="Sans baromètre", title_en="No barometer", slug_fr="sans-barometre", slug_en="no-barometer"
        )
        home.add_child(instance=other)
        publish(other)
    return HomePage.objects.get(pk=home.pk), other
