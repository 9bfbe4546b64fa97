"""Workbench pages of coordination, a module per area: works, conflicts, packages."""
