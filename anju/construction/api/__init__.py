"""Construction's api, a module per chapter (parties and schedule, notices,
inspections, acceptance, sampling)."""
