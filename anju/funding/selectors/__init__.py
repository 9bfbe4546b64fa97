"""Funding's selectors, a module per chapter (ledger, sharing, contracts)."""
