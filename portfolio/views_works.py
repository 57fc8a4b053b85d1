"""The page behind a work's QR label: /w/<token>.

- A malformed code is the plain 404, for everyone.
- A well-formed code sends a visitor who is not signed in to sign in, and back here, whether or not
  the code exists: the answer tells nothing about it.
- Signed in: the work, to those who may see it (portfolio.policies.can_view_work). A replaced code
  tells the child's guardians that the label was replaced, with a link to the work. Everyone else
  gets the same 404 as for a code that never existed, after the same single lookup.
"""

from __future__ import annotations

import re

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from parents.policies import guardian_child_ids
from portfolio import policies, selectors, services
from portfolio.models import TOKEN_PATTERN
from schools.policies import access_for

_TOKEN = re.compile(TOKEN_PATTERN)


@require_safe
@never_cache
def work_page(request, token: str):
    if not _TOKEN.fullmatch(token):
        raise Http404
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # What decides who sees a work, read first (and kept on the user for the menu): an unknown code
    # and another family's then cost the same queries.
    access_for(user)
    guardian_child_ids(user)
    work = selectors.work_for_token(token=token, user=user)
    if work is None:
        raise Http404
    if not work.token_is_current:
        if policies.is_told_of_replaced_code(user, work):
            return render(request, "portfolio/work_replaced.html", {"work": work})
        raise Http404
    if not policies.can_view_work(user, work):
        raise Http404
    page = selectors.work_page(work)
    by_family = policies.is_family_of(user, work.child)
    services.work_opened(work=work, user=user, by_family=by_family, already=work.viewer_opened)
    return render(
        request,
        "portfolio/work.html",
        {
            "work": work,
            "page": page,
            "child": work.child,
            "photos": page.photos if work.photos_allowed else [],
            "voice": work.voice if work.voice_allowed else None,
            "manages": policies.can_manage_work(user, work),
        },
    )
