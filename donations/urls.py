from django.urls import include, path

app_name = "donations"

# Each part of the app keeps its own URLs.
urlpatterns = [
    path("", include("donations.urls_public")),
    path("", include("donations.urls_campaigns")),
    path("", include("donations.urls_honour")),
]
