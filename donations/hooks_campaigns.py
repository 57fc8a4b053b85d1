"""What the campaigns part of donations plugs into the rest of the portal."""


def install() -> None:
    pass
