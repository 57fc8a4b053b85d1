from django.urls import path

from privacy import views, views_breaches, views_export, views_reads

app_name = "privacy"

urlpatterns = [
    # Everyone: the privacy notice, generated from the apps' declarations.
    path("privacy/", views.notice, name="notice"),
    # A person: their requests, for themselves or their child.
    path("privacy/my/", views.mine, name="mine"),
    path("privacy/requests/<int:request_id>/", views.request_detail, name="request"),
    path("privacy/requests/<int:request_id>/cancel/", views.request_cancel, name="request_cancel"),
    # A person: copies of their family's data, downloaded through a link that expires.
    path("privacy/exports/", views_export.exports, name="exports"),
    path("privacy/exports/<str:token>/download/", views_export.export_download, name="export_download"),
    # A guardian: who of the staff looked at their child's records.
    path("privacy/children/<int:child_id>/reads/", views_reads.child_reads, name="child_reads"),
    # The school's data protection contact (its leaders; the superuser for every school).
    path("privacy/schools/<slug:slug>/requests/", views.queue, name="queue"),
    path("privacy/schools/<slug:slug>/requests/paper/", views.paper, name="paper"),
    path("privacy/schools/<slug:slug>/requests/<int:request_id>/", views.queue_item, name="queue_item"),
    path("privacy/schools/<slug:slug>/holds/", views.holds, name="holds"),
    path("privacy/schools/<slug:slug>/holds/<int:hold_id>/lift/", views.hold_lift, name="hold_lift"),
    path("privacy/schools/<slug:slug>/retention/", views.retention, name="retention"),
    # The breach register and its 72-hour clock.
    path("privacy/breaches/", views_breaches.breach_list, name="breaches"),
    path("privacy/breaches/new/", views_breaches.breach_new, name="breach_new"),
    path("privacy/breaches/<int:breach_id>/", views_breaches.breach_detail, name="breach"),
    path("privacy/breaches/<int:breach_id>/draft/", views_breaches.breach_draft, name="breach_draft"),
    path("privacy/breaches/<int:breach_id>/notified/", views_breaches.breach_notified, name="breach_notified"),
    path("privacy/breaches/<int:breach_id>/tell/", views_breaches.breach_tell, name="breach_tell"),
    path("privacy/breaches/<int:breach_id>/close/", views_breaches.breach_close, name="breach_close"),
]
