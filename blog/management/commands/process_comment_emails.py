"""Cron job: send the reply notices still due (failed sends are retried) and delete old addresses."""

from django.conf import settings
from django.core.management.base import BaseCommand

from blog.replies import process_comment_emails


class Command(BaseCommand):
    help = (
        "Tell commenters whose reply was published but not announced yet (a failed send is retried), then "
        "forget every address that was used, refused, or is older than BLOG_COMMENT_EMAIL_DAYS."
    )

    def handle(self, *args, **options):
        run = process_comment_emails()
        self.stdout.write(
            f"{run.sent} notice(s) sent, {run.failed} not sent (kept for the next run), "
            f"{run.deleted} address(es) deleted (older than {settings.BLOG_COMMENT_EMAIL_DAYS} days or without use)."
        )
        if run.failed:
            self.stderr.write("Some notices could not be sent: check the EMAIL_* settings and the mail server.")
