"""Small helpers for forms that every app's views share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's messages on the form: beside their field, or at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for error in errors:
            form.add_error(target, error)
