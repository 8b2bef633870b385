"""Write the searches waiting in the cache to the primary (cron, every few minutes; see search.query_log)."""

from django.core.management.base import BaseCommand

from search.query_log import searches


class Command(BaseCommand):
    help = "Write the searches waiting in the cache (popular searches, questions without an answer)."

    def handle(self, *args, **options):
        written = 0
        while True:  # each flush writes at most MAX_PER_FLUSH (500)
            count = searches.flush()
            written += count
            if count == 0:
                break
        waiting, dropped = searches.counts()
        self.stdout.write(f"{written} searches written; {waiting} waiting, {dropped} dropped since the cache started.")
