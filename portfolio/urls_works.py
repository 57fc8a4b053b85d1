"""The works pages' addresses (added to portfolio.urls)."""

from django.urls import path

from portfolio import views_works

works_urlpatterns = [
    # The address a work's QR label holds (SITE_URL/w/<token>, no trailing slash).
    path("w/<str:token>", views_works.work_page, name="work"),
]
