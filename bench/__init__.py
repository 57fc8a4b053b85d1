"""Benchmarks: a scale data generator and an HTTP load run against a baseline (see BENCHMARKS.md)."""
