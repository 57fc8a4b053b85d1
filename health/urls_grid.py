"""Measuring day's addresses (included from health.urls): the nurse's classes and a class's grid."""

from django.urls import path

from health import views_grid as views

urlpatterns = [
    path("health/", views.home, name="home"),
    path("health/classes/<int:classroom_id>/measure/", views.grid, name="grid"),
    path("health/classes/<int:classroom_id>/measure/<int:child_id>/", views.grid_row, name="grid_row"),
]
