from django.urls import path

from community import views_library as views

# Under /library/, in the namespace "community".
urlpatterns = [
    path("", views.browse, name="library_browse"),
    path("items/<int:item_id>/reserve/", views.reserve, name="library_reserve"),
    path("reservations/<int:reservation_id>/cancel/", views.reservation_cancel, name="library_reservation_cancel"),
    path("desk/", views.desk, name="library_desk"),
    path("desk/check-out/", views.check_out, name="library_check_out"),
    path("desk/check-in/", views.check_in, name="library_check_in"),
    path("desk/waiting-list/", views.desk_reserve, name="library_desk_reserve"),
    path("desk/labels.pdf", views.labels, name="library_labels"),
    path("items/<int:item_id>/", views.item_history, name="library_item"),
    path("items/<int:item_id>/photo/", views.item_photo, name="library_item_photo"),
    path("families/<int:child_id>/", views.family_history, name="library_family"),
]
