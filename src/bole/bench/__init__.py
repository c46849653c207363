"""Benchmarks run by `bole bench ...`."""
