"""The page behind a work's QR label: /w/<token>.

- A malformed code is the plain 404, for everyone.
- A well-formed code sends a visitor who is not signed in to sign in, and back here, whether or not
  the code exists: the answer tells nothing about it.
- Signed in: the work, to those who may see it (portfolio.policies.can_view_work). A replaced code
  tells the child's guardians that the label was replaced, with a link to the work. Everyone else
  gets the same 404 as for a code that never existed, after the same single lookup.
"""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from coordination.lib import fragments, percache
from parents.policies import guardian_child_ids
from portfolio import policies, selectors, services
from portfolio.models import TOKEN_PATTERN
from schools.models import ChildRead
from schools.policies import access_for
from schools.services import child_read_log

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
    work, content = _work_for(token, user)
    if work is None:
        raise Http404
    if not work.token_is_current:
        if policies.is_told_of_replaced_code(user, work):
            return render(request, "portfolio/work_replaced.html", {"work": work})
        raise Http404
    if not policies.can_view_work(user, work):
        raise Http404
    by_family = policies.is_family_of(user, work.child)
    services.work_opened(work=work, user=user, by_family=by_family, already=work.viewer_opened)
    if not by_family:
        child_read_log(reader=user, child=work.child, area=ChildRead.Area.PORTFOLIO)
    return render(
        request,
        "portfolio/work.html",
        {"work": work, "content": content or _content(work), "manages": policies.can_manage_work(user, work)},
    )


# How long a code is known to belong to its school: a work never moves to another school.
TOKEN_SCHOOL_SECONDS = 24 * 60 * 60


def _school_key(token: str) -> str:
    return f"portfolio:work-school:{token}"


def read_ahead(request) -> list[str]:
    """On a work's page, the school of its code is read with the person's values (percache)."""
    path = request.path_info
    if path.startswith("/w/") and _TOKEN.fullmatch(path[3:]):
        return [_school_key(path[3:])]
    return []


def _work_for(token: str, user):
    """The work of this code, as selectors.work_for_token reads it for this person, and its content
    when the person may see it and it is ready, kept between the person's visits until anything of
    the work's school that the page shows changes: the work, its photos, the child, the class, the
    consents, the voice note's file (coordination/lib/fragments.py), or the person's own values, and
    the person's first opening of it (services.work_opened).

    The school of a code is kept apart (it never changes), read ahead with the person's values: the
    first visit of a code reads the work and learns its school; later visits read the kept work with
    the school's generation, in one round trip."""
    key = _school_key(token)
    school_id = percache.read_many([key]).get(key)
    if school_id is None:
        work = selectors.work_for_token(token=token, user=user)
        if work is not None:
            cache.set(key, work.school_id, TOKEN_SCHOOL_SECONDS)
        return work, None
    return fragments.kept(
        user.pk, "portfolio.work", lambda: _work_and_content(token, user), schools=[school_id], extra=token
    )


def _work_and_content(token: str, user):
    work = selectors.work_for_token(token=token, user=user)
    if work is None or not work.token_is_current or not policies.can_view_work(user, work):
        return work, None
    content = _content(work)
    # Kept with the work only once everything it shows is ready (a voice note still being processed is not).
    return work, (content if cache.get(_content_key(work)) is not None else None)


# The work's content (photos, voice, notes, earlier works) is the same for everyone who may see it, so
# it is rendered once and kept, under a key made of everything it shows: the work's row, the child's
# name and class, the consents, and marks of its photos and of the child's works in the domain (read
# with the work, selectors.work_for_token). A change to any of them is a new key; an edit of an
# earlier work's title shows within CONTENT_SECONDS. Kept only once everything is ready.
CONTENT_SECONDS = 300
NOT_SHOWN = frozenset({"family_opened_at", "created_at", "created_by_id"})


def _content_key(work) -> str:
    child, voice = work.child, work.voice
    shown = [
        get_language(),
        *(getattr(work, f.attname) for f in work._meta.concrete_fields if f.attname not in NOT_SHOWN),
        child.full_name,
        child.nickname,
        work.classroom.name,
        voice and (voice.state, voice.rendition.name, voice.original.name, voice.transcript),
        work.photos_allowed,
        work.voice_allowed,
        work.content_marks,
    ]
    return "portfolio:work-page:" + hashlib.sha256(repr(shown).encode()).hexdigest()


def _content(work) -> str:
    return _content_made(work)[0]


def _content_made(work) -> tuple[str, bool]:
    """The work's content, and whether everything in it is ready (then it is kept)."""
    key = _content_key(work)
    content = cache.get(key)
    if content is not None:
        return mark_safe(content), True  # noqa: S308 (rendered by the template engine, earlier)
    page = selectors.work_page(work)
    content = render_to_string(
        "portfolio/work_content.html",
        {
            "work": work,
            "page": page,
            "child": work.child,
            "photos": page.photos if work.photos_allowed else [],
            "voice": work.voice if work.voice_allowed else None,
        },
    )
    if page.ready:
        cache.set(key, content, CONTENT_SECONDS)
    return mark_safe(content), page.ready  # noqa: S308 (rendered by the template engine just above)
