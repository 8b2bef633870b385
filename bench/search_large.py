"""Search and autocomplete latency on a large synthetic directory, in the process and over HTTP.

    python bench/search_large.py [--quick] [--skip-setup] [--professions 20000] [--posts 5000]
                                 [--repeat 10] [--seconds 10] [--connections 4] [--workers 2]
                                 [--database site_ordre_searchbench] [--port 8950] [--no-http]

Needs PostgreSQL on 127.0.0.1:5432 and `wrk`. Recreates the database named by --database
(migrate, seed_site for the real directory), then adds --professions synthetic professions and
--posts synthetic blog posts, in French and English (two SearchEntry rows each), written in bulk:
one bare, unpublished `wagtailcore.Page` row per synthetic page (bulk_create under a holder page
outside any site, since entries need a page of their own per language) and the entries with
names, codes, other-language names and body text built from the real directory's vocabulary
(invented prefixes/suffixes, qualifiers, regions, acronyms), the vocabulary of the names
(search.indexing.rebuild_words), then ANALYZE.

In the process: Django's test Client calls the real views (/fr/recherche/?q= and
/fr/recherche/suggestions/?q=, and their English URLs) over a fixed list of queries (exact,
missing accents, plurals, typos, prefixes, acronyms, other language, multi-word, no result),
--repeat times each after one warm-up pass, and reports p50/p95/max in ms, with the time of the
query function alone (search.query.search_entries). Over HTTP: gunicorn (--workers, never
recycled: --max-requests 0 overrides gunicorn.conf.py) on 127.0.0.1:--port and wrk with a Lua
script rotating the same queries; the server is stopped at the end. --quick: 2,000 professions,
500 posts, 3 repetitions, 3-second wrk runs.
Targets (2 cores, in the process): search p95 < 50 ms, autocomplete p95 < 20 ms.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
import urllib.request
import uuid
from urllib.parse import quote

from launch import HOST, ROOT, gunicorn, recreate_database, site_env, wrk

PORT, DB = 8950, "site_ordre_searchbench"
SEARCH_TARGET_MS, SUGGEST_TARGET_MS = 50, 20

# (language, what people type): the search page.
SEARCH_QUERIES = [
    ("fr", "ingénieur"),  # exact
    ("fr", "ingenieur"),  # accent missing
    ("fr", "infirmières"),  # plural, feminine
    ("fr", "infirmieres"),
    ("en", "nurses"),
    ("en", "engineers"),
    ("fr", "dentsite"),  # typos
    ("en", "optometrst"),
    ("fr", "psycohlogue"),
    ("fr", "infir"),  # prefixes
    ("en", "kinesi"),
    ("fr", "OIQ"),  # acronyms
    ("en", "cpa"),
    ("fr", "ing."),
    ("fr", "lawyer"),  # other language
    ("en", "avocat"),
    ("en", "midwife"),
    ("fr", "sage femme"),  # multi-word
    ("fr", "sages-femmes"),
    ("fr", "arpenteur geometre"),
    ("fr", "neurothérapeute pédiatrique"),
    ("fr", "comment choisir un notaire"),
    ("en", "forensic accountant"),
    ("en", "how to file a complaint"),
    ("fr", "protection du public"),
    ("fr", "huissière"),
    ("en", "doctor"),
    ("fr", "ergothérapeute montérégie"),
    ("fr", "qwxzv"),  # no result
    ("en", "zzyzx blorft"),
]
# (language, a situation in people's words): understood by search.understanding, search page and autocomplete.
QUESTIONS = [
    ("fr", "plainte contre mon dentiste"),
    ("fr", "mon notaire me facture trop"),
    ("fr", "vérifier un ingénieur"),
    ("fr", "faux psychologue"),
    ("fr", "mon courtier immobilier"),
    ("fr", "entrepreneur en construction"),
    ("fr", "plainte CLSC"),
    ("fr", "contester une décision du conseil de discipline"),
    ("en", "complaint against my pharmacist"),
    ("en", "my accountant overcharged me"),
    ("en", "check if my physiotherapist is licensed"),
    ("en", "travel agency refund"),
    ("en", "police misconduct"),
    ("fr", "mon avocate a gardé mon argent"),
    ("fr", "plainte contre mon dentsite"),
    ("en", "how to complain about my doctor"),
]
# (language, what people type): the header box, as letters come.
SUGGEST_QUERIES = [
    ("fr", "in"),
    ("fr", "inf"),
    ("fr", "infir"),
    ("fr", "ing"),
    ("fr", "ingé"),
    ("fr", "den"),
    ("fr", "dentsite"),
    ("fr", "psy"),
    ("fr", "av"),
    ("fr", "sage f"),
    ("fr", "OIQ"),
    ("fr", "méd"),
    ("fr", "arp"),
    ("fr", "huis"),
    ("fr", "kinés"),
    ("fr", "neuro"),
    ("fr", "ergo"),
    ("fr", "techn"),
    ("fr", "qwx"),
    ("en", "nur"),
    ("en", "eng"),
    ("en", "law"),
    ("en", "doc"),
    ("en", "optom"),
    ("en", "cpa"),
    ("en", "phys"),
    ("en", "ortho"),
    ("en", "bio"),
    ("en", "midw"),
    ("en", "zzy"),
]
PATHS = {"fr": ("/fr/recherche/", "/fr/recherche/suggestions/"), "en": ("/en/search/", "/en/search/suggestions/")}

# --- Synthetic vocabulary (French, English) --------------------------------------------------
PREFIXES = [
    ("neuro", "neuro"), ("psycho", "psycho"), ("kinési", "kinesi"), ("ortho", "ortho"), ("géo", "geo"),
    ("hydro", "hydro"), ("agro", "agro"), ("bio", "bio"), ("cardio", "cardio"), ("dermato", "dermato"),
    ("radio", "radio"), ("socio", "socio"), ("physio", "physio"), ("ergo", "ergo"), ("audio", "audio"),
    ("techno", "techno"), ("éco", "eco"), ("pharmaco", "pharmaco"), ("chrono", "chrono"), ("thermo", "thermo"),
    ("sylvi", "silvi"), ("acousti", "acousti"), ("nutri", "nutri"), ("podo", "podo"), ("ophtalmo", "ophthalmo"),
]  # fmt: skip
ROOTS = [
    ("logue", "logist"), ("thérapeute", "therapist"), ("technicien", "technician"), ("graphe", "grapher"),
    ("métricien", "metrician"), ("pédagogue", "pedagogue"), ("analyste", "analyst"), ("conseiller", "counsellor"),
    ("éducateur", "educator"), ("praticien", "practitioner"), ("iste", "ist"), ("nome", "nomist"),
]  # fmt: skip
FEMININE = [("technicien", "technicienne"), ("praticien", "praticienne"), ("conseiller", "conseillère"),
            ("éducateur", "éducatrice"), ("métricien", "métricienne"), ("ingénieur", "ingénieure")]  # fmt: skip
QUALIFIERS = [
    ("clinicien", "clinical"), ("en santé mentale", "in mental health"), ("industriel", "industrial"),
    ("forestier", "forestry"), ("agréé", "chartered"), ("principal", "senior"), ("en environnement", "environmental"),
    ("pédiatrique", "paediatric"), ("du travail", "occupational"), ("en réadaptation", "rehabilitation"),
    ("municipal", "municipal"), ("minier", "mining"), ("agricole", "agricultural"), ("maritime", "marine"),
    ("judiciaire", "forensic"), ("scolaire", "school"), ("sportif", "sports"), ("gériatrique", "geriatric"),
    ("numérique", "digital"), ("en alimentation", "food"), ("hospitalier", "hospital"), ("communautaire", "community"),
]  # fmt: skip
REGIONS = [
    "Abitibi-Témiscamingue", "Bas-Saint-Laurent", "Capitale-Nationale", "Centre-du-Québec", "Chaudière-Appalaches",
    "Côte-Nord", "Estrie", "Gaspésie", "Lanaudière", "Laurentides", "Laval", "Mauricie", "Montérégie", "Montréal",
    "Nord-du-Québec", "Outaouais", "Saguenay–Lac-Saint-Jean", "Nunavik",
]  # fmt: skip
POST_TITLES = [
    ("Comment choisir un {fr}", "How to choose a {en}"),
    ("Ce que fait un {fr} au {region}", "What a {en} does in {region}"),
    ("Cinq questions à poser à votre {fr}", "Five questions to ask your {en}"),
    ("Plainte contre un {fr} : vos recours", "Complaint about a {en}: what you can do"),
    ("Le {fr} et la protection du public", "The {en} and public protection"),
    ("Vérifier le permis d'un {fr}", "Checking a {en}'s licence"),
    ("Titre réservé : qui peut se dire {fr}?", "Reserved title: who may call themselves a {en}?"),
]  # fmt: skip
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def env(database: str) -> dict:
    return site_env(
        database, DJANGO_SETTINGS_MODULE="bench.search_settings", DEBUG="0", ALLOWED_HOSTS=f"{HOST},testserver",
        REDIS_URL="",
    )  # fmt: skip


def setup_django(database: str) -> None:
    os.environ.update(env(database))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Synthetic content -------------------------------------------------------------------------


def _vocabulary(language: str) -> list[str]:
    """Words of the real explainers' and blog posts' text in that language, for synthetic bodies."""
    from search.models import SearchEntry

    entries = SearchEntry.objects.filter(language=language, kind__in=["explainer", "blog_post"])
    text = " ".join(entries.values_list("body", flat=True))
    return re.findall(r"[^\W\d_]{3,}", text) or ["protection", "public"]


def _feminine(title: str) -> str:
    for masculine, feminine in FEMININE:
        if masculine in title:
            return title.replace(masculine, feminine)
    return ""


def _entry_fields(kind, title, other_title, names, codes, other_names, summary, body, order_title, url):
    from home.language import normalize

    names = [title, *[item for item in names if item]]
    other_names = [other_title, *[item for item in other_names if item]]
    all_names = [*names, *codes, *other_names]
    return {
        "kind": kind,
        "title": title[:255],
        "url": url,
        "summary": summary,
        "order_title": order_title,
        "names": ", ".join(names),
        "codes": ", ".join(codes),
        "other_names": ", ".join(other_names),
        "body": body,
        "norm_title": normalize(title)[:255],
        "terms": "|" + "|".join(dict.fromkeys(normalize(item) for item in all_names)) + "|",
        "normalized": " " + normalize(" ".join(all_names)),
    }


def _bulk_pages(count: int) -> list[int]:
    """Bare, unpublished Page rows below a holder page under the tree root (outside every site)."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Locale, Page

    root = Page.get_first_root_node()
    holder = root.add_child(instance=Page(title="Synthetic search benchmark pages", slug="search-bench", live=False))
    content_type = ContentType.objects.get_for_model(Page)
    locale = Locale.get_default()
    pages = [
        Page(
            title=f"Synthetic {number}", draft_title=f"Synthetic {number}", slug=f"s{number}",
            path=Page._get_path(holder.path, holder.depth + 1, number), depth=holder.depth + 1, numchild=0,
            live=False, content_type=content_type, locale=locale, translation_key=uuid.uuid4(),
            url_path=f"{holder.url_path}s{number}/",
        )
        for number in range(1, count + 1)
    ]  # fmt: skip
    Page.objects.bulk_create(pages, batch_size=2000)
    Page.objects.filter(pk=holder.pk).update(numchild=count)
    return list(Page.objects.filter(depth=holder.depth + 1, path__startswith=holder.path).values_list("id", flat=True))


def add_synthetic_content(professions: int, posts: int, seed: int = 7) -> None:
    from django.db import connection, transaction

    from search.indexing import rebuild_words
    from search.models import BLOG_POST, ORDER, PROFESSION, SearchEntry

    rng = random.Random(seed)  # noqa: S311 - reproducible content, not secrets
    real = {
        (entry.page_id, entry.language): entry
        for entry in SearchEntry.objects.filter(kind__in=[PROFESSION, ORDER]).order_by("id")
    }
    bases = [
        (real[key], real[(key[0], "en")]) for key in real if key[1] == "fr" and real[key].kind == PROFESSION
    ]  # (fr, en) entry of each real profession
    orders = [real[key].title + (f" ({real[key].codes})" if real[key].codes else "") for key in real
              if key[1] == "fr" and real[key].kind == ORDER]  # fmt: skip
    vocabulary = {language: _vocabulary(language) for language in ("fr", "en")}
    with transaction.atomic():
        page_ids = _bulk_pages(professions + posts)
        entries = []
        for number, page_id in enumerate(page_ids[:professions]):
            qualifier_fr, qualifier_en = rng.choice(QUALIFIERS)
            region = rng.choice(REGIONS)
            if rng.random() < 0.5:  # a real profession with a speciality
                base_fr, base_en = rng.choice(bases)
                name_fr, name_en = base_fr.title, base_en.title
                synonyms_fr = rng.sample(base_fr.names.split(", ")[1:], min(2, len(base_fr.names.split(", ")) - 1))
                synonyms_en = rng.sample(base_en.names.split(", ")[1:], min(2, len(base_en.names.split(", ")) - 1))
            else:  # an invented one: prefix + root
                (prefix_fr, prefix_en), (root_fr, root_en) = rng.choice(PREFIXES), rng.choice(ROOTS)
                name_fr, name_en = (prefix_fr + root_fr).capitalize(), (prefix_en + root_en).capitalize()
                synonyms_fr, synonyms_en = [], []
            title_fr, title_en = f"{name_fr} {qualifier_fr}", f"{qualifier_en.capitalize()} {name_en.lower()}"
            codes = ["".join(rng.choice(LETTERS) for _ in range(rng.choice((3, 4, 5))))] if rng.random() < 0.3 else []
            order_title = rng.choice(orders)
            for language, title, other_title, names, other_names in (
                ("fr", title_fr, title_en, [_feminine(title_fr), *synonyms_fr], synonyms_en),
                ("en", title_en, title_fr, synonyms_en, [_feminine(title_fr), *synonyms_fr]),
            ):
                words = vocabulary[language]
                summary = f"{title} — {region}. " + " ".join(rng.choices(words, k=12))
                body = " ".join([region, *rng.choices(words, k=rng.randint(20, 60)), order_title])
                url = f"/{language}/synthetique/{number}/"
                fields = _entry_fields(
                    PROFESSION, title, other_title, names, codes, other_names, summary, body, order_title, url
                )
                entries.append(SearchEntry(page_id=page_id, language=language, **fields))
        for number, page_id in enumerate(page_ids[professions:]):
            base_fr, base_en = rng.choice(bases)
            template_fr, template_en = rng.choice(POST_TITLES)
            region = rng.choice(REGIONS)
            titles = {
                "fr": template_fr.format(fr=base_fr.title.lower(), region=region),
                "en": template_en.format(en=base_en.title.lower(), region=region),
            }
            for language, other in (("fr", "en"), ("en", "fr")):
                words = vocabulary[language]
                summary = " ".join(rng.choices(words, k=rng.randint(15, 30)))
                body = " ".join(rng.choices(words, k=rng.randint(150, 400)))
                fields = _entry_fields(
                    BLOG_POST, titles[language], titles[other], [], [], [], summary, body, "",
                    f"/{language}/blogue/synthetique-{number}/",
                )  # fmt: skip
                entries.append(SearchEntry(page_id=page_id, language=language, **fields))
        SearchEntry.objects.bulk_create(entries, batch_size=2000)
        rebuild_words()  # the vocabulary typos are corrected against, as search.indexing keeps it
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchentry")
        cursor.execute("VACUUM ANALYZE search_searchword")
        cursor.execute("ANALYZE wagtailcore_page")


# --- Measurements -----------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _summary(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):6.1f}  p95 {_percentile(values, 0.95):6.1f}  "
        f"max {max(values):6.1f} ms  (n={len(values)})"
    )


def measure_in_process(repeat: int) -> dict:
    """Time the real views through Django's test Client, and the query function alone."""
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from search.models import ORDER, PROFESSION
    from search.query import search_entries
    from search.views import MAX_SUGGESTIONS

    client = Client(HTTP_HOST=HOST)
    timings = {"search view": [], "autocomplete view": [], "search_entries (search)": [],
               "search_entries (autocomplete)": [], "questions: search view": [],
               "questions: autocomplete view": []}  # fmt: skip
    slowest = {}
    for round_number in range(repeat + 1):  # the first round warms up and is not counted
        for kind, queries in (("search", SEARCH_QUERIES), ("autocomplete", SUGGEST_QUERIES)):
            for language, text in queries:
                path = PATHS[language][0 if kind == "search" else 1]
                start = time.perf_counter()
                response = client.get(f"{path}?q={quote(text)}")
                view_ms = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{path}?q={text}: HTTP {response.status_code}")
                with translation.override(language):
                    start = time.perf_counter()
                    if kind == "search":
                        search_entries(text, language)
                    else:
                        search_entries(text, language, [PROFESSION, ORDER], limit=MAX_SUGGESTIONS, names_only=True)
                    query_ms = (time.perf_counter() - start) * 1000
                if round_number:
                    timings[f"{kind} view"].append(view_ms)
                    timings[f"search_entries ({kind})"].append(query_ms)
                    key = (kind, language, text)
                    slowest[key] = max(slowest.get(key, 0), view_ms)
        for language, text in QUESTIONS:  # whole questions: understanding, the answer, then the results
            for kind, path in (("search", PATHS[language][0]), ("autocomplete", PATHS[language][1])):
                start = time.perf_counter()
                response = client.get(f"{path}?q={quote(text)}")
                view_ms = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{path}?q={text}: HTTP {response.status_code}")
                if round_number:
                    timings[f"questions: {kind} view"].append(view_ms)
                    key = (f"question {kind}", language, text)
                    slowest[key] = max(slowest.get(key, 0), view_ms)
    connection.close()
    return {"timings": timings, "slowest": sorted(slowest.items(), key=lambda item: -item[1])[:5]}


def measure_http(seconds: int, connections: int, workers: int, database: str, port: int) -> dict:
    search_paths = [f"{PATHS[language][0]}?q={quote(text)}" for language, text in SEARCH_QUERIES]
    suggest_paths = [f"{PATHS[language][1]}?q={quote(text)}" for language, text in SUGGEST_QUERIES]
    with gunicorn(env(database), port, workers, ["--max-requests", "0"], log_level="error") as server:
        for path in search_paths + suggest_paths:  # warm the workers
            for _ in range(workers):
                urllib.request.urlopen(server.url + path, timeout=30).read()
        return {
            "bare Django view": wrk(server.url, ["/bench/bare/"], seconds, connections),
            "search page (30 queries)": wrk(server.url, search_paths, seconds, connections),
            "autocomplete (30 queries)": wrk(server.url, suggest_paths, seconds, connections),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="Small directory, few repetitions, short wrk runs.")
    parser.add_argument("--skip-setup", action="store_true", help="Reuse the database of a previous run.")
    parser.add_argument("--professions", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-http", action="store_true", help="Only the in-process measurements.")
    parser.add_argument("--database", default=DB, help="PostgreSQL database to (re)create and use.")
    parser.add_argument("--port", type=int, default=PORT, help="Port of the gunicorn server on 127.0.0.1.")
    args = parser.parse_args()
    if args.quick:
        args.professions, args.posts, args.repeat, args.seconds = 2000, 500, 3, 3
    if not args.skip_setup:
        started = time.perf_counter()
        recreate_database(args.database, env(args.database))
        seeded = time.perf_counter()
        setup_django(args.database)
        add_synthetic_content(args.professions, args.posts)
        print(f"Database {args.database}: seeded in {seeded - started:.0f} s, synthetic content added in "
              f"{time.perf_counter() - seeded:.0f} s")  # fmt: skip
    else:
        setup_django(args.database)
    from django.db.models import Count

    from search.models import SearchEntry

    counts = dict(SearchEntry.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    print("Search entries (both languages):", ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())))

    result = measure_in_process(args.repeat)
    print(
        f"\nIn the process (Django test Client on the real views; {args.repeat} rounds × 30 queries and "
        f"{len(QUESTIONS)} questions each):"
    )
    for name, values in result["timings"].items():
        print(f"  {name:32} {_summary(values)}")
    print("  slowest view calls:", "; ".join(f"{k[0]} {k[1]} {k[2]!r} {ms:.1f} ms" for k, ms in result["slowest"]))
    timings = result["timings"]
    search_p95 = _percentile(timings["search view"] + timings["questions: search view"], 0.95)
    suggest_p95 = _percentile(timings["autocomplete view"] + timings["questions: autocomplete view"], 0.95)
    print(
        f"  targets: search p95 {search_p95:.1f} < {SEARCH_TARGET_MS} ms "
        f"{'OK' if search_p95 < SEARCH_TARGET_MS else 'MISSED'}; autocomplete p95 {suggest_p95:.1f} < "
        f"{SUGGEST_TARGET_MS} ms {'OK' if suggest_p95 < SUGGEST_TARGET_MS else 'MISSED'}"
    )
    if args.no_http:
        return
    http = measure_http(args.seconds, args.connections, args.workers, args.database, args.port)
    print(f"\nOver HTTP (gunicorn -w {args.workers}, wrk -c {args.connections} -d {args.seconds}s, queries rotating):")
    print(f"  {'URL':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, row in http.items():
        print(f"  {name:28} {row['rps']:8.0f} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} {row['errors']:7d}")


if __name__ == "__main__":
    main()
