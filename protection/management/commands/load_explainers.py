"""Create or update the explainer pages and the guide (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from protection.loading import ExplainerDataError, load_explainers_files


class Command(BaseCommand):
    help = "Load protection/data/*.json: the hub, 15 explainers, the “Who do I contact?” guide."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace text that editors changed in the admin (else only empty fields are filled).",
        )

    def handle(self, *args, overwrite, **options):
        try:
            report = load_explainers_files(overwrite=overwrite)
        except ExplainerDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Explainers loaded: {report}."))
