"""The menus part of the demo step "community"."""


def seed(ctx) -> None:
    pass
