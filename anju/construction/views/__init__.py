"""Construction's views, a module per chapter (parties and schedule, notices,
inspections, acceptance, sampling)."""
