"""Primary/replica routing, enabled when DATABASE_REPLICA_URL is set (DATABASE_ROUTERS).

Two per-request flags, set by ops.database.middleware: reads on the replica (an anonymous read, or
any read while the primary is down), and read-only (the primary is down: a write fails at once with
PrimaryUnavailable instead of waiting for a connection). Outside a request everything uses the
primary: management commands, scheduled jobs, migrations.
"""

from contextvars import ContextVar

from django.db import OperationalError

reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)
read_only: ContextVar[bool] = ContextVar("read_only", default=False)


class PrimaryUnavailable(OperationalError):
    """A write asked for while the primary is known to be down (the request is read-only)."""


class PrimaryReplicaRouter:
    """Send reads to "replica" when the current request allows it, writes to "default"."""

    def db_for_read(self, model, **hints) -> str:
        return "replica" if reads_on_replica.get() else "default"

    def db_for_write(self, model, **hints) -> str:
        if read_only.get():
            raise PrimaryUnavailable(f"the primary database is down: {model._meta.label} cannot be written")
        reads_on_replica.set(False)  # read your own writes: the rest of the request reads the primary
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"
