"""Who may handle public comments: moderators moderate; moderators and editors reply for the team."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from wagtail.permission_policies import ModelPermissionPolicy

MODERATORS_GROUP = "Moderators"
EDITORS_GROUP = "Editors"  # the editorial role of translations.roles
MODERATE_PERMISSION = "blog.moderate_comment"
REPLY_PERMISSION = "blog.reply_comment"
# Translators and everyone else get neither: they cannot see comments or reply.
REPLY_GROUPS = (MODERATORS_GROUP, EDITORS_GROUP)


def can_reply(user) -> bool:
    """Whether this admin user may write, publish and withdraw the team's replies."""
    return user.is_active and user.has_perm(REPLY_PERMISSION)


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Moderators do everything with comments (nobody adds them there); those who reply may read them."""

    def user_has_permission(self, user, action) -> bool:
        if action == "add":
            return False
        if action == "view" and can_reply(user):
            return True
        return user.is_active and user.has_perm(MODERATE_PERMISSION)

    def _get_permission_codenames(self, actions) -> set[str]:
        codenames = {"moderate_comment"} if set(actions) - {"add"} else set()
        if "view" in actions:
            codenames.add("reply_comment")
        return codenames


def ensure_moderators_group(apps=global_apps):
    """Give the « Moderators » group (Wagtail's, or a new one) admin access, comment moderation and replies."""
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
            codename__in=["moderate_comment", "reply_comment", "access_admin"],
        )
    )
    grant_reply_permission(apps)
    return group


def grant_reply_permission(apps=global_apps) -> None:
    """Moderators and Editors (created by name if needed) may reply to comments for the team."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions = permission_model.objects.filter(
        content_type__app_label__in=["blog", "wagtailadmin"], codename__in=["reply_comment", "access_admin"]
    )
    if not permissions.filter(codename="reply_comment").exists():
        return
    for name in REPLY_GROUPS:
        group_model.objects.get_or_create(name=name)[0].permissions.add(*permissions)


def grant_after_migrate(sender, **kwargs) -> None:
    """post_migrate of the last app: every app's permissions exist by then."""
    if sender is list(global_apps.get_app_configs())[-1]:
        grant_reply_permission()
