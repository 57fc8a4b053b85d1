"""The events part's models."""
