"""Generated bad input on every public URL pattern, query string, header and form: never a 500.

Hypothesis runs derandomized (the same examples on every run) and keeps no example database, so
CI is deterministic and the run writes nothing. Each example runs in its own transaction.
"""

import string
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from django.core.management import call_command
from django.test import override_settings

from home.barometer_block import BAROMETER_TOKEN_SCOPE
from home.models import HomePage
from home.public_forms import issue_form_token
from tests.blog.test_loading import quiet
from tests.factories import form_token

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRAGMENTS = [
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\ufeff",
    "😀👩‍⚖️",
    "Ordre des ingénieurs du Québec",
    "' OR 1=1 --",
    "'; DROP TABLE wagtailcore_page; --",
    '"><script>alert(1)</script>',
    "{{ request }}{% debug %}",
    "../../../etc/passwd",
    "%00",
    "%zz",
    "%c3%28",
    "%ff%fe",
    "%%",
    "0",
    "-1",
    "99999999999999999999999",
    "1e9",
    "NaN",
]
HEX = "0123456789abcdefABCDEFxyz%"

fragments = st.sampled_from(FRAGMENTS)
percent_garbage = st.lists(st.tuples(st.just("%"), st.sampled_from(HEX), st.sampled_from(HEX)), max_size=6).map(
    lambda parts: "".join("".join(part) for part in parts)
)
long_text = st.sampled_from(["é", "a", "😀", "%", "'"]).flatmap(
    lambda char: st.integers(min_value=300, max_value=6000).map(lambda count: char * count)
)
bad_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So", "Lo"]), max_size=20),
    fragments,
    st.lists(fragments, min_size=2, max_size=4).map("".join),
    percent_garbage,
    long_text,
)

# Every public URL pattern; {} takes one generated path segment (percent-encoded or raw garbage).
PATH_PATTERNS = [
    "/{}",
    "/{}/",
    "/fr/{}/",
    "/en/{}/",
    "/fr/ordres/{}/",
    "/en/orders/{}/",
    "/fr/ordres/barreau-du-quebec/{}/",
    "/en/orders/quebec-bar/{}/",
    "/fr/ordres/barreau-du-quebec/avocat/{}/",
    "/fr/professions/{}/",
    "/en/professions/{}/",
    "/fr/qui-contacter/{}/",
    "/en/protecting-the-public/{}/",
    "/fr/blogue/{}/",
    "/en/blog/what-is-a-professional-order/{}/",
    "/fr/blogue/categorie/{}/",
    "/en/blog/category/{}/",
    "/fr/blogue/etiquette/{}/",
    "/en/blog/tag/{}/",
    "/fr/blogue/categorie/{}/rss/",
    "/en/blog/category/{}/atom/",
    "/fr/blogue/{}/rss/",
    "/fr/contact/{}/",
    "/en/contact/thanks/{}",
    "/fr/recherche/{}",
    "/fr/barometre/{}",
    "/en/barometer/vote/{}",
    "/en/search/{}/",
    "/data/{}",
    "/data/directory.json/{}",
    "/sitemap.xml/{}",
    "/healthz/{}",
    "/documents/{}/",
    "/documents/1/{}",
]
# Pages and endpoints whose query strings the fuzzer fills, with the parameters they read.
QUERY_TARGETS = {
    "/fr/ordres/": ["sector", "practice", "letter", "page"],
    "/en/orders/": ["sector", "practice", "letter"],
    "/fr/professions/": ["letter", "page", "sector"],
    "/fr/qui-contacter/": ["step", "profession"],
    "/en/who-do-i-contact/": ["step", "profession"],
    "/fr/blogue/": ["page"],
    "/en/blog/category/your-options/": ["page"],
    "/en/blog/rss/": ["page"],
    "/fr/blogue/qu-est-ce-qu-un-ordre-professionnel/": ["page", "comment"],
    "/fr/": ["page"],
    "/fr/contact/": ["page"],
    "/en/contact/thanks/": ["copy"],
    "/data/directory.json": ["format"],
    "/data/directory.csv": ["format"],
    "/fr/barometre/": ["page", "answer"],
    "/en/barometer/": ["page", "answer"],
    "/data/barometer.json": ["format"],
    "/sitemap.xml": ["p"],
    "/healthz": ["verbose"],
}
# Searching needs the full-text index, which only PostgreSQL test databases have (--no-migrations).
SEARCH_TARGETS = {"/fr/recherche/": ["q", "page"], "/en/search/": ["q", "page"]}
POST_FR = "/fr/blogue/qu-est-ce-qu-un-ordre-professionnel/"
POST_EN = "/en/blog/what-is-a-professional-order/"


def as_wsgi(text: str) -> str:
    """The text's UTF-8 bytes as a WSGI environ string (Latin-1), the way a server passes raw input."""
    return text.encode("utf-8").decode("latin-1")


def segment_strategy():
    return st.one_of(bad_text.map(lambda text: quote(text, safe="")), percent_garbage, fragments)


@override_settings(
    BLOG_COMMENT_RATE="10000/m", CONTACT_RATE="10000/m", CONTACT_TOKEN_RATE="10000/m", BAROMETER_VOTE_RATE="10000/m"
)
class NoServerErrorTests(TestCase):
    """The seeded site (home, directory, guide, explainers, blog) under generated bad input."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed_site", stdout=quiet())

    def assert_no_server_error(self, response, what: str) -> None:
        self.assertLess(response.status_code, 500, what)

    def test_seeded_urls_answer(self):
        for url in [*QUERY_TARGETS, *SEARCH_TARGETS, POST_EN]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    @FUZZ
    @given(pattern=st.sampled_from(PATH_PATTERNS), segment=segment_strategy())
    def test_path_segments(self, pattern, segment):
        path = pattern.format(segment)
        self.assert_no_server_error(self.client.get(path), path)

    @settings(FUZZ, max_examples=50)
    @given(
        target=st.sampled_from(sorted(QUERY_TARGETS)),
        data=st.data(),
    )
    def test_query_parameters(self, target, data):
        keys = st.one_of(st.sampled_from(QUERY_TARGETS[target]), bad_text)
        params = data.draw(st.dictionaries(keys, bad_text, min_size=1, max_size=4))
        self.assert_no_server_error(self.client.get(target, params), f"{target}?{urlencode(params)}")

    @pytest.mark.postgres
    @settings(FUZZ, max_examples=50)
    @given(target=st.sampled_from(sorted(SEARCH_TARGETS)), data=st.data())
    def test_search_queries(self, target, data):
        keys = st.one_of(st.sampled_from(SEARCH_TARGETS[target]), bad_text)
        params = data.draw(st.dictionaries(keys, bad_text, min_size=1, max_size=3))
        self.assert_no_server_error(self.client.get(target, params), f"{target}?{urlencode(params)}")
        raw = data.draw(st.one_of(percent_garbage, bad_text).map(lambda text: f"q={text}"))
        self.assert_no_server_error(self.client.get(target, QUERY_STRING=as_wsgi(raw)), f"{target}?{raw!r}")

    @FUZZ
    @given(
        target=st.sampled_from(sorted(QUERY_TARGETS)),
        raw=st.one_of(percent_garbage, bad_text, st.text(alphabet=string.printable, max_size=80)),
    )
    def test_raw_query_strings(self, target, raw):
        self.assert_no_server_error(self.client.get(target, QUERY_STRING=as_wsgi(raw)), f"{target}?{raw!r}")

    @FUZZ
    @given(
        path=st.sampled_from(["/", "/fr/", "/en/orders/", POST_FR]),
        language=bad_text,
        cookie=bad_text,
    )
    def test_language_headers_and_cookies(self, path, language, cookie):
        # As a WSGI server passes them: the header's bytes, decoded as Latin-1.
        self.client.cookies["django_language"] = as_wsgi(cookie.replace("\x00", ""))
        response = self.client.get(path, headers={"accept-language": as_wsgi(language[:200])})
        self.assert_no_server_error(response, f"{path} Accept-Language={language!r}")

    @settings(FUZZ, max_examples=30)
    @given(
        url=st.sampled_from([POST_FR, POST_EN]),
        fields=st.fixed_dictionaries(
            {},
            optional={
                "name": bad_text,
                "email": st.one_of(bad_text, st.emails(), bad_text.map(lambda text: f"{text}@example.org")),
                "body": bad_text,
                "notify_on_reply": st.one_of(st.just("on"), bad_text),
                "website": st.one_of(st.just(""), bad_text),
                "started": st.one_of(st.just("valid"), bad_text),
                "csrfmiddlewaretoken": bad_text,
            },
        ),
    )
    def test_comment_form(self, url, fields):
        if fields.get("started") == "valid":
            fields["started"] = form_token()
        response = self.client.post(url, fields)
        self.assert_no_server_error(response, f"POST {url} {fields!r}")

    @settings(FUZZ, max_examples=30)
    @given(
        url=st.sampled_from(["/fr/contact/", "/en/contact/"]),
        fields=st.fixed_dictionaries(
            {},
            optional={
                "name": bad_text,
                "email": st.one_of(bad_text, st.emails(), bad_text.map(lambda text: f"{text}@example.org")),
                "message": bad_text,
                "copy_requested": st.one_of(st.just("on"), bad_text),
                "website": st.one_of(st.just(""), bad_text),
                "started": st.one_of(st.just("valid"), bad_text),
            },
        ),
    )
    def test_contact_form(self, url, fields):
        if fields.get("started") == "valid":
            fields["started"] = issue_form_token("contact")
        response = self.client.post(url, fields, headers={"Origin": "http://testserver"})
        self.assert_no_server_error(response, f"POST {url} {fields!r}")

    @settings(FUZZ, max_examples=30)
    @given(
        url=st.sampled_from(["/fr/barometre/vote/", "/en/barometer/vote/"]),
        origin=st.sampled_from(["http://testserver", None]),
        fields=st.fixed_dictionaries(
            {},
            optional={
                "answer": st.one_of(st.sampled_from(["public", "members", "both"]), bad_text),
                "page": st.one_of(st.just("home"), bad_text),
                "website": st.one_of(st.just(""), bad_text),
                "started": st.one_of(st.just("valid"), bad_text),
            },
        ),
    )
    def test_barometer_vote(self, url, origin, fields):
        if fields.get("started") == "valid":
            fields["started"] = issue_form_token(BAROMETER_TOKEN_SCOPE)
        if fields.get("page") == "home":
            fields["page"] = str(HomePage.objects.get().pk)
        response = self.client.post(url, fields, headers={"origin": origin} if origin else {})
        self.assertIn(response.status_code, (303, 400, 403, 429), f"POST {url} {fields!r}")

    @settings(FUZZ, max_examples=30)
    @given(
        url=st.sampled_from(["/fr/recherche/", "/en/search/", "/fr/ordres/", "/en/blog/", "/data/directory.json"]),
        fields=st.dictionaries(st.one_of(st.sampled_from(["q", "page", "body"]), bad_text), bad_text, max_size=3),
    )
    def test_posts_to_pages_without_a_form(self, url, fields):
        self.assert_no_server_error(self.client.post(url, fields), f"POST {url} {fields!r}")
