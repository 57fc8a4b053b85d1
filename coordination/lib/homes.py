"""Where a staff role lands after signing in, for the roles whose pages a feature app provides.

The home view knows the core's roles (leaders, teachers, families, officers). A feature that gives a
role its daily page (the nurse's measuring day, for example) registers it here in its
`AppConfig.ready()`; without the feature, the role gets the core's default.
"""

from __future__ import annotations

from collections.abc import Callable

# role -> a function of the user giving the path of their home
_homes: dict[str, Callable[[object], str]] = {}


def role_home_register(role: str, url: Callable[[object], str]) -> None:
    _homes[role] = url


def role_home(role: str, user) -> str | None:
    url = _homes.get(role)
    return url(user) if url else None
