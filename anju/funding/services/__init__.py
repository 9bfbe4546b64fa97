"""Funding's services, a module per chapter (ledger, sharing, contracts)."""
