from django.urls import path

from privacy import views_export

app_name = "privacy"
urlpatterns = [
    path("privacy/exports/", views_export.exports, name="exports"),
    path("privacy/exports/<str:token>/download/", views_export.export_download, name="export_download"),
]
