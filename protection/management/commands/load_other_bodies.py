"""Create or update the bodies that are not orders and the unregulated occupations (idempotent)."""

from pathlib import Path

from home.loaders import LoadCommand, LoadReport
from protection.bodies import DATA_FILE, load_other_bodies_file


class Command(LoadCommand):
    help = "Load protection/data/other_bodies.json: public bodies that are not orders, occupations without one."
    subject = "Other bodies"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Another data file of the same form.")
        super().add_arguments(parser)

    def load(self, *, file: Path, overwrite: bool, **options) -> LoadReport:
        return load_other_bodies_file(file, overwrite=overwrite)
