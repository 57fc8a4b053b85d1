"""The menus part's admin pages (school-scoped)."""
