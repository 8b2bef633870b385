from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home.models import SLUG_ROUTED_MODELS

        # Runs after wagtail_modeltranslation's ready() (it comes first in INSTALLED_APPS).
        for model, route in SLUG_ROUTED_MODELS.items():
            model.route = route
