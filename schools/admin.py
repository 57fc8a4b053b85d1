from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from schools import services
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline
from schools.models import (
    Authority,
    AuthorityDaysOff,
    AuthorityOfficer,
    Child,
    Classroom,
    Enrolment,
    PickupPerson,
    School,
    SchoolDaysOff,
    SchoolYear,
    StaffMembership,
)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class AuthorityOfficerInline(admin.TabularInline):
    model = AuthorityOfficer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Authority)
class AuthorityAdmin(SuperuserOnlyAdmin):
    list_display = ["name", "level", "province", "needs_review"]
    list_filter = ["level", "needs_review"]
    list_select_related = ["province"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorityOfficerInline]


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    school_path = "pk"
    list_display = ["name", "authority", "phone"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["authority", "slug"]

    def get_prepopulated_fields(self, request, obj=None):
        # A principal cannot change the slug (it is in printed QR links).
        return self.prepopulated_fields if request.user.is_superuser else {}


@admin.register(SchoolYear)
class SchoolYearAdmin(SchoolScopedAdmin):
    list_display = ["name", "school", "starts_on", "ends_on", "is_current"]
    list_filter = ["is_current"]


@admin.register(Classroom)
class ClassroomAdmin(SchoolScopedAdmin):
    list_display = ["name", "age_group", "school_year", "school"]
    list_filter = ["age_group", "school_year__is_current"]
    search_fields = ["name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(SchoolScopedAdmin):
    list_display = ["user", "role", "school", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__full_name", "user__email", "user__phone"]
    filter_horizontal = ["classrooms"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        # A membership stays the same person's: someone else gets a membership of their own.
        return ["user"] if obj else []


class EnrolmentInline(SchoolScopedInline):
    model = Enrolment
    fields = ["classroom", "starts_on", "ends_on"]
    readonly_fields = ["classroom", "starts_on", "ends_on"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PickupPersonInline(SchoolScopedInline):
    model = PickupPerson
    fields = ["full_name", "relationship", "phone", "can_pick_up", "is_emergency_contact"]


@admin.register(Child)
class ChildAdmin(SchoolScopedAdmin):
    list_display = ["full_name", "code", "date_of_birth", "classroom", "school", "left_on"]
    list_filter = ["classroom__age_group", "left_on"]
    search_fields = ["full_name", "nickname", "code"]
    list_select_related = ["classroom", "school"]
    readonly_fields = ["classroom"]
    inlines = [EnrolmentInline]

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.school_id = form.instance.school_id
            instance.save()
        formset.save_m2m()


@admin.register(Enrolment)
class EnrolmentAdmin(SchoolScopedAdmin):
    """Moving a child to a class: adding an enrolment closes the one they had."""

    list_display = ["child", "classroom", "starts_on", "ends_on"]
    list_filter = ["classroom__age_group", "ends_on"]
    search_fields = ["child__full_name"]
    list_select_related = ["child", "classroom"]
    fields = ["child", "classroom", "starts_on", "ends_on"]
    autocomplete_fields = ["child"]

    def get_readonly_fields(self, request, obj=None):
        # History is not rewritten: a wrong move is corrected by a new one.
        return ["child", "classroom", "starts_on", "ends_on"] if obj else ["ends_on"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            base_clean = form.clean

            def clean(form_self):
                cleaned = base_clean(form_self)
                child, classroom = cleaned.get("child"), cleaned.get("classroom")
                if child and classroom and child.school_id != classroom.school_id:
                    raise ValidationError(_("The class belongs to another school."))
                return cleaned

            form.clean = clean
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        ids = self.school_ids(request)
        if ids is not None and obj.child.school_id not in ids:
            raise PermissionDenied
        enrolment = services.child_enrol(child=obj.child, classroom=obj.classroom, starts_on=obj.starts_on)
        obj.pk = enrolment.pk
        obj.school_id = enrolment.school_id


PICKUP_FIELDS = ["full_name", "relationship", "phone", "id_number", "can_pick_up", "is_emergency_contact"]


@admin.register(PickupPerson)
class PickupPersonAdmin(SchoolScopedAdmin):
    """A leader adds, changes or removes a pick-up person (for a family without the portal); the
    child's guardians and class teachers are told at once, as when a guardian does it."""

    list_display = ["full_name", "relationship", "child", "can_pick_up", "is_emergency_contact"]
    search_fields = ["full_name", "child__full_name"]
    autocomplete_fields = ["child"]
    readonly_fields = ["school", "added_by"]

    def get_readonly_fields(self, request, obj=None):
        # The school is the child's. Moving a pick-up person to another child would be adding
        # them there unannounced.
        return ["school", "child", "added_by"] if obj else ["school", "added_by"]

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in PICKUP_FIELDS}
        if change:
            if not self._allowed(request, obj):
                raise PermissionDenied
            services.pickup_person_update(person=obj, by=request.user, **fields)
            return
        ids = self.school_ids(request)
        if ids is not None and obj.child.school_id not in ids:
            raise PermissionDenied
        person = services.pickup_person_add(child=obj.child, by=request.user, **fields)
        obj.pk, obj.school_id, obj.added_by = person.pk, person.school_id, person.added_by

    def delete_model(self, request, obj):
        services.pickup_person_remove(person=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for person in queryset.select_related("child"):
            services.pickup_person_remove(person=person, by=request.user)


@admin.register(SchoolDaysOff)
class SchoolDaysOffAdmin(SchoolScopedAdmin):
    """A principal adds the school's days off (a Tết break, a local festival, a closure): periods
    counted in working days (schools.calendar) skip them."""

    list_display = ["name", "school", "starts_on", "ends_on"]
    list_filter = ["school"]
    date_hierarchy = "starts_on"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuthorityDaysOff)
class AuthorityDaysOffAdmin(SuperuserOnlyAdmin):
    """Days off an authority decides for all its kindergartens (a province's Tết break)."""

    list_display = ["name", "authority", "starts_on", "ends_on"]
    list_select_related = ["authority"]
    date_hierarchy = "starts_on"
    search_fields = ["name", "authority__name"]
    autocomplete_fields = ["authority"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
