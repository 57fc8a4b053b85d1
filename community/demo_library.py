"""The library part of the demo step "community"."""


def seed(ctx) -> None:
    pass
