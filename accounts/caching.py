"""The signed-in person, read from the cache instead of the database on every request.

`CachedAuthenticationMiddleware` replaces Django's AuthenticationMiddleware: the session names the
person as before and its hash of the password is checked as before, against a copy of the account
kept in the cache (coordination/lib/percache.py). Any save or deletion of the account forgets the
copy: a new password, a deactivated account, a new language or name show on the next request.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from coordination.lib import percache

KIND = "user"


def cached_user(request):
    """The person the session names, as `django.contrib.auth.get_user` answers, with one query less."""
    if hasattr(request, "_cached_user"):
        return request._cached_user
    session = request.session
    user = None
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValueError, ValidationError):
        user_id = backend = None
    if user_id is None:
        percache.prefetch_anonymous(request)  # a public page's own keys, learnt from its last visit
    elif backend in settings.AUTHENTICATION_BACKENDS:
        # The person's roles, children and bell, and what this address reads ahead, in one round trip.
        percache.prefetch(user_id, request)
        user = percache.get(percache.key(KIND, user_id))
        hashed = session.get(auth.HASH_SESSION_KEY)
        if user is not None and not (hashed and constant_time_compare(hashed, user.get_session_auth_hash())):
            user = None  # Django decides: an older secret key, or a session to end
    if user is None:
        user = auth.get_user(request)
        if user.is_authenticated:
            cache.set(percache.key(KIND, user.pk), user, percache.TIMEOUT)
    request._cached_user = user
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    def __call__(self, request):
        token = percache.request_started(request)
        try:
            return super().__call__(request)
        finally:
            percache.request_finished(token)

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(partial(cached_user, request))


def forget_user(user_ids) -> None:
    percache.forget(KIND, user_ids)


def _user_changed(sender, instance, **kwargs):
    forget_user([instance.pk])


def _signed_in(sender, request, user, **kwargs):
    """Sign-in fills the person's cached values: the account as the database has it (not the object
    signed in, which may carry this request's own attributes), then their roles, children and bell."""
    fresh = auth.get_user_model()._default_manager.filter(pk=user.pk).first()
    if fresh is not None:
        cache.set(percache.key(KIND, user.pk), fresh, percache.TIMEOUT)
    percache.fill(user)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        forget_user([user.pk])


def connect() -> None:
    model = auth.get_user_model()
    user_logged_out.connect(_signed_out, dispatch_uid="accounts.caching.signed_out")
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.caching.signed_in")
    post_save.connect(_user_changed, sender=model, dispatch_uid="accounts.caching.user_saved")
    post_delete.connect(_user_changed, sender=model, dispatch_uid="accounts.caching.user_deleted")
