"""How the events part of the app plugs into the core and the mechanisms (called from CommunityConfig.ready())."""


def install() -> None:
    pass
