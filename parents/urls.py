from django.urls import path

from parents import views

app_name = "parents"
urlpatterns = [
    path("family/", views.family_home, name="home"),
    path("join/", views.join, name="join"),
    path("children/<int:child_id>/consents/", views.consents, name="consents"),
    path("children/<int:child_id>/pickup/", views.pickup_persons, name="pickup"),
    path("children/<int:child_id>/pickup/<int:person_id>/remove/", views.pickup_person_remove, name="pickup_remove"),
]
