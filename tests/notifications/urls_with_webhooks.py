"""The portal's URLs as a deployment with ANYMAIL_WEBHOOK_SECRET serves them (see coordination/urls.py)."""

from django.urls import include, path

from coordination.urls import urlpatterns as portal

urlpatterns = [path("email/events/", include("anymail.urls")), *portal]
