"""Every read of design, scoped, one module per chapter."""
