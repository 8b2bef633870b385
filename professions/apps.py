from django.apps import AppConfig


class ProfessionsConfig(AppConfig):
    name = "professions"
    default_auto_field = "django.db.models.BigAutoField"
