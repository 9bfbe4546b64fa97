"""Stewardship's views, a module per chapter (schemes, coverage, governance, reports)."""
