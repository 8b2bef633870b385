from django.core.management.base import BaseCommand

from translations.status import latest_state, track, tracked_models


class Command(BaseCommand):
    help = "Record the translation status of every translatable page and snippet (after an import or upgrade)."

    def handle(self, *args, **options):
        count = 0
        for model in tracked_models():
            for obj in model._default_manager.all().iterator():
                track(latest_state(obj))
                count += 1
        self.stdout.write(f"{count} objects checked.")
