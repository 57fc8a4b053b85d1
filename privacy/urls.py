from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("privacy/my/", views.mine, name="mine"),
    path("privacy/requests/<int:request_id>/", views.request_detail, name="request"),
    path("privacy/requests/<int:request_id>/cancel/", views.request_cancel, name="request_cancel"),
    path("privacy/schools/<slug:slug>/requests/", views.queue, name="queue"),
    path("privacy/schools/<slug:slug>/requests/paper/", views.paper, name="paper"),
    path("privacy/schools/<slug:slug>/requests/<int:request_id>/", views.queue_item, name="queue_item"),
    path("privacy/schools/<slug:slug>/holds/", views.holds, name="holds"),
    path("privacy/schools/<slug:slug>/holds/<int:hold_id>/lift/", views.hold_lift, name="hold_lift"),
    path("privacy/schools/<slug:slug>/retention/", views.retention, name="retention"),
]
