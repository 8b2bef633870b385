"""Delete stored search texts older than SEARCH_QUERY_RETENTION_DAYS (cron, daily; see search.query_log)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from search.query_log import purge


class Command(BaseCommand):
    help = "Delete search texts (popular searches, questions without an answer) past their retention period."

    def handle(self, *args, **options):
        deleted = purge()
        self.stdout.write(
            f"Kept {settings.SEARCH_QUERY_RETENTION_DAYS} days: deleted {deleted['unanswered']} questions without "
            f"an answer, {deleted['daily_hits']} daily counts and {deleted['queries']} search texts."
        )
