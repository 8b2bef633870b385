"""Create or update the contact page from contact/data/contact.json (load_contact, called by seed_site).

The page keeps what editors wrote unless `overwrite`; its address and phone are never loaded: the
data set holds none, and only editors enter them.
"""

from pathlib import Path

from contact.models import ContactPage
from home.loaders import LoadError, LoadReport, home_page, loading, read_json, save_page, translated

CONTACT_FILE = Path(__file__).resolve().parent / "data" / "contact.json"


class ContactDataError(LoadError):
    """The data file is malformed; nothing was loaded."""


def load_contact_file(path: Path = CONTACT_FILE, *, overwrite: bool = False) -> LoadReport:
    """Create the contact page under the home page, or fill (or, with overwrite, replace) its text."""
    record = read_json(path, ContactDataError)
    report = LoadReport()
    with loading():
        home = home_page(ContactDataError)
        page = ContactPage.objects.child_of(home).first() or ContactPage(show_in_menus=False)
        try:
            values = translated(record, "title", "slug", "search_description", "intro", "thanks")
        except KeyError as missing:
            raise ContactDataError(f"{path}: missing {missing}") from missing
        save_page(home, page, values, report=report, label="contact", overwrite=overwrite)
    return report
