"""The sitting pages' addresses (added to portfolio.urls): where teachers record children's works."""

from django.urls import path

from portfolio import views_sitting as views

sitting_urlpatterns = [
    path("works/", views.my_classes_works, name="my_classes_works"),
    path("classes/<int:classroom_id>/works/", views.class_works, name="class_works"),
    path("classes/<int:classroom_id>/works/new/", views.sitting, name="sitting"),
    path("works/<int:work_id>/edit/", views.work_edit, name="work_edit"),
    path("works/<int:work_id>/transcript/", views.work_transcript, name="work_transcript"),
    path("works/<int:work_id>/delete/", views.work_delete, name="work_delete"),
    path("works/<int:work_id>/replace-code/", views.work_replace_code, name="work_replace_code"),
]
