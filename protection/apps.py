from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    """Protecting the public: explainer pages and the “Who do I contact?” guide."""

    name = "protection"
    default_auto_field = "django.db.models.BigAutoField"
