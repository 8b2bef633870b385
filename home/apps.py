from django.apps import AppConfig, apps


class HomeConfig(AppConfig):
    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Page

        from home.models import SlugRouteMixin

        # wagtail-modeltranslation (ready before us: it comes first in INSTALLED_APPS) sets its own
        # `route`, which reads every child page, on each translated page model, Page included.
        # Removing it from our page types gives them back the route of their bases.
        patched = vars(Page)["route"]
        for model in apps.get_models():
            if issubclass(model, SlugRouteMixin) and vars(model).get("route") is patched:
                del model.route
