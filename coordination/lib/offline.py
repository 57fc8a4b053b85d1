"""The pages a family may read again without a connection.

The service worker (templates/service_worker.js) keeps a copy only of the responses that carry
OFFLINE_HEADER, whose value is how many seconds the copy may be shown; everything else (other
pages, the admin, files, anything the server marks no-store) passes through it untouched.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings

OFFLINE_HEADER = "X-Offline-Page"


def offline_page(view):
    """Mark a family page the service worker may keep, and show its "you are offline" note when it does."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.offline_page = True  # base.html renders the (hidden) note with the page's time
        response = view(request, *args, **kwargs)
        cache_control = response.get("Cache-Control", "")
        if request.method == "GET" and response.status_code == 200 and "no-store" not in cache_control:
            response[OFFLINE_HEADER] = str(settings.OFFLINE_PAGES_KEEP_DAYS * 24 * 3600)
        return response

    return wrapped
