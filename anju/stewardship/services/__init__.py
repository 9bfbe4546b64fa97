"""Writes of stewardship, a module per chapter, re-exported as one `anju.stewardship.services`
(design calls `save_management_scheme`; construction files reports with `file_report`)."""

from .schemes import save_management_scheme

__all__ = ["save_management_scheme"]
