"""Measuring the detectors against labelled data (the `* eval` commands)."""
