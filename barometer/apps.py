from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarometerConfig(AppConfig):
    """The trust barometer: the CROP survey's question asked again on the site, its votes and results."""

    name = "barometer"
    verbose_name = _("Trust barometer")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from barometer import roles

        post_migrate.connect(roles.grant_after_migrate, dispatch_uid="barometer_grant_roles")
