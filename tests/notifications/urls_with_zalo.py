"""The portal's URLs as a deployment with ZALO_OA_SECRET_KEY serves them (see coordination/urls.py)."""

from django.urls import path

from coordination.urls import urlpatterns as portal
from notifications.views import zalo_webhook

urlpatterns = [path("zalo/webhook/", zalo_webhook, name="zalo_webhook"), *portal]
