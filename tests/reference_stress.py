#!/usr/bin/env python3
"""An independent implementation of the liquidation stress (README,
"stress"), to check `btc-turbo-cli stress --json` on real history.

It reads a daily OHLCV CSV (date, open, high, low, close, ...) with plain
Python, computes for each window w in 1, 2, 3, 7, 30 days and each day t
with t + w on or before D

    fall(t, w) = 1 - min(low of t+1 .. t+w) / close of t

(the close where the low is missing), the worst fall, its first start day,
the share of windows whose fall reaches the position's liquidation distance
1 - debt / (LT * collateral), and the highest leverage that survived the
worst fall, 1 / (1 - (1 - fall) * LT); then imports the same CSV with the
CLI into a scratch database and compares:

    reference_stress.py CLI CSV DATE COLLATERAL DEBT LT [DATE COLLATERAL DEBT LT ...]

Exit status 0 when every number agrees to 1e-9 relative, 1 otherwise;
77 (skip) when the CSV is absent.  TAP on stdout.
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta

WINDOWS = [1, 2, 3, 7, 30]


def number(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def read_days(path):
    """{date: (low, close)} from the CSV; a dense calendar from the first to the last day."""
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows[date.fromisoformat(row["date"][:10])] = (number(row.get("low")), number(row.get("close")))
    first, last = min(rows), max(rows)
    days = []
    d = first
    while d <= last:
        days.append((d,) + rows.get(d, (None, None)))
        d += timedelta(days=1)
    return days


def stress(days, when, collateral, debt, lt):
    end = next(i for i, (d, _, _) in enumerate(days) if d == when)
    price = days[end][2]
    hf = collateral * lt / debt if debt > 0 else None
    distance = 1 - 1 / hf if hf else None
    out = {
        "btc_price": price,
        "health_factor": hf,
        "liquidation_price": price / hf if hf else None,
        "liquidation_distance": distance * 100 if hf else None,
        "windows": [],
    }
    for w in WINDOWS:
        worst = None
        worst_day = None
        count = 0
        exceed = 0
        for t in range(0, end - w + 1):
            c0 = days[t][2]
            if c0 is None or c0 <= 0:
                continue
            lows = []
            for j in range(t + 1, t + w + 1):
                low, close = days[j][1], days[j][2]
                lows.append(low if low is not None else close)
            if any(v is None for v in lows):
                continue
            fall = 1 - min(lows) / c0
            count += 1
            if distance is not None and fall >= distance:
                exceed += 1
            if worst is None or fall > worst:
                worst, worst_day = fall, days[t][0]
        entry = {"days": w, "windows": count, "worst_fall": None, "worst_start": None,
                 "exceed_share": None, "safe_leverage": None}
        if count:
            entry["worst_fall"] = worst * 100
            entry["worst_start"] = worst_day.isoformat()
            entry["exceed_share"] = exceed / count * 100
            denominator = 1 - (1 - worst) * lt
            entry["safe_leverage"] = 1 / denominator if denominator > 0 else None
        out["windows"].append(entry)
    return out


def close_enough(want, have):
    if want is None or have is None:
        return want is None and have is None
    if isinstance(want, str) or isinstance(have, str):
        return want == have
    return abs(want - have) <= 1e-9 * max(1.0, abs(want))


def main():
    if len(sys.argv) < 7 or (len(sys.argv) - 3) % 4 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    cli, csv_path = sys.argv[1], sys.argv[2]
    cases = [sys.argv[i:i + 4] for i in range(3, len(sys.argv), 4)]
    if not os.path.exists(csv_path):
        print("1..0 # SKIP %s is absent" % csv_path)
        return 77
    days = read_days(csv_path)
    print("1..%d" % len(cases))
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "stress.db")
        subprocess.run([cli, "--db", db, "import", csv_path], check=True, stdout=subprocess.DEVNULL)
        for n, (ds, collateral, debt, lt) in enumerate(cases, 1):
            want = stress(days, date.fromisoformat(ds), float(collateral), float(debt), float(lt))
            have = json.loads(subprocess.run(
                [cli, "--db", db, "stress", "--date", ds, "--collateral-usd", collateral,
                 "--debt-usd", debt, "--liquidation-threshold", lt, "--json"],
                check=True, stdout=subprocess.PIPE, text=True).stdout)
            problems = []
            if have.get("date") != ds:
                problems.append("date %r" % have.get("date"))
            for key in ("btc_price", "health_factor", "liquidation_price", "liquidation_distance"):
                if not close_enough(want[key], have.get(key)):
                    problems.append("%s: want %r, have %r" % (key, want[key], have.get(key)))
            if [w["days"] for w in have.get("windows", [])] != WINDOWS:
                problems.append("windows %r" % have.get("windows"))
            else:
                for ww, hw in zip(want["windows"], have["windows"]):
                    for key in ("windows", "worst_fall", "worst_start", "exceed_share", "safe_leverage"):
                        if not close_enough(ww[key], hw.get(key)):
                            problems.append("%d days %s: want %r, have %r" % (ww["days"], key, ww[key], hw.get(key)))
            summary = " ".join("%dd:%.2f%%@%s/%.3f%%/%s" % (
                w["days"], w["worst_fall"] or 0, w["worst_start"], w["exceed_share"] or 0,
                "%.4f" % w["safe_leverage"] if w["safe_leverage"] else "-") for w in want["windows"])
            if problems:
                failed += 1
                print("not ok %d - stress %s C=%s B=%s LT=%s" % (n, ds, collateral, debt, lt))
                for p in problems:
                    print("# " + p)
            else:
                print("ok %d - stress %s C=%s B=%s LT=%s: distance %.4f%% %s" % (
                    n, ds, collateral, debt, lt, want["liquidation_distance"] or 0, summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
