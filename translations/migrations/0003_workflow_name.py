from django.db import migrations

from translations.roles import FORMER_WORKFLOW_NAMES, WORKFLOW_NAME


def rename_workflow(apps, schema_editor):
    # The admin shows the name as is, in a French sentence ("Soumettre à …"): no English name there.
    for model in ("Workflow", "GroupApprovalTask"):
        apps.get_model("wagtailcore", model).objects.filter(name__in=FORMER_WORKFLOW_NAMES).update(name=WORKFLOW_NAME)


class Migration(migrations.Migration):
    dependencies = [("translations", "0002_roles")]

    operations = [migrations.RunPython(rename_workflow, migrations.RunPython.noop)]
