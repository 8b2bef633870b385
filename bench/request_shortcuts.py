"""Measure what the two request shortcuts of ops.cache save on an uncached page view.

    python bench/request_shortcuts.py [--rounds 15] [--requests 15] [--database site_ordre_bench]

Runs in one process on the database run_directory.py built (run that first), page cache off, and
compares the CPU time per request of each page with both shortcuts on, without the cached `Site`
(ops.cache.site_for_request: Wagtail then looks the site up itself) and without the "no page is
private" flag (ops.cache.any_page_view_restriction: Wagtail then runs its restriction queries).
The variants alternate within each round, so a busy machine slows them alike; the medians of
the rounds are printed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import run_directory

PAGES = {name: path for name, path in run_directory.PAGES.items() if not path.startswith("/bench/")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database", default=run_directory.DATABASE)
    args = parser.parse_args()
    run_directory.DATABASE = args.database
    os.environ.update({**run_directory.env(), "ALLOWED_HOSTS": "testserver"})

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Site

    import home.models
    import ops.middleware

    cached_site, restriction_flag = ops.middleware.site_for_request, home.models.any_page_view_restriction
    variants = {
        "both shortcuts": (cached_site, restriction_flag),
        "no cached Site": (Site.find_for_request, restriction_flag),
        "no private flag": (cached_site, lambda: True),
    }
    client = Client()
    times = {(variant, page): [] for variant in variants for page in PAGES}
    queries = {}
    for _round in range(args.rounds):
        for variant, (site_lookup, any_restriction) in variants.items():
            ops.middleware.site_for_request, home.models.any_page_view_restriction = site_lookup, any_restriction
            for page, path in PAGES.items():
                client.get(path)  # warm-up
                start = time.process_time()
                for _ in range(args.requests):
                    client.get(path)
                times[variant, page].append((time.process_time() - start) * 1000 / args.requests)
                if (variant, page) not in queries:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(path)
                    queries[variant, page] = len(captured)
    print(f"CPU ms per request (median of {args.rounds} rounds of {args.requests}), SQL queries in brackets")
    print(f"{'page':24}" + "".join(f"{variant:>20}" for variant in variants))
    for page in PAGES:
        cells = [f"{statistics.median(times[v, page]):12.2f} ({queries[v, page]:2d})" for v in variants]
        print(f"{page:24}" + "".join(f"{cell:>20}" for cell in cells))


if __name__ == "__main__":
    main()
