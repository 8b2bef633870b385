"""Primary/replica routing, enabled when DATABASE_REPLICA_URL is set (DATABASE_ROUTERS).

Two per-request flags, set by ops.database.middleware: reads on the replica (an anonymous read, or
any read while the primary is down), and read-only (the primary is down). A read-only request sends
writes to the replica too: what a write reads first (get_or_create's get) is answered there, and a
write itself is refused by the standby (SQLSTATE 25006, read_only_sql_transaction) at once, instead of
waiting for the primary. Outside a request everything uses the primary: management commands,
scheduled jobs, migrations.
"""

from contextvars import ContextVar

reads_on_replica: ContextVar[bool] = ContextVar("reads_on_replica", default=False)
read_only: ContextVar[bool] = ContextVar("read_only", default=False)

READ_ONLY_SQL_TRANSACTION = "25006"


def refused_by_standby(error: BaseException | None) -> bool:
    """Whether a database error is a standby (or a read-only transaction) refusing a write."""
    seen = 0
    while error is not None and seen < 5:
        if getattr(error, "sqlstate", None) == READ_ONLY_SQL_TRANSACTION:  # the driver's error, under Django's
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


class PrimaryReplicaRouter:
    """Send reads to "replica" when the current request allows it, writes to "default"."""

    def db_for_read(self, model, **hints) -> str:
        return "replica" if reads_on_replica.get() else "default"

    def db_for_write(self, model, **hints) -> str:
        if read_only.get():
            return "replica"
        reads_on_replica.set(False)  # read your own writes: the rest of the request reads the primary
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"
