import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from coordination.lib.deploy import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")
# Before anything is served: with DEBUG=0, missing or published secrets stop the start here.
refuse_unsafe_start(settings, process="web application")
application = get_asgi_application()
