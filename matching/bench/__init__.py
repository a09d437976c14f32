"""Benchmarks of the matching library; each module is one topic."""
