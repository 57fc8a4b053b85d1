from django.urls import path

from announcements import views

app_name = "announcements"
urlpatterns = [
    # Announcements: families read and acknowledge; staff post and follow the receipts.
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/<int:announcement_id>/", views.announcement_detail, name="announcement"),
    path(
        "announcements/<int:announcement_id>/acknowledge/",
        views.announcement_acknowledge,
        name="announcement_acknowledge",
    ),
    path("announcements/<int:announcement_id>/publish/", views.announcement_publish, name="announcement_publish"),
    path("announcements/<int:announcement_id>/receipts/", views.announcement_receipts, name="announcement_receipts"),
    path("schools/<slug:slug>/announcements/", views.school_announcements, name="school_announcements"),
    path("schools/<slug:slug>/announcements/new/", views.announcement_create, name="announcement_create"),
    # Pick-up notices: a guardian tells the class teachers; the teachers see the day's notices.
    path("children/<int:child_id>/pickup-notices/", views.pickup_notice_create, name="pickup_notices"),
    path("pickup-notices/<int:notice_id>/cancel/", views.pickup_notice_cancel, name="pickup_notice_cancel"),
    path("pickup-notices/today/", views.pickup_notices_today, name="pickup_notices_today"),
    path("classes/<int:classroom_id>/pickup-notices/", views.classroom_pickup_notices, name="classroom_pickup_notices"),
]
