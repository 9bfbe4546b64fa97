"""anju (安居): the platform a city uses to run its programme of renovating old compounds."""
