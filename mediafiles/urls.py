from django.urls import path

from mediafiles import views

app_name = "mediafiles"
urlpatterns = [
    path("uploads/", views.upload_start, name="upload_start"),
    path("uploads/<uuid:media_id>/", views.upload, name="upload"),
    path("uploads/<uuid:media_id>/status/", views.upload_status, name="upload_status"),
    path("<uuid:media_id>/captions.vtt", views.captions, name="captions"),
    path("<uuid:media_id>/<slug:variant>", views.download, name="download"),
]
