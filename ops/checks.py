"""System checks for production settings that would fail quietly."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Caches each process keeps for itself: what one worker writes, the others never read.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, Tags.database)
def replica_needs_a_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """Replica reads wait for the last publish's position, which every process must read (ops.database.replica)."""
    if not settings.DATABASE_REPLICA_URL:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"DATABASE_REPLICA_URL is set but the default cache ({backend.rsplit('.', 1)[-1]}) belongs to one "
            "process: the position of the last publish, kept in that cache, would not reach the other "
            "workers, and they could read a replica that has not replayed the publish yet.",
            hint="Set REDIS_URL to a Redis server shared by every app server, or unset DATABASE_REPLICA_URL.",
            id="ops.E001",
        )
    ]
