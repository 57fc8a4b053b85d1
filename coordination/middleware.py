from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose otherwise.

    Many families' phones are set to English although they read Vietnamese
    best, so the browser's Accept-Language is not taken as a choice: only the
    language switch (its cookie) or the account's saved language is.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ClearSiteDataOnSignOut:
    """Sign-out empties the browser's caches and storage: family phones are shared.

    The saved pages of the service worker, its registration, and the uploads waiting for a
    connection all go (static/js/offline.js also empties the caches itself, for browsers that
    ignore the header). Signing out of the admin empties them too: a principal may use a family's phone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and request.path in (reverse("account_logout"), reverse("admin:logout")):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
