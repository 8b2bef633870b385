"""Drill 9: an editor deletes the blog; the cluster is restored to a time before (pitr.py).

A base backup is taken; comment A is posted; the time T is noted; comment B is posted; an editor
deletes the blog index and all its posts (Wagtail's DeletePageAction, as the admin does). The
cluster is then restored to T. Checked: the blog answers again in both languages through Varnish
with as many pages as before, comment A is on the primary and on the rebuilt replica, comment B
is not, and the restore's report lists comment B (written after T: reported, not silently lost).

The issue's editor wants "one minute before" the mistake; a short drill picks T a few seconds
before it, between the two comments, which is what makes the check meaningful.
"""

import html
import time

from deploy.cluster import pitr
from deploy.cluster.load import Client

INDEX = {"fr": "/fr/blogue/", "en": "/en/blog/"}
DELETE_SCRIPT = """
from django.contrib.auth import get_user_model
from wagtail.actions.delete_page import DeletePageAction
from blog.models import BlogIndexPage
index = BlogIndexPage.objects.get(slug_fr="blogue")
user, _ = get_user_model().objects.get_or_create(username="drill-editor", defaults={"email": "drill@example.org"})
user.is_superuser = user.is_staff = True
user.save()
pages = index.get_descendants(inclusive=True).count()
DeletePageAction(index, user=user).execute()
print(index.path, pages)
"""


def comments(cluster, role: str, marker: str) -> int:
    return int(cluster.psql(role, f"SELECT count(*) FROM blog_comment WHERE body LIKE '%{marker}%'"))


def pages_under(cluster, path: str) -> int:
    return int(cluster.psql("primary", f"SELECT count(*) FROM wagtailcore_page WHERE path LIKE '{path}%'"))


def drill_restore(drill) -> dict:
    from deploy.cluster.drills import post_comment

    cluster = drill.cluster
    before, after = f"{drill.marker} before T", f"{drill.marker} after T"
    pitr.base_backup(cluster, keep=None, log=lambda _line: None)
    status_before = post_comment(cluster, before)
    time.sleep(1)
    target = pitr.db_now(cluster)
    time.sleep(1)
    status_after = post_comment(cluster, after)
    path, pages = cluster.manage("shell", "-c", DELETE_SCRIPT).split()[-2:]
    web = Client(cluster.base_url)
    gone = {lang: web.get(url).status for lang, url in INDEX.items()}
    deleted = pages_under(cluster, path) == 0

    started = time.monotonic()
    result = pitr.restore(cluster, target, log=lambda line: print(f"      {line}", flush=True))
    seconds = time.monotonic() - started

    back = {}
    deadline = time.monotonic() + 30  # the nodes reconnect to the restored primary
    while time.monotonic() < deadline:
        back = {lang: web.get(url) for lang, url in INDEX.items()}
        if all(answer.status == 200 for answer in back.values()):
            break
        time.sleep(0.5)
    served = {lang: answer.status for lang, answer in back.items()}
    titled = all("<html" in html.unescape(answer.text) for answer in back.values())
    restored_pages = pages_under(cluster, path)
    on_primary = comments(cluster, "primary", before)
    on_replica = 0
    deadline = time.monotonic() + 15
    while on_replica != 1 and time.monotonic() < deadline:
        on_replica = comments(cluster, "replica", before)
        time.sleep(0.3)
    lost = comments(cluster, "primary", after)
    written = result["written_after"]
    posted_after = written.get("blog_comment", {}).get("inserted", 0)
    pages_deleted = written.get("wagtailcore_page", {}).get("deleted", 0)
    counts = {table: found["count"] for table, found in result["report"].items()}
    lost_rows = result["rows_deleted_since"].get("blog_comment", {}).get("rows", [])
    reported = [row for row in lost_rows if after in row["body"]]
    ok = (
        deleted
        and all(status == 200 for status in served.values())
        and titled
        and restored_pages == int(pages)
        and on_primary == 1
        and on_replica == 1
        and lost == 0
        and posted_after == 1
        and pages_deleted == int(pages)
        and len(reported) == 1
    )
    note = (
        f"comments posted {status_before} (before T) and {status_after} (after T); the editor deleted "
        f"{pages} pages (blog answered {gone} after); restored to T in {seconds:.1f} s "
        f"({result['timings']}, timeline {result['timeline']}); blog after the restore {served}, "
        f"{restored_pages} pages; comment before T on primary {on_primary}, on the rebuilt replica "
        f"{on_replica}; comment after T in the restored database {lost}; the report (from the archived WAL) "
        f"lists {posted_after} comment posted and {pages_deleted} pages deleted after T, "
        f"and the comment itself in full ({len(reported)}, read from a scratch copy recovered to just before "
        f"the deletion); "
        f"{written.get('(transactions)', {}).get('committed', 0)} transactions in all; rows still in the old "
        f"database with a timestamp after T, per table: {counts}"
    )
    print(f"{'ok  ' if ok else 'FAIL'} 9. editor deletes the blog, restore to before — {note}", flush=True)
    return {"drill": "9. restore to a time", "note": note, "ok": ok, "seconds_to_restore": round(seconds, 1)}
