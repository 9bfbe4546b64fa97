"""Stewardship's api, a module per chapter (schemes, coverage, governance, reports)."""
