from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from barometer import views as barometer_views
from home import views as home_views
from ops import views as ops_views
from professions import views as directory_views
from protection import views as protection_views
from search import views as search_views
from translations.sitemaps import TranslatedPageSitemap

# A database outage becomes a translated 503 page rather than a traceback or a bare 500.
handler500 = ops_views.server_error

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Open data, both languages in one file (outside the /fr/ and /en/ prefixes).
    path("data/directory.json", directory_views.directory_json, name="directory_json"),
    path("data/directory.csv", directory_views.directory_csv, name="directory_csv"),
    path("data/barometer.json", barometer_views.barometer_json, name="barometer_json"),
    path("data/barometer.csv", barometer_views.barometer_csv, name="barometer_csv"),
    # Both languages in one file, with hreflang alternates (outside the /fr/ and /en/ prefixes).
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedPageSitemap}}, name="sitemap"),
]

if settings.SERVE_MEDIA:
    # Local runs only: in production the web server or object storage serves uploads.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Public pages live under /fr/… and /en/…; "/" is redirected by LocaleMiddleware
# according to Accept-Language (French when unsure: LANGUAGE_CODE).
urlpatterns += i18n_patterns(
    path(_("search/"), search_views.search, name="search"),
    path(_("search/suggestions/"), search_views.suggestions, name="search_suggestions"),
    path(_("search/answer/"), search_views.answer, name="search_answer"),
    path(_("deadline/"), protection_views.deadline, name="deadline"),
    path(_("deadline/calendar.ics"), protection_views.deadline_calendar, name="deadline_calendar"),
    path(_("barometer/"), barometer_views.results_page, name="barometer"),
    path(_("barometer/vote/"), barometer_views.vote, name="barometer_vote"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
