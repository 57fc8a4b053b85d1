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
    path("authorities/<slug:slug>/", views.authority_home, name="authority_home"),
    # Printed and bookmarked before the district level was abolished (July 2025).
    path("districts/<slug:slug>/", views.district_moved, name="district_moved"),
]
