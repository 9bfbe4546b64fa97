"""Funding's views, a module per chapter (ledger, sharing, contracts)."""
