"""Run by tests/ops/test_read_only.py in a process of its own, with the real settings: the primary
is a TCP forwarder to the test database that this script opens and closes (a real refused
connection, a real connection cut in the middle of a transaction); the replica is the same
database reached directly. Prints what a visitor saw at each step, as JSON.

    python tests/ops/primary_outage.py <forwarder port> <database name> <post URL fr> <post URL en> <post id>
"""

import contextlib
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PORT, DB, FR_URL, EN_URL, POST_ID = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "site_ordre.settings",
        "SECRET_KEY": "x" * 50,
        "SITE_HTTPS": "0",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PORT}/{DB}",
        # Read-only like a hot standby: a write there fails with the standby's own error (SQLSTATE 25006).
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:5432/{DB}?options=-c%20default_transaction_read_only%3Don",
        "DATABASE_CONN_MAX_AGE": "0",
        "DATABASE_PRIMARY_RETRY_SECONDS": "0.5",
        "SEARCH_LOG_BATCH": "1000",
        "LOG_LEVEL": os.environ.get("OUTAGE_LOG_LEVEL", "CRITICAL"),
    }
)
os.environ.pop("REDIS_URL", None)


class Forwarder:
    """127.0.0.1:PORT → PostgreSQL on 5432, which can be closed (refused, connections cut) and opened."""

    def __init__(self, port: int):
        self.port, self.listener, self.sockets = port, None, []

    def open(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", 5432))
            self.sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, target), daemon=True).start()

    @staticmethod
    def pump(source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db.models.signals import post_save
    from django.test import Client
    from django.test.utils import override_settings

    # No collectstatic here: plain static storage, as in the tests.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    override_settings(STORAGES=storages).enable()

    from blog.models.comments import Comment
    from ops.write_behind import counts
    from search.models import UnansweredQuery
    from search.query_log import searches
    from tests.factories import comment_data, form_token

    primary = Forwarder(int(PORT))
    client = Client(raise_request_exception=False, headers={"Origin": "http://testserver"})
    seen = {}

    def comments() -> int:  # read on the replica's connection (the primary may be down)
        return Comment.objects.using("replica").filter(post_id=POST_ID).count()

    def answer(response) -> dict:
        return {
            "status": response.status_code,
            "retry_after": response.get("Retry-After"),
            "cache_control": response.get("Cache-Control"),
            "text": response.content.decode()[:3000],
        }

    def comment(body: str, url: str = FR_URL):
        return client.post(url, comment_data(body=body, started=form_token(60, POST_ID)))

    # 1. The primary is down from the start: reads from the replica, writes answered read-only.
    seen["home"] = client.get("/fr/").status_code
    seen["post"] = client.get(EN_URL).status_code
    seen["search"] = client.get("/fr/recherche/", {"q": "avocat"}).status_code
    seen["healthz_down"] = client.get("/healthz").json()
    before = comments()
    seen["comment_down_fr"] = answer(comment("Envoyé pendant la panne"))
    seen["comment_down_en"] = answer(comment("Sent during the outage", EN_URL))
    seen["admin_down"] = answer(client.get("/admin/login/"))
    seen["comments_after_outage"] = comments() - before
    seen["write_behind_down"] = counts()["search"]

    # 2. The primary comes back: the first write after the retry time tries it and succeeds.
    primary.open()
    time.sleep(0.6)
    seen["comment_back"] = comment("Envoyé après le retour").status_code
    seen["comments_after_return"] = comments() - before
    seen["healthz_back"] = client.get("/healthz").json()
    seen["flushed"] = searches.flush()
    seen["unanswered_rows"] = UnansweredQuery.objects.using("replica").filter(query_string="avocat").count()

    # 3. The primary goes away in the middle of a write (after the INSERT, before the COMMIT).
    def cut(sender, instance, created, **kwargs):
        if created and "coupure" in instance.body:
            primary.close()

    post_save.connect(cut, sender=Comment, dispatch_uid="cut")
    before = comments()
    seen["comment_cut"] = answer(comment("Envoyé pendant la coupure"))
    seen["comments_after_cut"] = comments() - before
    seen["home_after_cut"] = client.get("/fr/").status_code
    post_save.disconnect(dispatch_uid="cut")
    primary.open()
    time.sleep(0.6)
    seen["comments_after_cut_reopened"] = comments() - before
    seen["comment_resumed"] = comment("Envoyé ensuite").status_code
    seen["comments_resumed"] = comments() - before
    primary.close()
    sys.stdout.write(json.dumps(seen) + "\n")


if __name__ == "__main__":
    main()
