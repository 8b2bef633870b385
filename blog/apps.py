from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Campaign blog")

    def ready(self):
        from django.db.models.signals import post_migrate

        from blog import permissions

        post_migrate.connect(permissions.grant_after_migrate, dispatch_uid="blog_grant_reply_permission")
