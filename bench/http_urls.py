"""The portal's URLs plus the benchmark's probes: a signed-in page with nothing but the site's header
and menu, the floor every signed-in page pays, and the same
for anyone (bench/run_http.py). Not in the portal's own URLs."""

from django.urls import path

from bench import views
from coordination.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/empty", views.empty_page, name="bench_empty"),
    path("bench/empty-anonymous", views.empty_page_anonymous, name="bench_empty_anonymous"),
    *portal_urlpatterns,
]
