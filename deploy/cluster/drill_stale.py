"""Drill 8, both app nodes stopped: Varnish serves its copies stale and the site's own 503 page.

    python deploy/cluster/drill_stale.py [--seconds 12] [--source URL]   # start, this drill, stop

The nodes are first restarted with a 3-second s-maxage (CDN_CACHE_SECONDS=3), the public pages
fetched into Varnish and left to expire, so every copy served afterwards is stale, not merely
cached. Then both nodes are stopped (TERM) and a mixed load runs at once, before Varnish's probe
has noticed: the expired pages must all answer 200 from the stale copies; everything else (pages
with a campaign tag, searches, a comment POST) the site's own 503 page in the URL's language with
Retry-After, never "Backend fetch failed" or HAProxy's "No server is available". The nodes are
then started again as they were. shield_checks() is the smoke run's one-request version.
"""

import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.cluster.load import PAGES, Client, haproxy_status, mixed_path
from deploy.cluster.services import HERE, HOST, PY, REPO, Cluster, http_status

ERRORS = HERE / "errors"
COMMENTED = "/en/blog/what-is-a-professional-order/"


def site_503(language: str) -> str:
    return (ERRORS / f"503.{language}.html").read_text()


def is_site_503(answer, language: str) -> bool:
    """The site's own 503 page in that language, with Retry-After (not a proxy's generic page)."""
    return (
        answer.status == 503
        and answer.text == site_503(language)
        and answer.headers.get("retry-after") == "60"
        and answer.headers.get("content-language") == language
    )


def language_of(path: str) -> str:
    return "en" if path.startswith("/en/") else "fr"


def restart_nodes(cluster: Cluster, **env: str) -> None:
    """Both nodes stopped and started again, with these settings on top of the usual ones."""
    for number in range(1, len(cluster.ports.nodes) + 1):
        cluster.kill(f"node{number}")
        port = cluster.ports.nodes[number - 1]
        command = [str(Path(PY).parent / "gunicorn"), "site_ordre.wsgi"]
        cluster.spawn(f"node{number}", command, env={**cluster.site_env(port), **env}, cwd=REPO)
    for number in range(1, len(cluster.ports.nodes) + 1):
        cluster.wait_node(number)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # HAProxy has both nodes up, and Varnish's probe has seen it
        up = all(status.startswith("UP") for status in haproxy_status(cluster.ports.stats).values())
        if up and http_status(f"{cluster.base_url}/healthz") == 200:
            return
        time.sleep(0.3)
    raise RuntimeError("the nodes did not come back into rotation within 30 s")


def stop_nodes(cluster: Cluster) -> None:
    for number in range(1, len(cluster.ports.nodes) + 1):
        cluster.kill(f"node{number}")


def expire_in_varnish(cluster: Cluster, web: Client) -> int:
    """Every public page fetched afresh into Varnish with a 3 s lifetime, then left to expire."""
    for path in PAGES:
        http_status(f"{cluster.base_url}{path}", method="PURGE")
        web.get(path)
    stored = sum(web.get(path).headers.get("x-cache") == "hit" for path in PAGES)
    time.sleep(4)
    return stored


def run_load(base_url: str, seconds: float, threads: int = 4) -> list[dict]:
    """Mixed GETs (half stored pages) and now and then a comment POST; every answer judged."""
    samples, lock = [], threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng, client = random.Random(seed), Client(base_url)
        while time.monotonic() < stop_at:
            path = mixed_path(rng)
            post = rng.random() < 0.05
            sent = time.monotonic()
            try:
                if post:
                    referer = f"https://{HOST}{COMMENTED}"
                    answer = client.post(COMMENTED, {"name": "Drill", "body": "stale drill"}, referer=referer)
                    path = f"POST {COMMENTED}"
                else:
                    answer = client.get(path)
            except OSError:
                client.close()
                answer = None
            sample = {
                "path": path,
                "stored": not post and path in PAGES,
                "ms": (time.monotonic() - sent) * 1000,
                "status": answer.status if answer else 0,
                "cache": answer.headers.get("x-cache", "") if answer else "",
                "site_503": answer is not None and is_site_503(answer, language_of(path.split()[-1])),
                "text": answer.text[:80] if answer and answer.status >= 500 else "",
            }
            with lock:
                samples.append(sample)

    workers = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=seconds + 30)
    return samples


def drill_stale(cluster: Cluster, seconds: float) -> dict:
    """Drill 8 (see the module's docstring); the cluster is as before afterwards."""
    restart_nodes(cluster, CDN_CACHE_SECONDS="3")
    web = Client(cluster.base_url)
    stored = expire_in_varnish(cluster, web)
    stopped_at = time.monotonic()
    stop_nodes(cluster)
    stop_s = time.monotonic() - stopped_at
    samples = run_load(cluster.base_url, seconds)
    cached = [s for s in samples if s["stored"]]
    others = [s for s in samples if not s["stored"]]
    cached_errors = [s for s in cached if s["status"] != 200]
    generic = [s for s in others if not s["site_503"]]
    stale = sum(s["cache"] == "stale" for s in cached)
    latencies = sorted(s["ms"] for s in cached) or [0.0]
    restart_nodes(cluster)
    after = Client(cluster.base_url).get(PAGES[0])
    ok = stored == len(PAGES) and not cached_errors and not generic and bool(cached) and after.status == 200
    note = (
        f"{stored} of {len(PAGES)} pages stored with a 3 s lifetime and expired; nodes stopped in {stop_s:.1f} s; "
        f"{len(cached)} GETs of stored pages: {len(cached) - len(cached_errors)} × 200 ({stale} marked stale), "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms; "
        f"{len(others)} other requests (tagged pages, searches, comment POSTs): "
        f"{len(others) - len(generic)} got the site's 503 page with Retry-After; nodes back: {after.status}"
    )
    print(f"{'ok  ' if ok else 'FAIL'} 8. both app nodes stopped — {note}", flush=True)
    if cached_errors or generic:
        print(f"      errors: {sorted({(s['status'], s['path'], s['text']) for s in cached_errors + generic})[:5]}")
    return {
        "drill": "8. both app nodes stopped",
        "requests": len(samples),
        "errors": len(cached_errors) + len(generic),
        "note": note,
        "ok": ok,
    }


def shield_checks(cluster: Cluster) -> list[tuple[str, bool]]:
    """For the smoke run, at its end: both nodes stopped, a stored page and a page that is not."""
    web = Client(cluster.base_url)
    web.get("/fr/")
    stop_nodes(cluster)
    stored = web.get("/fr/")
    unknown = web.get("/en/orders/?utm_source=smoke")
    return [
        ("nodes down: Varnish still serves a stored page", stored.status == 200),
        ("nodes down: the site's 503 page, in English, with Retry-After", is_site_503(unknown, "en")),
    ]


def main() -> int:
    import argparse

    from deploy.cluster.cluster import remember, run

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", help="postgres:// URL of a migrated, seeded database to copy")
    parser.add_argument("--seconds", type=float, default=12)
    args = parser.parse_args()

    def body(cluster: Cluster) -> int:
        cluster.start(source_url=args.source)
        remember(cluster)
        return 0 if drill_stale(cluster, args.seconds)["ok"] else 1

    return run(Cluster(durable=False), body)


if __name__ == "__main__":
    sys.exit(main())
