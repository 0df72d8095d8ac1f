#!/usr/bin/env python3
"""Print 'N passed, N failed' from meson's testlog.json (one JSON object a line)."""
import json
import sys

passed = failed = skipped = 0
try:
    with open(sys.argv[1], encoding="utf-8") as log:
        for line in log:
            line = line.strip()
            if not line:
                continue
            result = json.loads(line).get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
except FileNotFoundError:
    failed = 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
