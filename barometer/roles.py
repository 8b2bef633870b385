"""Who sees the barometer's results report: editors and moderators (and administrators)."""

from django.apps import apps as django_apps

from translations.roles import EDITORS, MODERATORS

GRANTS = {EDITORS: ["view_votecount"], MODERATORS: ["view_votecount"]}


def grant_barometer_permissions(apps=django_apps) -> None:
    """Give the editorial groups the report's permission (creating the groups by name if needed)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(content_type__app_label="barometer", codename__in=codenames)
        if permissions:
            Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


def grant_after_migrate(sender, **kwargs) -> None:
    """post_migrate of the last app: every app's permissions exist by then."""
    if sender is list(django_apps.get_app_configs())[-1]:
        grant_barometer_permissions()
