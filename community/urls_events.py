"""The events pages (included from community.urls under /events/)."""

from django.urls import path

from community import views_events as views

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("schools/<slug:slug>/new/", views.event_create, name="event_create"),
    path("<int:event_id>/", views.event_detail, name="event_detail"),
    path("<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("<int:event_id>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:event_id>/answer/", views.event_answer, name="event_answer"),
    path("<int:event_id>/organise/", views.event_organise, name="event_organise"),
    path("<int:event_id>/export.csv", views.event_export_csv, name="event_export_csv"),
    path("<int:event_id>/export.xlsx", views.event_export_xlsx, name="event_export_xlsx"),
    path("<int:event_id>/gallery/", views.event_gallery, name="event_gallery"),
    path("roles/<int:role_id>/", views.event_role, name="event_role"),
    path("roles/<int:role_id>/sign-up/", views.event_role_signup, name="event_role_signup"),
    path("roles/<int:role_id>/cancel/", views.event_role_cancel, name="event_role_cancel"),
    path("photos/<int:photo_id>/", views.event_photo, name="event_photo"),
]
