"""How privacy plugs into the core and the mechanisms (called from PrivacyConfig.ready())."""

from __future__ import annotations


def install() -> None:
    pass
