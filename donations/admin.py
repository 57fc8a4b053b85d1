from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from donations.models import Donor
from donations.policies import can_see_donor_contacts
from schools.admin_base import SchoolScopedAdmin

CONTACT_FIELDS = ("email", "phone", "address", "tax_code")


@admin.register(Donor)
class DonorAdmin(SchoolScopedAdmin):
    """The school's donors. Contact details show only to the principal and the accountant (and superusers)."""

    list_display = ["name", "kind", "shown_as", "school"]
    list_filter = ["kind", "display"]
    search_fields = ["name", "display_name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["reference"]

    @admin.display(description=_("shown in public as"))
    def shown_as(self, obj):
        return obj.public_name

    def _sees_contacts(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if obj is not None:
            return can_see_donor_contacts(request.user, obj.school_id)
        return any(can_see_donor_contacts(request.user, school_id) for school_id in (self.school_ids(request) or ()))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._sees_contacts(request, obj):
            return fields
        return [name for name in fields if name not in CONTACT_FIELDS]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# The bank statements, handovers and asset register; the honour rolls and letters.
from donations import admin_bank, admin_honour  # noqa: E402, F401
