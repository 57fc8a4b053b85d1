"""Check-ups, follow-up plans, the follow-up list and the summaries (included from health.urls)."""

from django.urls import path

from health import views_followup as views

urlpatterns = [
    path("health/schools/<slug:slug>/checkups/", views.checkups, name="checkups"),
    path("health/schools/<slug:slug>/checkups/plan/", views.checkups_plan, name="checkups_plan"),
    path("health/checkups/<int:checkup_id>/", views.checkup, name="checkup"),
    path("health/children/<int:child_id>/follow-up/", views.follow_up_plan, name="follow_up_plan"),
    path("health/schools/<slug:slug>/follow-up/", views.follow_up, name="follow_up"),
    path("health/schools/<slug:slug>/summary/", views.school_summary, name="school_summary"),
    path("health/classes/<int:classroom_id>/summary/", views.class_summary, name="class_summary"),
    path("health/authorities/<slug:slug>/", views.authority_summary, name="authority_summary"),
]
