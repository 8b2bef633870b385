"""Site-wide views that are not Wagtail pages."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, asked for by browsers and crawlers that ignore <link rel="icon">: the fingerprinted file."""
    return HttpResponsePermanentRedirect(static("home/img/favicon.ico"))


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may index the public pages in both languages, not the admin."""
    return HttpResponse("User-agent: *\nDisallow: /admin/\n", content_type="text/plain; charset=utf-8")
