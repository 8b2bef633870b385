"""Create or update the directory pages from the data file (idempotent)."""

from pathlib import Path

from home.loaders import LoadCommand, LoadReport
from professions.loading import DATA_FILE, LINKS_FILE, load_directory_file


class Command(LoadCommand):
    help = "Load professions/data/directory.json into the page tree (orders, professions, sectors)."
    subject = "Directory"
    overwrite_option = "--overwrite-text"
    overwrite_help = "Also replace summaries and descriptions that editors changed in the admin."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Data file (default: %(default)s).")
        parser.add_argument(
            "--links-file",
            type=Path,
            default=LINKS_FILE,
            help="The orders' complaint and register addresses, loaded as unverified links (default: %(default)s).",
        )
        parser.add_argument("--no-links", action="store_true", help="Do not read the links file.")
        super().add_arguments(parser)

    def load(self, *, file: Path, links_file: Path, no_links: bool, overwrite_text: bool, **options) -> LoadReport:
        return load_directory_file(file, overwrite_text=overwrite_text, links_path=None if no_links else links_file)
