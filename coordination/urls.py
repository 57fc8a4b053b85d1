from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from coordination import metrics, views
from coordination.lib.routing import section

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("media/", include("mediafiles.urls")),
    # Each app's pages, passed over by the addresses none of them can take (coordination/lib/routing.py).
    section("parents.urls"),
    section("schools.urls"),
]
# The features' pages, for those installed: the core works without any of them.
FEATURE_URLCONFS = [
    "announcements",
    "activities",
    "portfolio",
    "donations",
    "health",
    "community",
    "feedback",
    "reports",
    "privacy",
]
urlpatterns += [section(f"{app}.urls") for app in FEATURE_URLCONFS if apps.is_installed(app)]

# An e-mail provider's webhooks (bounces and the like: notifications/email_events.py), only
# when they are protected: anymail checks this secret as HTTP basic auth on every call.
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns.insert(0, path("email/events/", include("anymail.urls")))

# Zalo's reports on its messages (notifications/zalo.py), only when they can be checked:
# each call is signed with the Official Account's secret key.
if settings.ZALO_OA_SECRET_KEY:
    from notifications.views import zalo_webhook

    urlpatterns.insert(0, path("zalo/webhook/", zalo_webhook, name="zalo_webhook"))
