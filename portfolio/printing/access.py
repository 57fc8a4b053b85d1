"""Who may print label sheets and ask for, follow and download albums and summaries: the
portfolio's policies (portfolio.policies), named here for the printed outputs."""

from __future__ import annotations

from portfolio.policies import (  # noqa: F401 (the names the printed outputs use)
    can_have_albums,
    can_make_summary,
    can_print_labels,
    family_access_ends,
    family_access_open,
)
