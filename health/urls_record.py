"""A child's health record, the nurse's changes on it, and the school's read log (included by health.urls)."""

from django.urls import path

from health import views_record as views

urlpatterns = [
    path("health/children/<int:child_id>/", views.child_record, name="child"),
    path("health/children/<int:child_id>/note/", views.family_note_write, name="family_note_write"),
    path("health/children/<int:child_id>/allergies/", views.allergy_add, name="allergy_add"),
    path(
        "health/children/<int:child_id>/allergies/<int:allergy_id>/remove/",
        views.allergy_remove,
        name="allergy_remove",
    ),
    path("health/children/<int:child_id>/dietary-needs/", views.dietary_need_add, name="dietary_need_add"),
    path(
        "health/children/<int:child_id>/dietary-needs/<int:need_id>/remove/",
        views.dietary_need_remove,
        name="dietary_need_remove",
    ),
    path("health/schools/<slug:slug>/reads/", views.read_log, name="reads"),
]
