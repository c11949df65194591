"""The checkers behind the hallucination metrics: claims, probes, key facts, support, judges."""
