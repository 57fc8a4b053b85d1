"""The multi-tenant admin: a principal sees and edits only their own school."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from schools.policies import leader_school_ids


class SchoolScopedAdmin(admin.ModelAdmin):
    """Scope rows, foreign-key choices and saves to the schools the user leads.

    `school_path` is the lookup from the model to its school; every model that
    holds school data carries the school, so it is usually just `school`.
    """

    school_path = "school"

    def school_ids(self, request) -> set[int] | None:
        """None means every school (a superuser)."""
        if request.user.is_superuser:
            return None
        return leader_school_ids(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = self.school_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.school_path}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        self._scope_choices(request, field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        self._scope_choices(request, field)
        return field

    def _scope_choices(self, request, field) -> None:
        ids = self.school_ids(request)
        if ids is None or field is None or not hasattr(field, "queryset"):
            return
        model = field.queryset.model
        from schools.models import School

        if model is School:
            field.queryset = field.queryset.filter(pk__in=ids)
        elif any(f.name == "school" for f in model._meta.get_fields()):
            field.queryset = field.queryset.filter(school__in=ids)

    def _allowed(self, request, obj=None) -> bool:
        ids = self.school_ids(request)
        if ids is None:
            return True
        if not ids:
            return False
        if obj is None:
            return True
        *path, last = self.school_path.split("__")
        target = obj
        for part in path:
            target = getattr(target, part, None)
        return getattr(target, f"{last}_id", None) in ids

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def save_model(self, request, obj, form, change):
        if not self._allowed(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class SchoolScopedInline(admin.TabularInline):
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        SchoolScopedAdmin._scope_choices(self, request, field)
        return field

    def school_ids(self, request):
        return SchoolScopedAdmin.school_ids(self, request)

    def has_view_permission(self, request, obj=None):
        return True

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ReadOnlyScopedAdmin(SchoolScopedAdmin):
    """Records of what people did: a principal reads them for their school, nobody edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
