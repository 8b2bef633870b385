"""Editorial roles and the moderation workflow, created by a data migration and kept after migrate.

Editors write and submit, Translators edit the English and submit, Moderators publish. Snippets
keep drafts too: translators save them, editors and moderators publish them (or approve them in the
same moderation workflow). The same
code runs on historical models (the data migration) and on the real ones (post_migrate, tests), so
translatable snippets added by later apps get their permissions too. Grants are only ever added.
"""

from django.apps import apps as django_apps
from django.contrib.auth.models import AbstractUser

EDITORS = "Editors"
TRANSLATORS = "Translators"
MODERATORS = "Moderators"
# A database value shown as is in the admin ("Soumettre à Modération"): French, the team's language.
WORKFLOW_NAME = "Modération"
FORMER_WORKFLOW_NAMES = ["Moderators approval"]

# Page permissions, granted on the tree root so they cover every page.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    TRANSLATORS: ["change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
# Model permissions on every translatable snippet ("publish" exists for snippets with drafts).
SNIPPET_PERMISSIONS = {
    EDITORS: ["add", "change", "publish"],
    TRANSLATORS: ["change"],
    MODERATORS: ["add", "change", "publish"],
}
# Everyone in a role reaches the admin and the translations report.
COMMON_PERMISSIONS = [("wagtailadmin", "access_admin"), ("translations", "view_translationrecord")]


def _snippet_models(apps) -> list:
    """Historical (or real) versions of the translatable models that are not pages."""
    from wagtail.models import Page

    from translations.status import tracked_models

    found = []
    for model in tracked_models():
        if issubclass(model, Page):
            continue
        try:
            found.append(apps.get_model(model._meta.app_label, model._meta.model_name))
        except LookupError:  # its app's migrations have not run yet
            continue
    return found


def _permission(apps, app_label: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_roles(apps=django_apps) -> None:
    """Create the three groups with their permissions and attach the workflow to the tree root."""
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, TRANSLATORS, MODERATORS)}

    for group in groups.values():
        for app_label, codename in COMMON_PERMISSIONS:
            permission = _permission(apps, app_label, codename)
            if permission is not None:
                group.permissions.add(permission)

    for name, actions in SNIPPET_PERMISSIONS.items():
        for model in _snippet_models(apps):
            for action in actions:
                permission = _permission(apps, model._meta.app_label, f"{action}_{model._meta.model_name}")
                if permission is not None:
                    groups[name].permissions.add(permission)

    # Only the id: on a fresh database this runs (post_migrate) before wagtail-modeltranslation's
    # migrate has added the translation columns, so a full Page row cannot be read yet.
    root_id = Page.objects.filter(depth=1).order_by("path").values_list("pk", flat=True).first()
    if root_id is None:
        return
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            permission = _permission(apps, "wagtailcore", codename)
            if permission is not None:
                GroupPagePermission.objects.get_or_create(group=groups[name], page_id=root_id, permission=permission)
    workflow = _ensure_workflow(apps, root_id, groups[MODERATORS])
    if workflow is not None:
        _ensure_snippet_workflow(apps, workflow)


def _ensure_snippet_workflow(apps, workflow) -> None:
    """The same moderation for translatable snippets that keep drafts (unless one has a workflow already)."""
    from wagtail.models import WorkflowMixin

    from translations.status import tracked_models

    try:
        WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    except LookupError:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in tracked_models():
        if not issubclass(model, WorkflowMixin):
            continue
        content_type, _created = ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )
        if not WorkflowContentType.objects.filter(content_type=content_type).exists():
            WorkflowContentType.objects.create(content_type=content_type, workflow_id=workflow.pk)


def _ensure_workflow(apps, root_id: int, moderators):
    """Submit → approval by a moderator → publish, on every page (unless the root has a workflow)."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    if WorkflowPage.objects.filter(page_id=root_id).exists():
        return Workflow.objects.filter(name=WORKFLOW_NAME).first()
    ContentType = apps.get_model("contenttypes", "ContentType")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    task_type, _created = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, content_type=task_type, active=True)
    task.groups.add(moderators)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.create(page_id=root_id, workflow=workflow)
    return workflow


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate: grant the roles' permissions on models created since the data migration."""
    # The last app: every app's permissions exist by then (Django creates them on post_migrate too).
    if sender is list(django_apps.get_app_configs())[-1]:
        ensure_roles()


def grant_app_permissions(app_label: str, grants: dict[str, list[str]], apps=django_apps) -> None:
    """Give each named group (created if needed) these permission codenames of one app; only adds."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        if permissions:
            Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


def grant_after_last_migrate(app_label: str, grants: dict[str, list[str]]):
    """A post_migrate receiver that grants them once the last app has migrated (every permission exists)."""

    def receiver(sender, **kwargs) -> None:
        if sender is list(django_apps.get_app_configs())[-1]:
            grant_app_permissions(app_label, grants)

    return receiver


def is_translator_only(user: AbstractUser) -> bool:
    """A translator who is not also an editor, a moderator or an administrator."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return TRANSLATORS in names and not names & {EDITORS, MODERATORS}
