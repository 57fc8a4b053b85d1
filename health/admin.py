"""The admin holds only the school's health settings.

Children's health data (measurements, check-ups, plans, allergies) is entered and read on the
nurse's pages, where every staff read is logged; it is not in the admin, which superusers also open.
"""

from django.contrib import admin

from health.models import HealthSettings
from schools.admin_base import SchoolScopedAdmin


@admin.register(HealthSettings)
class HealthSettingsAdmin(SchoolScopedAdmin):
    list_display = ["school", "weight_change_kg", "height_change_cm"]
    fields = ["school", "weight_change_kg", "height_change_cm"]
