"""How reports plug into the core and the mechanisms (called from ReportsConfig.ready())."""

from __future__ import annotations


def install() -> None:
    """Filled in as the school report and the authority dashboard land."""
