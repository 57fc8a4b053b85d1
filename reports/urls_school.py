from django.urls import path

from reports import views_school as views

# Included under /reports/ in the namespace "reports" (reports/urls.py).
urlpatterns = [
    path("schools/<slug:slug>/", views.school_report, name="school"),
    path("schools/<slug:slug>/pdf/", views.school_report_pdf, name="school_pdf"),
    path("schools/<slug:slug>/xlsx/", views.school_report_xlsx, name="school_xlsx"),
    path("schools/<slug:slug>/submit/", views.submission_new, name="submission_new"),
    path("schools/<slug:slug>/submissions/", views.school_submissions, name="school_submissions"),
    path("submitted/", views.submitted_list, name="submitted"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/acknowledge/", views.submission_acknowledge, name="acknowledge"),
    path("submissions/<int:submission_id>/comment/", views.submission_comment, name="comment"),
]
