"""Drill 7 and the smoke run's read-only checks: the primary stopped, the site served from the replica.

Drill 7 (python deploy/cluster/cluster.py drills): mixed load through Varnish over pages, searches,
the guide's steps, feeds, open data and the sitemap, with the PostgreSQL primary stopped halfway
(`pg_ctl stop -m fast`). Every GET must answer 2xx/3xx; a comment POST sent while it is down gets the
read-only answer (503, Retry-After, French and English); both nodes stay in HAProxy's rotation and
their /healthz says "read-only". Then the primary is started again: the nodes say "read-write" by
themselves and a comment posted afterwards is stored.
"""

import json
import random
import re
import time
from urllib.parse import urlencode

from deploy.cluster.load import PAGES, SEARCHES, Client, LoadRun, haproxy_status
from deploy.cluster.services import HOST, Cluster

COMMENTED = {"fr": "/fr/blogue/qu-est-ce-qu-un-ordre-professionnel/", "en": "/en/blog/what-is-a-professional-order/"}
READ_ONLY_TEXT = {"fr": "temporairement en lecture seule", "en": "temporarily read-only"}
# What a visitor reads besides pages: the guide's steps, feeds, open data, the sitemap.
OTHER_READS = [
    "/fr/qui-contacter/?step=q2",
    "/en/who-do-i-contact/?step=r_syndic",
    "/fr/blogue/rss/",
    "/en/blog/atom/",
    "/data/directory.json",
    "/data/directory.csv",
    "/sitemap.xml",
]


def reading_path(rng: random.Random) -> str:
    """A third pages (some uncached), a third searches, a third guide, feeds, open data, sitemap."""
    draw = rng.random()
    if draw < 0.33:
        page = rng.choice(PAGES)
        return page if rng.random() < 0.5 else f"{page}?utm_source=drill{rng.randrange(10**9)}"
    if draw < 0.66:
        language, word = rng.choice([("fr", "recherche"), ("en", "search")]), rng.choice(SEARCHES)
        return f"/{language[0]}/{language[1]}/?{urlencode({'q': word})}"
    return rng.choice(OTHER_READS)


def node_mode(cluster: Cluster, number: int) -> str:
    health = Client(f"http://{HOST}:{cluster.ports.nodes[number - 1]}", https=True).get("/healthz")
    return json.loads(health.text).get("mode", f"HTTP {health.status}")


def read_only_post(cluster: Cluster, language: str) -> dict:
    """A comment POST through Varnish while the primary is down: what does the visitor get?"""
    client = Client(cluster.base_url)
    path = COMMENTED[language]
    fields = {"name": "Drill", "email": "drill@example.org", "body": "Sent while the primary is down", "website": ""}
    answer = client.post(path, fields, referer=f"https://{HOST}:{cluster.ports.varnish}{path}")
    text = answer.text.replace("\u00a0", " ").lower()
    other = "en" if language == "fr" else "fr"
    return {
        "status": answer.status,
        "retry_after": answer.headers.get("retry-after"),
        "read_only_header": answer.headers.get("x-read-only"),
        "both_languages": READ_ONLY_TEXT[language] in text and READ_ONLY_TEXT[other] in text,
    }


def post_comment(cluster: Cluster, body: str) -> int:
    client = Client(cluster.base_url)
    path = COMMENTED["en"]
    form = client.get(path).text
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    time.sleep(3.2)  # the form refuses answers sent faster than a person writes
    fields = {**hidden, "name": "Drill", "email": "drill@example.org", "body": body, "website": ""}
    return client.post(path, fields, referer=f"https://{HOST}:{cluster.ports.varnish}{path}").status


def read_only_checks(cluster: Cluster) -> list[tuple[str, bool]]:
    """The smoke run's last part: primary stopped, one uncached page and a search, one POST, /healthz."""
    cluster.pg_ctl("primary", "stop", mode="fast")
    web = Client(cluster.base_url)
    page = web.get(f"/fr/ordres/?utm_source=smoke{time.monotonic_ns()}")
    search = web.get("/en/search/?q=nurse")
    posted = read_only_post(cluster, "fr")
    modes = [node_mode(cluster, number) for number in range(1, len(cluster.ports.nodes) + 1)]
    return [
        ("primary stopped: uncached page and search 200 from the replica", (page.status, search.status) == (200, 200)),
        (
            "primary stopped: comment POST gets the read-only answer",
            posted["status"] == 503 and posted["retry_after"] and posted["both_languages"],
        ),
        ("primary stopped: /healthz says read-only", modes == ["read-only"] * len(modes)),
    ]


def drill_stop_primary(cluster: Cluster, seconds: float, report) -> dict:
    run = LoadRun(cluster.base_url, seconds, choose=reading_path)
    seen: dict = {}

    def stop():
        seen["stopped_at"] = time.monotonic() - run.started
        cluster.pg_ctl("primary", "stop", mode="fast")
        time.sleep(1.5)  # let the nodes notice
        seen["post_fr"] = read_only_post(cluster, "fr")
        seen["post_en"] = read_only_post(cluster, "en")
        seen["modes"] = [node_mode(cluster, number) for number in range(1, len(cluster.ports.nodes) + 1)]
        seen["haproxy"] = sorted(haproxy_status(cluster.ports.stats).values())

    run.run(halfway=stop)
    summary = run.summary()
    after = run.summary(since=seen["stopped_at"])
    kinds = {
        kind: sum(1 for s in run.samples if s.at >= seen["stopped_at"] and test(s.path) and 200 <= s.status < 400)
        for kind, test in (
            ("pages", lambda p: "recherche" not in p and "search" not in p and p not in OTHER_READS),
            ("searches", lambda p: "/recherche/" in p or "/search/" in p),
            ("guide", lambda p: "step=" in p),
            ("feeds", lambda p: p.endswith(("/rss/", "/atom/"))),
            ("open data and sitemap", lambda p: p.startswith(("/data/", "/sitemap"))),
        )
    }
    started = time.monotonic()
    cluster.pg_ctl("primary", "start")
    while time.monotonic() - started < 30 and any(
        node_mode(cluster, n) != "read-write" for n in range(1, len(cluster.ports.nodes) + 1)
    ):
        time.sleep(0.2)
    back_after = time.monotonic() - started
    marker = f"after the outage {random.randrange(10**6)}"
    status = post_comment(cluster, marker)
    stored = int(cluster.psql("primary", f"SELECT count(*) FROM blog_comment WHERE body = '{marker}'"))
    posts_ok = all(
        seen[name]["status"] == 503 and seen[name]["retry_after"] and seen[name]["both_languages"]
        for name in ("post_fr", "post_en")
    )
    ok = (
        summary["errors"] == 0
        and posts_ok
        and seen["modes"] == ["read-only"] * len(seen["modes"])
        and all(status.startswith("UP") for status in seen["haproxy"])
        and status == 302
        and stored == 1
    )
    note = (
        f"primary stopped at {seen['stopped_at']:.1f} s; after that {after['requests']} requests, "
        f"{after['errors']} errors, p50 {after['p50_ms']} ms, p95 {after['p95_ms']} ms; answered 2xx/3xx after the "
        f"stop: {kinds}; comment POST while down: fr {seen['post_fr']}, en {seen['post_en']}; nodes' /healthz: "
        f"{seen['modes']}; HAProxy: {seen['haproxy']}; primary started again: read-write on every node in "
        f"{back_after:.1f} s; a comment posted then answered {status}, stored: {stored}"
    )
    return report("7. primary stopped halfway (read-only from the replica)", summary, note, ok)
