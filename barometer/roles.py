"""Who sees the barometer's results report: editors and moderators (and administrators)."""

from django.apps import apps as django_apps

from translations.roles import EDITORS, MODERATORS, grant_after_last_migrate, grant_app_permissions

GRANTS = {EDITORS: ["view_votecount"], MODERATORS: ["view_votecount"]}


def grant_barometer_permissions(apps=django_apps) -> None:
    """Give the editorial groups the report's permission (creating the groups by name if needed)."""
    grant_app_permissions("barometer", GRANTS, apps)


grant_after_migrate = grant_after_last_migrate("barometer", GRANTS)
