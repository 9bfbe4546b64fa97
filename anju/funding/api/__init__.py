"""Funding's api, a module per chapter (ledger, sharing, contracts)."""
