"""The health station's exchange: the CSV import of its measurements and a class's XLSX export."""

from django.urls import path

from health import views_exchange as views

urlpatterns = [
    path("health/schools/<slug:slug>/import/", views.station_import, name="station_import"),
    path("health/schools/<slug:slug>/import/template.csv", views.station_template, name="station_template"),
    path("health/classes/<int:classroom_id>/export.xlsx", views.class_export, name="class_export"),
]
