"""From score records to numbers: report.json, comparisons, CI gates."""
