"""Create or update the campaign home's content and the contribution page (idempotent)."""

from home.loaders import LoadCommand, LoadReport
from home.loading import load_home_file


class Command(LoadCommand):
    help = "Load home/data/home.json: the home page's introduction and body, and the contribution page."
    subject = "Home content"

    def load(self, *, overwrite: bool, **options) -> LoadReport:
        return load_home_file(overwrite=overwrite)
