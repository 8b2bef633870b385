from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Production plumbing: page cache, health check, fault pages, CDN purge, login lockout IP."""

    name = "ops"

    def ready(self):
        from ops import cache, checks, frontend_cache  # noqa: F401 - checks registers itself

        cache.connect_signals()
        frontend_cache.connect_signals()
