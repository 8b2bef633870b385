"""Create or update the explainer pages and the guide (idempotent)."""

from home.loaders import LoadCommand, LoadReport
from protection.loading import load_explainers_files


class Command(LoadCommand):
    help = "Load protection/data/*.json: the hub, 15 explainers, the “Who do I contact?” guide."
    subject = "Explainers"

    def load(self, *, overwrite: bool, **options) -> LoadReport:
        return load_explainers_files(overwrite=overwrite)
