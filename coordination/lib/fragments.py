"""Parts of pages kept in the cache, renewed as soon as what they show changes.

A page that is read far more often than what it shows is written (a family's home, a class, a
principal's home) keeps its content's HTML in the cache: one copy per person, language and day,
stored with the *generations* it was rendered under:

- each school it shows has a generation, renewed whenever a row it shows is saved or deleted in that
  school: the models a cached part shows are declared with `shows()`, whose signals renew the row's
  school, and the services that change such rows with `update()` or `bulk_create()` (which send no
  signal) call `schools_changed()` themselves (tests/coordination/test_fragments.py finds those that
  do not);
- the person has a generation, renewed whenever one of their cached values is forgotten
  (coordination/lib/percache.py): their account, roles, children or follows.

A generation is renewed at once and again when the transaction commits, so that a page rendered from
the old rows in the meantime is never taken for current. A part whose generations are no longer
those of its schools and person is rendered again on the next request; nothing else is touched.

A cached part never holds what belongs to one request: a form's CSRF token is kept as a placeholder
and put in on the way out, and parts are rendered without the request's messages.

The cache must be shared by every process that serves requests (Redis in production; the embedded
default's in-process cache serves its one process).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# Part of every key: a change of what the parts hold changes this, so old copies are never read.
VERSION = 1
# A part not read for this long is dropped; any change renews it long before.
TIMEOUT = 6 * 60 * 60
# Generations live as long as parts can (and longer): a generation the cache lost is replaced by a
# new one, which no stored part carries.
GENERATION_TIMEOUT = 2 * TIMEOUT
# Stands for the request's CSRF token in a stored part. Not a valid token, so never taken for one.
CSRF_PLACEHOLDER = "csrf-token-of-the-request-0b9c4d"
# The indentation and blank lines that templates leave around tags.
_LINE_BREAKS = re.compile(r"[ \t\r\f\v]*\n\s*")
# Where white space is shown as it is.
_KEPT_SPACE = re.compile(r"<(?:pre|textarea)\b", re.IGNORECASE)


def compact_html(html: str) -> str:
    """The HTML with every run of white space that holds a line break made one line break: the page
    shows the same (a browser reads either as one space), and a kept part is smaller to store, read
    and send to a phone. HTML with a `<pre>` or a `<textarea>` is left as it is."""
    if _KEPT_SPACE.search(html):
        return html
    return _LINE_BREAKS.sub("\n", html)


def _school_key(school_id) -> str:
    return f"frag:{VERSION}:gen:school:{school_id}"


# The generation of what every school shares (the national food table): renewed by a change of such a row.
EVERYONE = "everyone"


def _topic_key(topic: str) -> str:
    return f"frag:{VERSION}:gen:topic:{topic}"


def _person_key(person_id) -> str:
    return f"frag:{VERSION}:gen:person:{person_id}"


def _part_key(name: str, person_id, extra: str) -> str:
    language = translation.get_language() or ""
    day = timezone.localdate().isoformat()
    return f"frag:{VERSION}:part:{name}:{person_id}:{language}:{day}:{extra}"


def _renew(names: list[str]) -> None:
    from coordination.lib import percache

    if names:
        renewed = {name: secrets.token_hex(8) for name in names}
        cache.set_many(renewed, GENERATION_TIMEOUT)
        percache.note(renewed)  # a later read in this request sees the new generations


def _renew_now_and_at_commit(names: list[str]) -> None:
    if not names:
        return
    _renew(names)
    transaction.on_commit(lambda: _renew(names))


def schools_changed(school_ids: Iterable) -> None:
    """Something these schools' cached parts may show changed: render them again on their next read."""
    _renew_now_and_at_commit([_school_key(pk) for pk in {pk for pk in school_ids if pk is not None}])


def topic_changed(topic: str) -> None:
    """Something shared by many schools changed (the authorities' published figures): render again the
    parts and values kept with this topic."""
    _renew_now_and_at_commit([_topic_key(topic)])


def people_changed(person_ids: Iterable) -> None:
    """These people's own values changed (roles, children, account): render their parts again."""
    _renew_now_and_at_commit([_person_key(pk) for pk in {pk for pk in person_ids if pk is not None}])


def _generations(found: dict, names: list[str]) -> tuple:
    """The current generation of each name, giving a new one to a name the cache does not have."""
    from coordination.lib import percache

    current = []
    for name in names:
        value = found.get(name)
        if value is None:
            cache.add(name, secrets.token_hex(8), GENERATION_TIMEOUT)
            value = cache.get(name)
            percache.note({name: value})
        current.append((name, value))
    return tuple(current)


def kept(
    person_id,
    name: str,
    make: Callable[[], object],
    *,
    schools: Iterable,
    topics: Iterable[str] = (),
    extra: str = "",
    timeout: int = TIMEOUT,
    along: Iterable[str] = (),
):
    """The value `name` for this person (None: the same for everyone), from the cache while nothing it
    was made of has changed; `make()` makes it when needed. `schools`: the schools whose data it holds;
    `topics`: what else it is made of that has a generation (`topic_changed`). `extra`: anything else it
    depends on (a page number, a chosen week). `timeout`: the longest it may be kept, for what it shows
    that renews nothing when it changes. `along`: other keys the page will read next, read in the same
    round trip (coordination.lib.percache.read_many finds them)."""
    from coordination.lib import percache

    part, *generation_names = read_ahead(person_id, name, schools=schools, topics=topics, extra=extra)
    found = percache.read_many([part, *generation_names, *along])
    generations = _generations(found, generation_names)
    stored = found.get(part)
    if stored is not None and stored[0] == generations:
        return stored[1]
    value = make()
    cache.set(part, (generations, value), timeout)
    percache.note({part: (generations, value)})
    return value


def read_ahead(person_id, name: str, *, schools: Iterable = (), topics: Iterable[str] = (), extra: str = "") -> list:
    """The key `kept()` keeps this value under (this request's language, today), then its generations'
    keys: a page may read them ahead with the person's values (percache.read_along_request)."""
    person = "anonymous" if person_id is None else person_id
    topics, schools = sorted(set(topics)), sorted(set(schools))
    # The schools and topics are part of the key: a value shared by everyone is kept once per school.
    scope = ",".join([*topics, *map(str, schools)])
    names = [_part_key(name, person, f"{scope}:{extra}"), _person_key(person), _school_key(EVERYONE)]
    return names + [_topic_key(topic) for topic in topics] + [_school_key(pk) for pk in schools]


def cached(
    request,
    name: str,
    render: Callable[[], str],
    *,
    schools: Iterable,
    extra: str = "",
) -> SafeString:
    """The part `name` of a page for the request's person, from the cache while nothing it shows has
    changed. `render()` makes the HTML when needed: render its template with `render_part()`."""
    person_id = request.user.pk if request.user.is_authenticated else None
    html = kept(person_id, name, lambda: compact_html(str(render())), schools=schools, extra=extra)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our templates, escaped by them


def render_part(template_name: str, context: dict, request) -> str:
    """A template rendered for a cached part: its forms' CSRF token is left as a placeholder."""
    from django.template.loader import render_to_string

    return render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)


# --- What cached parts show: the models whose changes renew their school's parts.

# Each model shown, with what one of its rows renews: ("school", its school) or ("topic", a topic).
_shown: dict[type, Callable[[object], tuple[str, object]]] = {}


def _school_id(instance):
    return getattr(instance, "school_id", None)


def _renew_for(sender, instance) -> None:
    kind, value = _shown[sender](instance)
    if kind == "topic":
        topic_changed(value)
    else:
        # A row of no school (a food of the national table) is shown by every school's parts.
        schools_changed([EVERYONE if value is None else value])


def _row_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # not while loading fixtures
        _renew_for(sender, instance)


def _links_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") or action == "pre_clear":
        _renew_for(type(instance), instance)


def shows(
    *models,
    school_of: Callable[[object], object] = _school_id,
    topic_of: Callable[[object], str] | None = None,
) -> None:
    """Cached parts show rows of these models: their saves and deletions, and the changes of their
    many-to-many links, renew the parts of the row's school (its `school_id`, or `school_of(row)`), or
    every school's parts for a row of no school; or, with `topic_of`, only the parts kept with the row's
    topic (a school's transparency board, which the ledger's every entry changes)."""
    for model in models:
        if model in _shown:
            continue
        if topic_of is not None:
            _shown[model] = lambda row, topic_of=topic_of: ("topic", topic_of(row))
        else:
            _shown[model] = lambda row, school_of=school_of: ("school", school_of(row))
        uid = f"fragments.{model._meta.label}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"{uid}.saved", weak=False)
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"{uid}.deleted", weak=False)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"{uid}.{field.name}", weak=False)


def shown_models() -> frozenset[type]:
    return frozenset(_shown)
