"""The base of the donations' admin pages: the school's principal, vice-principal and accountant.

`schools.admin_base.SchoolScopedAdmin` scopes rows and choices to the schools a person *leads*;
the donations are also the accountant's work, so here the schools are those whose donations the
person manages (`donations.policies.can_manage_donations`). Everything else the base class does
(rows, choices, autocomplete, filters, the system checks) is the same. What only the principal may
do (publish, approve, settle) is asked with `can_approve`.

Every other app's admin stays scoped to leaders: the accountant, let into the admin for these pages,
sees no children, guardianships or media there.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from donations import policies
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline, SchoolScopedStackedInline
from schools.policies import access_for


def managed_school_ids(user) -> set[int]:
    """The schools whose donations the person manages (principal, vice-principal, accountant)."""
    return {
        school_id for school_id in access_for(user).roles_by_school if policies.can_manage_donations(user, school_id)
    }


class DonationsScoping:
    def school_ids(self, request) -> set[int] | None:
        """None means every school (a superuser)."""
        if request.user.is_superuser:
            return None
        return managed_school_ids(request.user)

    def can_approve(self, request, school_id: int | None = None) -> bool:
        """The principal's decisions: for one school, or (school_id None) for any school the person manages."""
        if request.user.is_superuser:
            return True
        if school_id is not None:
            return policies.can_approve(request.user, school_id)
        return any(policies.can_approve(request.user, each) for each in self.school_ids(request) or ())


class DonationsAdmin(DonationsScoping, SchoolScopedAdmin):
    """A donations model's admin, for the school's principal, vice-principal and accountant."""

    # Actions also offered as buttons on an object's page (those the person may run).
    object_actions: tuple[str, ...] = ()

    def approves(self, request, obj=None) -> bool:
        return self.can_approve(request, None if obj is None else self.school_id_of(obj))

    def actions_for(self, obj) -> tuple[str, ...]:
        """The object actions that make sense for this object in its state (all, unless an admin says)."""
        return self.object_actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        buttons = []
        if self.object_actions:
            obj = self.get_object(request, unquote(object_id))
            actions = self.get_actions(request)
            if obj is not None:
                buttons = [(name, actions[name][2]) for name in self.actions_for(obj) if name in actions]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "object_actions": buttons})

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # records of money are never deleted in bulk
        return actions


class DonationsReadOnlyAdmin(DonationsAdmin):
    """Records nobody edits here, superusers included: they are written by the services only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DonationsInline(DonationsScoping, SchoolScopedInline):
    pass


class DonationsStackedInline(DonationsScoping, SchoolScopedStackedInline):
    pass


class ReadOnlyInline(DonationsInline):
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Services called from admin forms: their errors become the form's errors


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Actions that ask for something first (a reason, a checklist): one intermediate page


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


def intermediate_page(model_admin, request, queryset, *, form, title, intro, action, button):
    """The page between choosing an action and doing it: the form, the chosen objects, and a button
    that posts the same action again with the answers."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "objects": list(queryset),
        "action": action,
        "button": button,
        "opts": model_admin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/donations/action_form.html", context)


def apply_posted(request) -> bool:
    """Whether the intermediate page was answered (rather than the action just chosen)."""
    return request.POST.get("apply") == "1"


# How the admin follows the donations' models without a `school` field of their own to their school.
def _declare_paths() -> None:
    from donations.models import Comment, ContributionEvent, ContributionEvidence, SpendingEvidence, WishItem
    from schools.admin_base import declare_school_path

    declare_school_path(WishItem, "campaign__school")
    declare_school_path(Comment, "campaign__school")
    declare_school_path(ContributionEvent, "contribution__school")
    declare_school_path(ContributionEvidence, "contribution__school")
    declare_school_path(SpendingEvidence, "spending__campaign__school")


_declare_paths()
