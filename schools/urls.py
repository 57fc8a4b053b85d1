from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("teacher/", views.teacher_home, name="teacher_home"),
    path("classes/<int:classroom_id>/", views.classroom_detail, name="classroom"),
    path(
        "classes/<int:classroom_id>/invitation-letters/", views.classroom_invitation_letters, name="classroom_letters"
    ),
    path("children/<int:child_id>/", views.child_detail, name="child"),
    path("children/<int:child_id>/invitations/", views.child_invitation_create, name="child_invitation_create"),
    path("invitations/<int:invitation_id>/letter.pdf", views.invitation_letter, name="invitation_letter"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("schools/<slug:slug>/", views.school_public, name="public"),
    path("schools/<slug:slug>/manage/", views.principal_home, name="principal_home"),
    path("schools/<slug:slug>/manage/staff/", views.staff_list, name="staff"),
    path(
        "schools/<slug:slug>/manage/staff/<int:membership_id>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
    path("districts/<slug:slug>/", views.district_home, name="district_home"),
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
