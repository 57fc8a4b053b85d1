from django.urls import path  # noqa: F401 (the patterns follow)

app_name = "portfolio"
urlpatterns: list = []

from portfolio.urls_printing import printing_urlpatterns  # noqa: E402

urlpatterns += printing_urlpatterns
