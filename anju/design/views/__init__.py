"""Design's workbench and portal pages, one module per chapter."""
