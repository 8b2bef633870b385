"""Lighthouse (mobile profile) on the main page types, in French and English.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--port 8851] [--database site_ordre_lighthouse]
        [--out test-results/lighthouse]

Serves the seeded site under gunicorn on PostgreSQL (database site_ordre_lighthouse, recreated),
runs node_modules/.bin/lighthouse with Debian's Chromium on each main page of tests/pages.py
(`main=True`: add a page type there to measure it), and prints the median of the four scores,
the bytes transferred on first view (compressed, from total-byte-weight), the number of requests
and any request to another host. Performance is noisy on shared cores: hence the median.
Exits non-zero when a median score is under --min (95) or a page makes a third-party request.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from site_server import ROOT, main_pages, seeded_site

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run_lighthouse(url: str, out_path: Path, attempts: int = 3) -> dict:
    for attempt in range(1, attempts + 1):
        # Lighthouse sometimes fails to record the trace on a busy machine (NO_NAVSTART): try again.
        proc = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out_path}"]
            + [f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            check=attempt == attempts,
            timeout=300,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")},
        )
        if proc.returncode == 0:
            break
    report = json.loads(out_path.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    return report


def summarize(report: dict, host: str) -> dict:
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    third_party = sorted(
        {item["url"] for item in requests if urlsplit(item["url"]).scheme in ("http", "https")}
        - {item["url"] for item in requests if urlsplit(item["url"]).netloc == host}
    )
    failed = [
        a
        for a in ("errors-in-console", "uses-long-cache-ttl", "uses-text-compression")
        if report["audits"][a]["score"] not in (1, None)
    ]
    return {
        **scores,
        "bytes": int(report["audits"]["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "third_party": third_party,
        "failed_audits": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="site_ordre_lighthouse", help="PostgreSQL database to recreate and seed")
    parser.add_argument("--port", type=int, default=8851)
    parser.add_argument("--min", type=int, default=95, help="lowest acceptable median score")
    parser.add_argument("--max-kb", type=int, default=100, help="largest acceptable first view, in KB")
    parser.add_argument("--out", type=Path, default=ROOT / "test-results" / "lighthouse")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    problems = []
    print(f"{'page':<28} {'perf':>4} {'a11y':>4} {'b-p':>4} {'seo':>4} {'KB':>6} {'req':>4}  third-party")
    with seeded_site(args.port, args.database) as base:
        host = urlsplit(base).netloc
        for name, language, path in main_pages():
            runs = []
            for run in range(args.runs):
                out_path = args.out / f"{name.replace(' ', '-')}-{language}-{run + 1}.json"
                runs.append(summarize(run_lighthouse(base + path, out_path), host))
            median = {key: statistics.median(r[key] for r in runs) for key in (*CATEGORIES, "bytes", "requests")}
            third_party = sorted({url for r in runs for url in r["third_party"]})
            failed = sorted({audit for r in runs for audit in r["failed_audits"]})
            label = f"{name} ({language})"
            print(
                f"{label:<28} {median['performance']:>4.0f} {median['accessibility']:>4.0f} "
                f"{median['best-practices']:>4.0f} {median['seo']:>4.0f} {median['bytes'] / 1024:>6.1f} "
                f"{median['requests']:>4.0f}  {', '.join(third_party) or 'none'}"
                + (f"  [audits not passed: {', '.join(failed)}]" if failed else "")
                + f"   perf runs: {[r['performance'] for r in runs]}"
            )
            low = [key for key in CATEGORIES if median[key] < args.min]
            if low:
                problems.append(f"{label}: {', '.join(low)} under {args.min}")
            if median["bytes"] > args.max_kb * 1024:
                problems.append(f"{label}: {median['bytes'] / 1024:.1f} KB over {args.max_kb} KB")
            if third_party:
                problems.append(f"{label}: third-party requests {third_party}")
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main()
