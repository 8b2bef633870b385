"""Test data builders: small, valid directory data files of any size."""

import copy
import json

from professions.loading import DATA_FILE

_REAL = json.loads(DATA_FILE.read_text(encoding="utf-8"))


def directory_data(orders: int, professions_per_order: int = 1) -> dict:
    """A valid directory data dict with `orders` synthetic orders, built from the real file's shape."""
    template = _REAL["orders"][0]
    data = {"sectors": copy.deepcopy(_REAL["sectors"]), "pages": copy.deepcopy(_REAL["pages"]), "orders": []}
    sector_keys = [sector["key"] for sector in data["sectors"]]
    for number in range(orders):
        order = copy.deepcopy(template)
        order.update(
            {
                "key": f"ordre-test-{number}",
                "slug_fr": f"ordre-test-{number}",
                "slug_en": f"test-order-{number}",
                "name_fr": f"Ordre des testeurs {number} du Québec",
                "sort_fr": f"testeur {number:03d}",
                "sort_en": f"tester {number:03d}",
                "sector": sector_keys[number % len(sector_keys)],
                "practice": "exclusive" if number % 2 else "reserved_title",
                "acronym": f"OT{number}",
            }
        )
        order["professions"] = []
        for index in range(professions_per_order):
            profession = copy.deepcopy(template["professions"][0])
            profession.update(
                {
                    "key": f"testeur-{number}-{index}",
                    "slug_fr": f"testeur-{index}",
                    "slug_en": f"tester-{index}",
                    "title_fr": f"Testeur {number}-{index}",
                    "title_en": f"Tester {number}-{index}",
                }
            )
            order["professions"].append(profession)
        data["orders"].append(order)
    return data


def data_query_count(captured) -> int:
    """Queries that read or write data: savepoints come from ATOMIC_REQUESTS inside the test transaction."""
    return sum(1 for query in captured.captured_queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE")))
