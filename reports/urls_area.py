from django.urls import path

from reports import views_area

# Included under /reports/ in the "reports" namespace (reports/urls.py).
urlpatterns = [
    path("area/<slug:slug>/", views_area.area_dashboard, name="area"),
]
