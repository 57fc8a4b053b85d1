from django.contrib import admin

from privacy.models import Breach
from schools.admin_base import ReadOnlyScopedAdmin


@admin.register(Breach)
class BreachAdmin(ReadOnlyScopedAdmin):
    """The breach register, read-only: the steps are taken on the register's own pages."""

    list_display = ("title", "school", "found_at", "status", "authority_notified_at")
    list_filter = ("status",)
    date_hierarchy = "found_at"
    exclude = ("children",)
