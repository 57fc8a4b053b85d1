from django.urls import include, path

app_name = "community"

# Each part of the app keeps its own URLs, under its own prefix: /library/, /events/, /menus/
urlpatterns = [
    path("library/", include("community.urls_library")),
    path("events/", include("community.urls_events")),
    path("menus/", include("community.urls_menus")),
]
