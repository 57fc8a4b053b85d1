from django.contrib import admin
from django.urls import include, path

from coordination import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("media/", include("mediafiles.urls")),
    path("", include("parents.urls")),
    path("", include("schools.urls")),
    path("", include("activities.urls")),
]
