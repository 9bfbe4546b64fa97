"""Stewardship's selectors, a module per chapter (schemes, coverage, governance, reports)."""
