"""Create or update the contact page (idempotent)."""

from contact.loading import load_contact_file
from home.loaders import LoadCommand, LoadReport


class Command(LoadCommand):
    help = "Load contact/data/contact.json: the contact page's title, introduction and thank-you text."
    subject = "Contact page"

    def load(self, *, overwrite: bool, **options) -> LoadReport:
        return load_contact_file(overwrite=overwrite)
