"""The works pages' addresses (added to portfolio.urls)."""

works_urlpatterns: list = []
