"""Rebuild the site search index from the live pages (seed_site calls it at the end)."""

from django.core.management.base import BaseCommand

from search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (both languages) from every live, public page."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Search index: {count} entries."))
