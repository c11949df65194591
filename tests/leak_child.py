"""A ``cmd:`` summarizer for tests/test_leakage.py: reports what it can see, then summarizes.

Usage: ``leak_child.py REPORT.json [ignored args...]``. Reads the task JSON on
stdin, searches it, its environment, working directory, argv and open files
(its own and its parent's) for gold-only words, writes the findings plus the
title and argv it received to REPORT.json, and prints the documents' text.
"""

import json
import sys

from fault_tools import scan_for_gold

raw = sys.stdin.read()
task = json.loads(raw)
report = scan_for_gold(raw)
report["title"] = task["title"]
report["argv"] = sys.argv[1:]
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    json.dump(report, handle)
print(" ".join(doc["text"] for doc in task["documents"]))
