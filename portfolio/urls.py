from django.urls import path  # noqa: F401 (the patterns follow)

app_name = "portfolio"
urlpatterns: list = []
