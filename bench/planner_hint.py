"""Search's match query with and without its planner hint (`SET LOCAL enable_seqscan = off`).

    python bench/planner_hint.py [--database site_ordre_searchbench] [--repeat 5]

Runs in one process on the database bench/search_large.py built (run that first). For each query
of search_large.py (search page and autocomplete) it captures the match SQL the real code runs,
then times `EXPLAIN ANALYZE` of it (planning + execution, median of --repeat) with and without the
hint, and says where the unhinted plan reads search_searchentry with a sequential scan.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from launch import PG_URL_BASE  # noqa: E402
from search_large import DB, SEARCH_QUERIES, SUGGEST_QUERIES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DB)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(
        {"DATABASE_URL": f"{PG_URL_BASE}/{args.database}", "DJANGO_SETTINGS_MODULE": "site_ordre.settings"}
    )
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from search.query import search_entries

    def match_sql(language: str, text: str, names_only: bool) -> str:
        with CaptureQueriesContext(connection) as queries:
            search_entries(text, language, limit=10 if names_only else 200, names_only=names_only)
        sqls = [query["sql"] for query in queries.captured_queries]
        return sqls[next(i for i, sql in enumerate(sqls) if "enable_seqscan" in sql) + 1]

    def explain(sql: str, hint: bool, analyze: bool):
        with transaction.atomic(), connection.cursor() as cursor:
            if hint:
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN ({'ANALYZE, ' if analyze else ''}FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            transaction.set_rollback(True)
        return plan if isinstance(plan, list) else json.loads(plan)

    def milliseconds(sql: str, hint: bool) -> float:
        runs = [explain(sql, hint, analyze=True)[0] for _run in range(args.repeat)]
        return statistics.median(run["Planning Time"] + run["Execution Time"] for run in runs)

    def scans(plan) -> bool:
        if isinstance(plan, dict):
            if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") == "search_searchentry":
                return True
            return any(scans(value) for value in plan.values())
        return isinstance(plan, list) and any(scans(item) for item in plan)

    totals = {True: [], False: []}
    for names_only, queries in ((False, SEARCH_QUERIES), (True, SUGGEST_QUERIES)):
        for language, text in queries:
            sql = match_sql(language, text, names_only)
            times = {hint: milliseconds(sql, hint) for hint in (True, False)}
            for hint, value in times.items():
                totals[hint].append(value)
            note = "  sequential scan without the hint" if scans(explain(sql, False, analyze=False)) else ""
            kind = "autocomplete" if names_only else "search"
            print(f"{kind:12} {language} {text!r:32} hint {times[True]:6.2f} ms  none {times[False]:6.2f} ms{note}")
    for hint, values in totals.items():
        values.sort()
        print(
            f"{'with the hint' if hint else 'without'}: median {statistics.median(values):.2f} ms, "
            f"p95 {values[int(len(values) * 0.95) - 1]:.2f} ms, sum {sum(values):.1f} ms ({len(values)} queries)"
        )


if __name__ == "__main__":
    main()
