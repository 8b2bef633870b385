"""Who reads the contact messages: moderators (and administrators); editors and translators do not."""

from django.apps import apps as django_apps

from translations.roles import MODERATORS

# "change" marks a message read or unread; nobody may add or rewrite one (contact.wagtail_hooks).
GRANTS = {MODERATORS: ["view_contactmessage", "change_contactmessage", "delete_contactmessage"]}


def grant_inbox_permissions(apps=django_apps) -> None:
    """Give the moderators the inbox permissions (creating the group by name if needed)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(content_type__app_label="contact", codename__in=codenames)
        if permissions:
            Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


def grant_after_migrate(sender, **kwargs) -> None:
    """post_migrate of the last app: every app's permissions exist by then."""
    if sender is list(django_apps.get_app_configs())[-1]:
        grant_inbox_permissions()
