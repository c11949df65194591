"""Foundations every layer may use: the data model, errors, safe JSON/Markdown/file IO, stats."""
