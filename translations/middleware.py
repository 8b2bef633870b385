"""The admin speaks the organisation's language (French), whatever the browser asks for.

Each person can still choose English in their account (Wagtail's preferred language), which
Wagtail applies on top of this default once they are signed in.
"""

from django.conf import settings
from django.utils import translation

ADMIN_PREFIX = "/admin/"


class AdminLanguageMiddleware:
    """After LocaleMiddleware: under /admin/, the default language replaces the browser's choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
