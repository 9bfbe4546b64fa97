"""Test support shared by every app's tests (loaded as a pytest plugin: pyproject addopts)."""
