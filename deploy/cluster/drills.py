"""The fault drills, in one bounded run (python deploy/cluster/cluster.py drills).

1. warm mixed load through Varnish → HAProxy → two nodes: no error;
2. one app node killed (SIGKILL) halfway: at most 0.1 % failed, none once HAProxy marks it down;
3. the replica stopped halfway: no error, reads move to the primary;
4. Redis stopped halfway: no error (slower);
5. an editor publishes on node 1 while the replica's replay is paused (a replica behind): node 2
   and Varnish serve the new text in both languages within 2 s;
6. everything restarted: the comment posted and the page published during the drills are there;
7. the primary stopped halfway: read-only from the replica (drill_readonly.py);
8. both app nodes stopped: Varnish serves its expired copies stale, the site's 503 page for the rest
   (drill_stale.py);
9. an editor deletes the blog; the cluster is restored to a time before (drill_restore.py).

A drill is a function taking a DrillRun and returning its result (a dict with "drill", "ok" and
"note"); DRILLS lists them by number, in the order they run (`drills --only 2,9` runs some).
A drill leaves the cluster running as it found it.
"""

import html
import json
import os
import re
import secrets
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from deploy.cluster.drill_restore import drill_restore
from deploy.cluster.drill_stale import drill_stale
from deploy.cluster.load import Client, LoadRun, StatusWatch, haproxy_status
from deploy.cluster.services import HOST, Cluster

COMMENTED = "/en/blog/what-is-a-professional-order/"
PUBLISHED = {"fr": "/fr/accessibilite/", "en": "/en/accessibility/"}
DRAFT_SCRIPT = """
from django.contrib.auth import get_user_model
from wagtail.models import Page
page = Page.objects.get(slug_fr="accessibilite").specific
page.title_fr = "Accessibilité — {marker}"
page.title_en = "Accessibility — {marker}"
page.save_revision()
User = get_user_model()
user, _ = User.objects.get_or_create(username="drill-editor", defaults={{"email": "drill@example.org"}})
user.is_superuser = user.is_staff = True
user.set_password("{password}")
user.save()
print(page.pk)
"""


@dataclass
class DrillRun:
    cluster: Cluster
    seconds: float  # of load, for the load drills
    marker: str  # in the comment and the title the drills write
    notes: dict = field(default_factory=dict)  # what one drill leaves for a later one


def report(name: str, summary: dict, note: str = "", ok: bool = True) -> dict:
    line = (
        f"{'ok  ' if ok else 'FAIL'} {name}: {summary['requests']} requests, {summary['errors']} errors, "
        f"{summary['req_s']} req/s, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms"
    )
    print(line + (f" — {note}" if note else ""), flush=True)
    if summary["error_samples"]:
        print(f"      errors: {summary['error_samples']}", flush=True)
    return {"drill": name, **summary, "note": note, "ok": ok}


def rows_read(cluster: Cluster, role: str) -> int:
    """Rows this server has read for queries on the site's database (its statistics)."""
    sql = "SELECT tup_fetched + tup_returned FROM pg_stat_database WHERE datname = current_database()"
    return int(cluster.psql(role, sql))


def drill_warm(drill: DrillRun) -> dict:
    run = LoadRun(drill.cluster.base_url, drill.seconds).run()
    summary = run.summary()
    return report("1. warm mixed load", summary, ok=summary["errors"] == 0)


def drill_kill_node(drill: DrillRun) -> dict:
    cluster, seconds = drill.cluster, drill.seconds
    run = LoadRun(cluster.base_url, seconds)
    killed_at = {}

    def crash():  # SIGKILL to the node's whole process group: a crash, not a graceful stop
        process = cluster.processes.pop("node2")
        killed_at["t"] = time.monotonic() - run.started
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    with StatusWatch(cluster.ports.stats, time.monotonic()) as watch:
        run.run(halfway=crash, started=watch.started)
    down_at = watch.down_at.get("node2")
    summary = run.summary()
    after = run.summary(since=down_at) if down_at is not None else None
    share = summary["errors"] / max(summary["requests"], 1)
    note = (
        f"node 2 killed at {killed_at['t']:.1f} s, HAProxy marked it DOWN at "
        f"{down_at:.1f} s; after that: {after['requests']} requests, {after['errors']} errors"
        if after
        else "HAProxy never marked node 2 down"
    )
    ok = after is not None and after["errors"] == 0 and share <= 0.001
    result = report("2. one app node killed halfway", summary, note, ok)
    cluster.start_node(2)
    cluster.wait_node(2)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and haproxy_status(cluster.ports.stats).get("node2", "").startswith("DOWN"):
        time.sleep(0.3)
    return result


def drill_stop_replica(drill: DrillRun) -> dict:
    cluster, seconds = drill.cluster, drill.seconds
    run = LoadRun(cluster.base_url, seconds)
    primary, replica = [rows_read(cluster, "primary")], [rows_read(cluster, "replica")]

    def stop():
        primary.append(rows_read(cluster, "primary"))
        replica.append(rows_read(cluster, "replica"))
        cluster.pg_ctl("replica", "stop", mode="fast")

    run.run(halfway=stop)
    primary.append(rows_read(cluster, "primary"))
    health = json.loads(Client(f"http://{HOST}:{cluster.ports.nodes[0]}", https=True).get("/healthz").text)
    summary = run.summary()
    half = seconds / 2
    note = (
        f"rows read/s on the replica {(replica[1] - replica[0]) / half:.0f} and on the primary "
        f"{(primary[1] - primary[0]) / half:.0f} before the stop; on the primary "
        f"{(primary[2] - primary[1]) / half:.0f} after; a node's /healthz: {health}"
    )
    result = report("3. replica stopped halfway", summary, note, summary["errors"] == 0)
    cluster.pg_ctl("replica", "start")
    return result


def drill_stop_redis(drill: DrillRun) -> dict:
    cluster, seconds = drill.cluster, drill.seconds
    drill.notes["comment_status"] = post_comment(cluster, drill.marker)  # while the caches are up
    run = LoadRun(cluster.base_url, seconds)
    run.run(halfway=lambda: cluster.kill("redis", wait=5))
    summary = run.summary()
    before, after = run.summary(until=seconds / 2), run.summary(since=seconds / 2)
    note = (
        f"p50 {before['p50_ms']} → {after['p50_ms']} ms, p95 {before['p95_ms']} → {after['p95_ms']} ms, "
        f"{before['req_s']} → {after['req_s']} req/s"
    )
    result = report("4. Redis stopped halfway", summary, note, summary["errors"] == 0)
    cluster.start_redis()
    return result


def login(client: Client, password: str) -> None:
    page = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": "drill-editor", "password": password},
        referer=f"https://{client.host}:{client.port}/admin/login/",
    )
    if answer.status != 302:
        raise RuntimeError(f"admin login on node 1 answered {answer.status}")


def drill_publish(drill: DrillRun) -> dict:
    cluster, marker = drill.cluster, drill.marker
    password = secrets.token_urlsafe(16)
    page_id = cluster.manage("shell", "-c", DRAFT_SCRIPT.format(marker=marker, password=password)).split()[-1]
    web = Client(cluster.base_url)
    node2 = Client(f"http://{HOST}:{cluster.ports.nodes[1]}", https=True)
    for path in PUBLISHED.values():  # Varnish and the page cache hold the old page
        web.get(path), web.get(path), node2.get(path)
    held = all(web.get(path).headers.get("x-cache") == "hit" for path in PUBLISHED.values())
    cluster.psql("replica", "SELECT pg_wal_replay_pause()")
    editor = Client(f"http://{HOST}:{cluster.ports.nodes[0]}", https=True)
    login(editor, password)
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', editor.get(url).text).group(1)
    published_at = time.monotonic()
    answer = editor.post(url, {"csrfmiddlewaretoken": token}, referer=f"https://{HOST}:{cluster.ports.nodes[0]}{url}")
    returned = time.monotonic() - published_at
    seen: dict[str, float] = {}
    while len(seen) < 4 and time.monotonic() - published_at < 10:
        for language, path in PUBLISHED.items():
            for name, client in (("Varnish", web), ("node 2", node2)):
                if f"{name} {language}" not in seen and marker in html.unescape(client.get(path).text):
                    seen[f"{name} {language}"] = time.monotonic() - published_at
        time.sleep(0.05)
    cluster.psql("replica", "SELECT pg_wal_replay_resume()")
    slowest = max(seen.values()) if len(seen) == 4 else None
    ok = answer.status in (200, 302) and slowest is not None and slowest <= 2 and held
    detail = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(seen.items()))
    note = (
        f"publish answered {answer.status} in {returned:.2f} s with the replica's replay paused; "
        f"Varnish held the old page: {held}; new title seen: {detail or 'never'}"
    )
    print(f"{'ok  ' if ok else 'FAIL'} 5. editor publishes on node 1 — {note}", flush=True)
    return {"drill": "5. publish on node 1", "note": note, "ok": ok, "slowest_s": slowest}


def post_comment(cluster: Cluster, marker: str) -> int:
    client = Client(cluster.base_url)
    form = client.get(COMMENTED).text
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    time.sleep(3.2)  # the form refuses answers sent faster than a person writes
    fields = {**hidden, "name": "Drill", "email": "drill@example.org", "body": f"Comment {marker}", "website": ""}
    return client.post(COMMENTED, fields, referer=f"https://{HOST}:{cluster.ports.varnish}{COMMENTED}").status


def drill_restart(drill: DrillRun) -> dict:
    cluster, marker = drill.cluster, drill.marker
    if "comment_status" not in drill.notes:
        drill.notes["comment_status"] = post_comment(cluster, marker)
    comment_status = drill.notes["comment_status"]
    published = "publish" in drill.notes.get("ran", ())
    started = time.monotonic()
    cluster.stop()
    cluster.start(fresh=False, log=lambda _line: None)
    restarted = time.monotonic() - started
    comments = int(cluster.psql("primary", f"SELECT count(*) FROM blog_comment WHERE body LIKE '%{marker}%'"))
    on_replica = int(cluster.psql("replica", f"SELECT count(*) FROM blog_comment WHERE body LIKE '%{marker}%'"))
    web = Client(cluster.base_url)
    titles = {language: marker in html.unescape(web.get(path).text) for language, path in PUBLISHED.items()}
    ok = comments == 1 and on_replica == 1 and (all(titles.values()) or not published)
    note = (
        f"restarted in {restarted:.1f} s; comment (posted: {comment_status}) on primary {comments}, "
        f"on replica {on_replica}; published title served fr/en: {titles}"
    )
    print(f"{'ok  ' if ok else 'FAIL'} 6. restart everything — {note}", flush=True)
    return {"drill": "6. restart everything", "note": note, "ok": ok}


def drills(cluster: Cluster, source: str | None, seconds: float, only: list[str] | None = None) -> int:
    from deploy.cluster.state import record

    cluster.start(source_url=source)
    record(cluster)
    drill = DrillRun(cluster, seconds, f"drill {secrets.token_hex(3)}")
    chosen = [number for number in DRILLS if only is None or number in only]
    print(f"\ndrills {', '.join(chosen)}: {seconds:.0f} s of load each, 6 threads, through Varnish", flush=True)
    LoadRun(cluster.base_url, 4).run()  # warm-up, not counted
    results = []
    for number in chosen:
        results.append(DRILLS[number](drill))
        drill.notes.setdefault("ran", []).append(DRILLS[number].__name__.removeprefix("drill_"))
        record(cluster)  # drills restart processes: `down` must know the new ones
    print(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    return 0 if all(result["ok"] for result in results) else 1


def drill_read_only(drill: DrillRun) -> dict:
    from deploy.cluster.drill_readonly import drill_stop_primary

    return drill_stop_primary(drill.cluster, drill.seconds, report)


def drill_nodes_down(drill: DrillRun) -> dict:
    return drill_stale(drill.cluster, drill.seconds / 2)


DRILLS: dict[str, Callable[[DrillRun], dict]] = {
    "1": drill_warm,
    "2": drill_kill_node,
    "3": drill_stop_replica,
    "4": drill_stop_redis,
    "5": drill_publish,
    "6": drill_restart,
    "7": drill_read_only,
    "8": drill_nodes_down,
    "9": drill_restore,
}
