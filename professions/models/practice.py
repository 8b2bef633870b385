"""Practice types (exclusive practice or reserved title) and how precise a member count is."""

from django.utils.translation import gettext_lazy as _

EXCLUSIVE = "exclusive"
RESERVED_TITLE = "reserved_title"
PRACTICE_CHOICES = [
    (EXCLUSIVE, _("Exclusive practice")),
    (RESERVED_TITLE, _("Reserved title")),
]
MEMBER_QUALIFIERS = [
    ("exact", _("exactly")),
    ("approx", _("about")),
    ("nearly", _("nearly")),
    ("more_than", _("more than")),
]


def practice_meaning(practice: str) -> str:
    """What the practice type means for a member of the public."""
    if practice == EXCLUSIVE:
        return _(
            "Only members of the order may practise this profession and use its titles. "
            "Anyone else who does the reserved work commits an offence."
        )
    return _(
        "Only members of the order may use the reserved titles. Others may do similar work "
        "under another name, but they are not supervised by the order: check the title."
    )
