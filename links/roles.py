"""Who sees the links report: editors and moderators (and administrators), not translators."""

from django.apps import apps as django_apps

from translations.roles import EDITORS, MODERATORS

# The report and the dashboard count need "view"; the one-click update also needs the page's edit permission.
GRANTS = {EDITORS: ["view_checkedlink"], MODERATORS: ["view_checkedlink"]}


def grant_link_permissions(apps=django_apps) -> None:
    """Give the editorial groups the links permissions (creating the groups by name if needed)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        permissions = Permission.objects.filter(content_type__app_label="links", codename__in=codenames)
        if permissions:
            Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


def grant_after_migrate(sender, **kwargs) -> None:
    """post_migrate of the last app: every app's permissions exist by then."""
    if sender is list(django_apps.get_app_configs())[-1]:
        grant_link_permissions()
