"""The printed outputs' addresses (added to portfolio.urls)."""

from django.urls import path

from portfolio import views_printing as views

printing_urlpatterns = [
    # Staff of a class: QR label sheets for its works, their progress and the PDF.
    path("classes/<int:classroom_id>/labels/", views.class_labels, name="class_labels"),
    path("labels/<int:sheet_id>/", views.label_sheet, name="label_sheet"),
    path("labels/<int:sheet_id>/status/", views.label_sheet_status, name="label_sheet_status"),
    path("labels/<int:sheet_id>/labels.pdf", views.label_sheet_pdf, name="label_sheet_pdf"),
    # A child's guardians: albums (PDF and ZIP) and the "ready for school" summary.
    path("children/<int:child_id>/albums/", views.child_albums, name="child_albums"),
    path("albums/<int:album_id>/", views.album, name="album"),
    path("albums/<int:album_id>/status/", views.album_status, name="album_status"),
    path("albums/<int:album_id>/album.pdf", views.album_pdf, name="album_pdf"),
    path("albums/<int:album_id>/album.zip", views.album_zip, name="album_zip"),
    path("children/<int:child_id>/ready-for-school/", views.ready_for_school, name="ready_for_school"),
    path("children/<int:child_id>/ready-for-school.pdf", views.ready_for_school_pdf, name="ready_for_school_pdf"),
]
