"""Who sees the links report: editors and moderators (and administrators), not translators."""

from django.apps import apps as django_apps

from translations.roles import EDITORS, MODERATORS, grant_after_last_migrate, grant_app_permissions

# The report and the dashboard count need "view"; the one-click update also needs the page's edit permission.
GRANTS = {EDITORS: ["view_checkedlink"], MODERATORS: ["view_checkedlink"]}


def grant_link_permissions(apps=django_apps) -> None:
    """Give the editorial groups the links permissions (creating the groups by name if needed)."""
    grant_app_permissions("links", GRANTS, apps)


grant_after_migrate = grant_after_last_migrate("links", GRANTS)
