"""What the portfolio prints: QR label sheets for a class, a child's album (a PDF and a ZIP of the
files with a page that opens offline), and the "ready for school" summary a family takes to the
primary school.

- who may print, ask for and download them (the after-leaving period included) is portfolio.policies;
- `labels`, `albums`, `summary`: asking, reading and building each one;
- `documents`: what the builders share (fonts, text that fits its box, stored files);
- `retention`: the daily job that deletes what is kept long enough.

Label sheets and albums are built by workers on the media queue (portfolio.tasks); the summary is
short and made while the family waits.
"""

from __future__ import annotations


def install() -> None:
    """Plug the printed outputs in (called at the end of PortfolioConfig.ready()): the demo step,
    the links on the core's pages and the daily cleanup's beat entry."""
    from portfolio import demo_printing, views_printing
    from portfolio.printing import retention

    demo_printing.register()
    views_printing.links_install()
    retention.beat_schedule_install()
