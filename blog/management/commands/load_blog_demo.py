"""Create or update the campaign blog's demo posts (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from blog.loading import load_blog
from home.seeding import ensure_home_page


class Command(BaseCommand):
    help = "Create or update the bilingual campaign blog and its demo posts. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            index = load_blog(ensure_home_page())
        count = index.get_children().count()
        self.stdout.write(self.style.SUCCESS(f"Blog ready: {count} posts in French and English."))
