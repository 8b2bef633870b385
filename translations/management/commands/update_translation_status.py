from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand

from translations import memory
from translations.models import UP_TO_DATE
from translations.status import latest_state, title_of, track, tracked_models


class Command(BaseCommand):
    help = (
        "Record the translation status of every translatable page and snippet, and fill the translation "
        "memory from the translations that are up to date (after an import or upgrade)."
    )

    def handle(self, *args, **options):
        count = remembered = 0
        for model in tracked_models():
            for obj in model._default_manager.all().iterator():
                obj = latest_state(obj)
                for record in track(obj):
                    if record.status == UP_TO_DATE:
                        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
                        memory.remember(obj, content_type, record.language, title_of(obj))
                        remembered += 1
                count += 1
        self.stdout.write(f"{count} objects checked, {remembered} translations in the translation memory.")
