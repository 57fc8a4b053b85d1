"""The timeline pages' addresses (added to portfolio.urls)."""

from django.urls import path

from portfolio import views_timeline as views

timeline_urlpatterns = [
    # A child's portfolio: works and approved home-activity answers, for the family and the child's staff.
    path("children/<int:child_id>/portfolio/", views.child_portfolio, name="child_portfolio"),
]
