"""The admin pages of each part of the app."""

from community import admin_events, admin_library, admin_menus  # noqa: F401
