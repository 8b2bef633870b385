"""Delete the contact messages (and the addresses they hold) older than CONTACT_MESSAGE_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand

from contact.models import ContactMessage


class Command(BaseCommand):
    help = "Delete contact messages older than CONTACT_MESSAGE_DAYS (run daily from cron)."

    def handle(self, *args, **options):
        deleted, _by_model = ContactMessage.objects.expired().delete()
        days = settings.CONTACT_MESSAGE_DAYS
        self.stdout.write(self.style.SUCCESS(f"{deleted} contact message(s) older than {days} days deleted."))
