from django.urls import path

from privacy import views_breaches, views_reads

app_name = "privacy"
urlpatterns = [
    # A guardian: who of the staff looked at their child's records.
    path("privacy/children/<int:child_id>/reads/", views_reads.child_reads, name="child_reads"),
    # The school's leaders (the superuser: every school): the breach register and its 72-hour clock.
    path("privacy/breaches/", views_breaches.breach_list, name="breaches"),
    path("privacy/breaches/new/", views_breaches.breach_new, name="breach_new"),
    path("privacy/breaches/<int:breach_id>/", views_breaches.breach_detail, name="breach"),
    path("privacy/breaches/<int:breach_id>/draft/", views_breaches.breach_draft, name="breach_draft"),
    path("privacy/breaches/<int:breach_id>/notified/", views_breaches.breach_notified, name="breach_notified"),
    path("privacy/breaches/<int:breach_id>/tell/", views_breaches.breach_tell, name="breach_tell"),
    path("privacy/breaches/<int:breach_id>/close/", views_breaches.breach_close, name="breach_close"),
]
