"""Construction's selectors, a module per chapter (parties and schedule, notices,
inspections, acceptance, sampling)."""
