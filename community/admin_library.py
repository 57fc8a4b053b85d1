"""The library part's admin pages (school-scoped)."""
