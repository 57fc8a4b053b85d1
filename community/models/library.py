"""The library part's models."""
