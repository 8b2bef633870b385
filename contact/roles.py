"""Who reads the contact messages: moderators (and administrators); editors and translators do not."""

from django.apps import apps as django_apps

from translations.roles import MODERATORS, grant_after_last_migrate, grant_app_permissions

# "change" marks a message read or unread; nobody may add or rewrite one (contact.wagtail_hooks).
GRANTS = {MODERATORS: ["view_contactmessage", "change_contactmessage", "delete_contactmessage"]}


def grant_inbox_permissions(apps=django_apps) -> None:
    """Give the moderators the inbox permissions (creating the group by name if needed)."""
    grant_app_permissions("contact", GRANTS, apps)


grant_after_migrate = grant_after_last_migrate("contact", GRANTS)
