from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    """The contact page and the campaign team's inbox of the messages it receives."""

    name = "contact"
    verbose_name = _("Contact")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from contact import roles

        post_migrate.connect(roles.grant_after_migrate, dispatch_uid="contact_grant_roles")
