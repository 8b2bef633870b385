"""Who may handle public comments: members of the « Moderators » group."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from wagtail.permission_policies import ModelPermissionPolicy

MODERATORS_GROUP = "Moderators"
MODERATE_PERMISSION = "blog.moderate_comment"


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Every admin action on comments needs the moderation permission; nobody adds them there."""

    def user_has_permission(self, user, action) -> bool:
        if action == "add":
            return False
        return user.is_active and user.has_perm(MODERATE_PERMISSION)

    def _get_permission_codenames(self, actions) -> set[str]:
        return {"moderate_comment"} if set(actions) - {"add"} else set()


def ensure_moderators_group(apps=global_apps):
    """Give the « Moderators » group (Wagtail's, or a new one) admin access and comment moderation."""
    app_config = apps.get_app_config("blog")
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True  # a migration's app registry leaves it unset
    create_permissions(app_config, apps=apps, verbosity=0)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        *permission_model.objects.filter(
            content_type__app_label__in=["blog", "wagtailadmin"],
            codename__in=["moderate_comment", "access_admin"],
        )
    )
    return group
