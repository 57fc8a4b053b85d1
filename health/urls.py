from django.urls import include, path

app_name = "health"

# Each part of the app keeps its own URLs.
urlpatterns = [
    path("", include("health.urls_grid")),
    path("", include("health.urls_record")),
    path("", include("health.urls_followup")),
    path("", include("health.urls_exchange")),
]
