"""Reports people read: one self-contained HTML page (tables, SVG plots, per-task views) and Markdown.

Pieces, one job each: ``runs`` loads results folders, ``table`` builds the
leaderboard model, ``plots`` draws SVG with matplotlib (imported only when a
plot is drawn), ``highlight`` marks spans in escaped text, ``html`` and
``markdown`` render, ``build`` writes the files.
"""

from __future__ import annotations

from .build import write_report, write_run_html

__all__ = ["write_report", "write_run_html"]
