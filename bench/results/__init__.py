"""Reading finished runs and baselines."""
