"""Calor: a fast, standalone orchestration engine that speaks OpenStack Heat."""

__version__ = "0.1.0"
