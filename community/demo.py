"""The demo step "community": Sao Mai's lending library, its Mid-Autumn festival and open lesson, and
this week's and next week's menus. Idempotent, like every demo step."""

from __future__ import annotations

from coordination.lib import demo as demo_steps

STEP = "community"


def seed_community(ctx: demo_steps.DemoContext) -> None:
    from community import demo_events, demo_library, demo_menus

    demo_library.seed(ctx)
    demo_events.seed(ctx)
    demo_menus.seed(ctx)


def register() -> None:
    demo_steps.register(STEP, seed_community, after=("families",))
