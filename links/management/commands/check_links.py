"""Check the external addresses the site shows (for cron): oldest checks first, within a time budget."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from links.checker import run_checks
from links.models import CheckedLink
from links.sources import link_uses
from links.updates import refresh_public_pages


def due_urls(urls: list[str], older_than: timedelta | None) -> list[str]:
    """The addresses to check, never-checked first, then the oldest checks; fresh ones left out."""
    checked = dict(CheckedLink.objects.filter(url__in=urls).values_list("url", "checked_at"))
    now = timezone.now()
    due = [url for url in urls if checked.get(url) is None or older_than is None or checked[url] <= now - older_than]
    epoch = now - timedelta(days=365 * 100)
    return sorted(due, key=lambda url: checked.get(url) or epoch)


class Command(BaseCommand):
    help = (
        "Check the external links shown by live pages, snippets and settings: HEAD then GET, redirects "
        "followed and recorded, a polite delay per host. Stops starting new checks when the budget is spent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--budget", type=float, default=600, help="Seconds to spend at most (default: 600).")
        parser.add_argument(
            "--older-than",
            type=float,
            default=20,
            metavar="HOURS",
            help="Only addresses last checked more than this many hours ago (default: 20).",
        )
        parser.add_argument(
            "--all", dest="check_all", action="store_true", help="Check every address, however recent its last check."
        )
        parser.add_argument("--url", action="append", default=[], help="Check only this address (repeatable).")

    def handle(self, *args, budget, older_than, check_all, url, **options):
        if budget <= 0:
            raise CommandError("--budget must be a positive number of seconds.")
        if older_than < 0:
            raise CommandError("--older-than must be zero or more hours.")
        urls = url or list(dict.fromkeys(use.url for use in link_uses()))
        due = due_urls(urls, None if check_all or url else timedelta(hours=older_than))
        summary = run_checks(due, budget=budget, on_change=refresh_public_pages)
        counts = ", ".join(f"{count} {state}" for state, count in sorted(summary.checked.items())) or "none"
        self.stdout.write(
            f"Checked {summary.total} of {len(due)} due links ({counts}); {len(urls) - len(due)} checked recently; "
            f"{summary.left} left for the next run; {summary.skipped} not allowed; "
            f"{len(summary.refreshed)} changed what visitors see."
        )
