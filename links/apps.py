from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinksConfig(AppConfig):
    """The link checker: what each external address answered, and the editors' worklist."""

    name = "links"
    verbose_name = _("Links")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from links import roles

        post_migrate.connect(roles.grant_after_migrate, dispatch_uid="links_grant_roles")
