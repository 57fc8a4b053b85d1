"""The sitting pages' addresses (added to portfolio.urls)."""

sitting_urlpatterns: list = []
