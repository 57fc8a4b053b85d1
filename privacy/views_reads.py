"""A guardian's page: who of the staff looked at their child's records, and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from privacy import selectors_reads


@login_required
@require_safe
def child_reads(request, child_id: int):
    child = selectors_reads.child_for_reads(user=request.user, child_id=child_id)
    page = selectors_reads.child_reads(child=child, page=request.GET.get("page") or 1)
    return render(request, "privacy/child_reads.html", {"child": child, "page": page})
