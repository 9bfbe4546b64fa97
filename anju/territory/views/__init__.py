"""Workbench pages of the registry, a module per topic: `compounds` (list, record, history),
`nodes` (territory adjustments, city office only) and `imports` (registry import and export).
Scope comes from `request.scope`; the rules live in `services` and `selectors`."""
