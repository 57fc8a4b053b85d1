"""The multi-tenant admin: a leader sees, chooses and saves only their own school's objects.

Every app's `admin.py` registers its models with `SchoolScopedAdmin` (inlines: `SchoolScopedInline`),
and gets, without writing anything for it:

- rows: the changelist, the change and delete pages, history and saves are limited to the schools
  the user leads (a superuser: every school), following `school_path` from the model to its school;
- choices: every foreign key and many-to-many of every form, inlines included, offers only the
  objects of those schools, found by following the *related* model's own path to its school (the
  School itself; a model with a `school` foreign key; a model whose path is declared with
  `declare_school_path` or by the `school_path` of its registered admin). A field naming an account
  offers only the accounts linked to those schools (`schools.linked_accounts`: its staff, its
  children's guardians, and what features add). Posting another school's id answers Django's
  "Select a valid choice", and that object's name never appears on the page;
- search: `autocomplete_fields` ask `SchoolScopedAutocompleteJsonView`, which answers only with
  the choices the form itself would accept, and only for a field that a scoped admin offers
  through autocomplete to this user;
- list filters on a relation list only the related objects found in the user's rows.

Raw-id widgets are not allowed (they print the name of whatever object is typed in). A foreign key
that the base class cannot follow to a school, a raw-id field, or an inline that is not a
`SchoolScopedInline` is a system check error (`schools.E001`–`E004`), so `manage.py check`,
`makemigrations` and the test suite fail until it is fixed; a form that meets such a relation
anyway raises ImproperlyConfigured. A new app cannot forget it. Model admins that do not use this
base class are left to Django's model permissions, which principals do not hold: they are for
superusers.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.checks import InlineModelAdminChecks, ModelAdminChecks
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.forms import CheckboxSelectMultiple, SelectMultiple
from django.forms.models import _get_foreign_key
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _django

from schools.linked_accounts import linked_accounts
from schools.policies import leader_school_ids

# --- From a model to its school

_declared_paths: dict[str, str] = {}


def declare_school_path(model, path: str) -> None:
    """Say how to reach the school from a model that has no `school` field of its own.

    `path` is a lookup ending at the school, e.g. `"notice__school"`. Declare it beside the model's
    admin (or in the app's `AppConfig.ready()`) when no registered `SchoolScopedAdmin` says it.
    """
    _declared_paths[model._meta.label_lower] = path


def school_path_of(model, admin_site=None) -> str | None:
    """The lookup from `model` to its school, or None when the admin does not know one."""
    from schools.models import School

    if model is School:
        return "pk"
    declared = _declared_paths.get(model._meta.label_lower)
    if declared:
        return declared
    try:
        field = model._meta.get_field("school")
    except FieldDoesNotExist:
        field = None
    if field is not None and field.many_to_one and field.related_model is School:
        return "school"
    model_admin = (admin_site or admin.site)._registry.get(model)
    if isinstance(model_admin, SchoolScopedAdmin):
        return model_admin.school_path
    return None


def _path_fields(model, path: str) -> list:
    """The fields a school path walks through; raises ImproperlyConfigured when it leads nowhere."""
    from schools.models import School

    if path == "pk" and model is School:
        return []
    try:
        fields = get_fields_from_path(model, path)
    except (FieldDoesNotExist, NotRelationField):
        fields = []
    if not fields or not fields[-1].is_relation or fields[-1].related_model is not School:
        raise ImproperlyConfigured(f"{path!r} does not lead from {model._meta.label} to its school.")
    return fields


def _checked_school_path(model, admin_site=None) -> str:
    path = school_path_of(model, admin_site)
    if path is None:
        raise ImproperlyConfigured(
            f"The admin cannot follow {model._meta.label} to a school, so it cannot offer it as a choice. "
            "Give the model a `school` foreign key, register it with a SchoolScopedAdmin whose "
            "school_path leads to the school, or declare its path with schools.admin_base.declare_school_path()."
        )
    _path_fields(model, path)
    return path


def can_scope(model, admin_site=None) -> bool:
    """Whether the admin can limit the choices of `model` to some schools."""
    if model is get_user_model():
        return True
    try:
        _checked_school_path(model, admin_site)
    except ImproperlyConfigured:
        return False
    return True


def scope_queryset(queryset, school_ids, admin_site=None):
    """The part of `queryset` that belongs to these schools (accounts: those linked to them).

    Raises ImproperlyConfigured for a model the admin cannot follow to a school.
    """
    model = queryset.model
    if model is get_user_model():
        return queryset.filter(pk__in=linked_accounts(school_ids=school_ids).values("pk"))
    path = _checked_school_path(model, admin_site)
    scoped = queryset.filter(**{f"{path}__in": list(school_ids)})
    multi_valued = any(field.one_to_many or field.many_to_many for field in _path_fields(model, path))
    return scoped.distinct() if multi_valued else scoped


# The authority a school belongs to is the school's own (a leader never picks another one).
def _declare_core_paths() -> None:
    from schools.models import Authority

    declare_school_path(Authority, "schools")


_declare_core_paths()


# --- System checks: a scoped admin that could offer an unscoped choice does not start


def _scoping_errors(admin_obj) -> list[checks.CheckMessage]:
    errors = []
    model, cls = admin_obj.model, admin_obj.__class__
    if admin_obj.raw_id_fields:
        errors.append(
            checks.Error(
                f"{cls.__qualname__}.raw_id_fields: a raw-id widget prints the name of any object whose id is "
                "typed in, whatever its school.",
                hint="Use autocomplete_fields (or a plain select); the base class scopes both.",
                obj=cls,
                id="schools.E001",
            )
        )
    parent_fk = None
    if isinstance(admin_obj, InlineModelAdmin):
        try:
            parent_fk = _get_foreign_key(admin_obj.parent_model, model, fk_name=admin_obj.fk_name)
        except ValueError:
            parent_fk = None  # Django's own inline checks report it
    else:
        try:
            _path_fields(model, admin_obj.school_path)
        except ImproperlyConfigured:
            errors.append(
                checks.Error(
                    f"{cls.__qualname__}.school_path {admin_obj.school_path!r} does not lead from "
                    f"{model._meta.label} to its school.",
                    obj=cls,
                    id="schools.E002",
                )
            )
        for inline in admin_obj.inlines:
            if not issubclass(inline, SchoolScopedInlineMixin):
                errors.append(
                    checks.Error(
                        f"{cls.__qualname__} has the inline {inline.__qualname__}, which does not scope its choices.",
                        hint="Make it a schools.admin_base.SchoolScopedInline.",
                        obj=cls,
                        id="schools.E003",
                    )
                )
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and field.editable) or field.auto_created:
            continue
        if field.many_to_many and not field.remote_field.through._meta.auto_created and not is_school_link(field):
            continue  # through a model of its own: never a form field
        if parent_fk is not None and field == parent_fk:
            continue
        if not can_scope(field.related_model, admin_obj.admin_site):
            errors.append(
                checks.Error(
                    f"{model._meta.label}.{field.name}: the admin cannot follow {field.related_model._meta.label} "
                    "to a school, so it cannot scope the choices of this field.",
                    hint="Give that model a `school` foreign key, register it with a SchoolScopedAdmin whose "
                    "school_path leads to the school, or call schools.admin_base.declare_school_path().",
                    obj=cls,
                    id="schools.E004",
                )
            )
    return errors


def is_school_link(field) -> bool:
    """A many-to-many field whose link model only adds the school (schools.models.SchoolLink): the admin
    edits it like an automatic one, and the link rows get their school from the row they belong to."""
    from schools.models import SchoolLink

    through = getattr(getattr(field, "remote_field", None), "through", None)
    return bool(field.many_to_many) and isinstance(through, type) and issubclass(through, SchoolLink)


class SchoolScopedAdminChecks(ModelAdminChecks):
    def check(self, admin_obj, **kwargs):
        return [*super().check(admin_obj, **kwargs), *_scoping_errors(admin_obj)]

    # Django refuses a many-to-many field through a model of its own in `fields` and `filter_horizontal`
    # (admin.E013), because it could not fill the model's other columns; a school link fills its own.
    def _check_field_spec_item(self, obj, field_name, label):
        if _is_school_link_name(obj.model, field_name):
            return []
        return super()._check_field_spec_item(obj, field_name, label)

    def _check_filter_item(self, obj, field_name, label):
        if _is_school_link_name(obj.model, field_name):
            return []
        return super()._check_filter_item(obj, field_name, label)


def _is_school_link_name(model, field_name) -> bool:
    try:
        return is_school_link(model._meta.get_field(field_name))
    except FieldDoesNotExist:
        return False


class SchoolScopedInlineChecks(InlineModelAdminChecks):
    def check(self, inline_obj, **kwargs):
        return [*super().check(inline_obj, **kwargs), *_scoping_errors(inline_obj)]


# --- The base classes


class SchoolScopingMixin:
    """What admins and inlines share: the user's schools, and every relation field scoped to them."""

    raw_id_fields = ()

    def school_ids(self, request) -> set[int] | None:
        """None means every school (a superuser)."""
        if request.user.is_superuser:
            return None
        return leader_school_ids(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._scoped(request, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_school_link(db_field):
            return self._scoped(request, self._school_link_formfield(db_field, request, **kwargs))
        return self._scoped(request, super().formfield_for_manytomany(db_field, request, **kwargs))

    def _school_link_formfield(self, db_field, request, **kwargs):
        """What Django's formfield_for_manytomany gives an automatic many-to-many field (it gives none
        through a model of its own): a filtered select when asked for, the related model's choices."""
        if "widget" not in kwargs and db_field.name in [*self.filter_vertical, *self.filter_horizontal]:
            kwargs["widget"] = widgets.FilteredSelectMultiple(
                db_field.verbose_name, db_field.name in self.filter_vertical
            )
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        formfield = db_field.formfield(**kwargs)
        if isinstance(formfield.widget, SelectMultiple) and not isinstance(formfield.widget, CheckboxSelectMultiple):
            # Django's own words for its multiple selects (translated by Django).
            hint = _django("Hold down “Control”, or “Command” on a Mac, to select more than one.")
            formfield.help_text = format_lazy("{} {}", formfield.help_text, hint) if formfield.help_text else hint
        return formfield

    def _scoped(self, request, formfield):
        if formfield is None or not hasattr(formfield, "queryset"):
            return formfield
        model = formfield.queryset.model
        if model is not get_user_model():
            _checked_school_path(model, self.admin_site)  # fails loudly, for superusers too
        ids = self.school_ids(request)
        if ids is not None:
            formfield.queryset = scope_queryset(formfield.queryset, ids, self.admin_site)
        return formfield


class SchoolScopedAdmin(SchoolScopingMixin, admin.ModelAdmin):
    """Scope rows, every choice, searches and saves to the schools the user leads.

    `school_path` is the lookup from the model to its school; every model that holds school data
    carries the school, so it is usually just `school` (`pk` for the School itself). A new app
    that registers its models with this class is scoped the same way without writing anything;
    see the module's docstring for what it does and the checks that keep it so.
    """

    school_path = "school"
    checks_class = SchoolScopedAdminChecks

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = self.school_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.school_path}__in": ids})

    def get_list_filter(self, request):
        # A filter on a relation lists every related object of the platform; list only those of the rows shown.
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                try:
                    last = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    last = None  # not a field path (Django's own checks look at it)
                if last is not None and last.is_relation:
                    item = (item, admin.RelatedOnlyFieldListFilter)
            elif isinstance(item, tuple | list) and item[1] is admin.RelatedFieldListFilter:
                item = (item[0], admin.RelatedOnlyFieldListFilter)
            filters.append(item)
        return filters

    def school_id_of(self, obj) -> int | None:
        if self.school_path == "pk":
            return obj.pk
        *path, last = self.school_path.split("__")
        target = obj
        for part in path:
            target = getattr(target, part, None)
        return getattr(target, f"{last}_id", None)

    def _allowed(self, request, obj=None) -> bool:
        ids = self.school_ids(request)
        if ids is None:
            return True
        if not ids:
            return False
        return obj is None or self.school_id_of(obj) in ids

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


class SchoolScopedInlineMixin(SchoolScopingMixin):
    """An inline of a `SchoolScopedAdmin`: its rows follow the parent; its choices are scoped."""

    extra = 0
    checks_class = SchoolScopedInlineChecks

    def has_view_permission(self, request, obj=None):
        return True

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class SchoolScopedInline(SchoolScopedInlineMixin, admin.TabularInline):
    pass


class SchoolScopedStackedInline(SchoolScopedInlineMixin, admin.StackedInline):
    pass


class ReadOnlyScopedAdmin(SchoolScopedAdmin):
    """Records of what people did: a principal reads them for their school, nobody edits them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Search behind autocomplete_fields


class SchoolScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete search, answering a leader only with their own school's choices.

    Django's view asks the *related* model's admin (which, for accounts, is for superusers only)
    and knows nothing of the form. Here a leader may search only a field that a scoped admin (or
    one of its inlines) offers them through `autocomplete_fields`, and gets exactly the choices
    that form accepts; anything else is refused. Superusers search everything, as in Django.
    """

    def process_request(self, request):
        try:
            term, model_admin, source_field, to_field_name = super().process_request(request)
        except Http404:
            if request.user.is_superuser:
                raise
            raise PermissionDenied from None  # a leader is refused alike, whatever is wrong with the request
        self.chooser = None
        if not request.user.is_superuser:
            self.chooser = self._chooser(request, source_field)
        return term, model_admin, source_field, to_field_name

    def _chooser(self, request, source_field):
        """The scoped admin or inline whose form offers this field, through autocomplete, to this user."""
        for model_admin in self.admin_site._registry.values():
            if not isinstance(model_admin, SchoolScopedAdmin):
                continue
            if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
                continue
            candidates = [model_admin, *model_admin.get_inline_instances(request)]
            candidates = [candidate for candidate in candidates if candidate.model is source_field.model]
            for candidate in candidates:
                if source_field.name in candidate.get_autocomplete_fields(request):
                    return candidate
        return None

    def has_perm(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_perm(request, obj)
        return self.chooser is not None

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.chooser is None:
            return queryset
        formfield = self.chooser.formfield_for_dbfield(self.source_field, self.request)
        if formfield is None or not hasattr(formfield, "queryset"):
            raise PermissionDenied
        return queryset.filter(pk__in=formfield.queryset.values("pk"))
