"""The menus part's models."""
