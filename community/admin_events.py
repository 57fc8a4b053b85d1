"""The events part's admin pages (school-scoped)."""
