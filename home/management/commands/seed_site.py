"""Create or update the demo content of the whole site (idempotent)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from home.seeding import ensure_home_page, ensure_standard_pages


class Command(BaseCommand):
    help = "Create or update the bilingual demo content (home page, directory…). Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            home = ensure_home_page()
            call_command("load_contact", stdout=self.stdout)
            ensure_standard_pages(home)
            # Each app seeds its own part (home names no other app's models).
            call_command("load_directory", stdout=self.stdout)
            call_command("load_blog_demo", stdout=self.stdout)
            call_command("load_explainers", stdout=self.stdout)
            call_command("load_other_bodies", stdout=self.stdout)
            call_command("load_home", stdout=self.stdout)
            call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Site ready: home page #{home.pk} in French and English."))
