from django.urls import path

from parents import views

app_name = "parents"
urlpatterns = [
    path("family/", views.family_home, name="home"),
    path("join/", views.join, name="join"),
    path("children/<int:child_id>/consents/", views.consents, name="consents"),
    path("children/<int:child_id>/pickup/", views.pickup_persons, name="pickup"),
    path("children/<int:child_id>/pickup/<int:person_id>/remove/", views.pickup_person_remove, name="pickup_remove"),
    path("schools/<slug:slug>/manage/guardians/", views.school_guardianships, name="school_guardianships"),
    path("guardianships/<int:guardianship_id>/decide/", views.guardianship_decide, name="guardianship_decide"),
    path("guardianships/<int:guardianship_id>/check/", views.guardianship_check, name="guardianship_check"),
    # Family viewers: invited by a guardian, accepted with the person's own account, revoked at any time.
    path("children/<int:child_id>/family-viewers/", views.family_viewers, name="viewers"),
    path("family-viewers/<int:viewer_id>/revoke/", views.family_viewer_revoke, name="viewer_revoke"),
    path("follow/<str:token>/", views.follow, name="follow"),
]
