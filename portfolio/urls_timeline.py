"""The timeline pages' addresses (added to portfolio.urls)."""

timeline_urlpatterns: list = []
