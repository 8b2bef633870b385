from django.http import HttpResponse
from django.urls import path

from site_ordre.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The baseline: a Django view returning a constant string, through the same middleware."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
