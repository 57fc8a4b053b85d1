from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Only superusers manage accounts here; principals add staff from the portal."""

    ordering = ["email"]
    list_display = ["__str__", "email", "phone", "is_active", "date_joined"]
    search_fields = ["full_name", "email", "phone"]
    list_filter = ["is_active", "is_superuser"]
    fieldsets = [
        (None, {"fields": ["email", "phone", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "language", "phone_verified"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "phone", "full_name", "password1", "password2"]})]

    def get_queryset(self, request):
        # Superusers only come here; should anyone else reach it (a search behind a form), they get
        # no more than the accounts linked to the schools they lead.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        from schools.linked_accounts import linked_accounts
        from schools.policies import leader_school_ids

        return queryset.filter(pk__in=linked_accounts(school_ids=leader_school_ids(request.user)).values("pk"))

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
