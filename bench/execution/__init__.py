"""Summarize -> score -> finish: configuration, executors, shards, resume, results folders."""
