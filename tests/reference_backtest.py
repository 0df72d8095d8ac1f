#!/usr/bin/env python3
"""Re-derive a backtest's metrics from its equity and trades CSVs alone.

    reference_backtest.py CLI CSV FROM TO [PROFILE]

Imports the Coin Metrics CSV with the CLI into a scratch database, runs
`backtest --from FROM --to TO --json --equity-csv E --trades-csv T
--set profile=PROFILE` (default seed-v5), then
recomputes every metric of docs/rulebook.md §7 that the two CSVs determine with
plain Python, straight from the document's definitions, and compares them
with the JSON the CLI printed (1e-9 relative).  Exit 77 (skip) when the CSV
is absent.
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from datetime import date


def rel_ok(want, have):
    if want is None or have is None:
        return want is None and have is None
    return abs(want - have) <= 1e-9 * max(1.0, abs(want), abs(have))


def metrics_from_csvs(equity_path, trades_path, capital):
    """E_0 is the initial capital (docs/rulebook.md §7): the curve starts from it,
    so the first day's return and drawdown include the first fills."""
    with open(equity_path, newline="", encoding="utf-8") as f:
        eq = list(csv.DictReader(f))
    with open(trades_path, newline="", encoding="utf-8") as f:
        trades = list(csv.DictReader(f))

    E = [capital] + [float(r["equity"]) for r in eq]
    price = [float(r["btc_price"]) for r in eq]
    lev = [float(r["leverage"]) for r in eq]
    hf = [float(r["health_factor"]) for r in eq if r["health_factor"] != ""]
    d = (date.fromisoformat(eq[-1]["date"]) - date.fromisoformat(eq[0]["date"])).days

    r = [E[t] / E[t - 1] - 1 for t in range(1, len(E))]
    mean = sum(r) / len(r)
    sd = math.sqrt(sum((x - mean) ** 2 for x in r) / (len(r) - 1))
    downside = math.sqrt(sum(min(x, 0.0) ** 2 for x in r) / len(r))

    peak, max_dd, run, longest = E[0], 0.0, 0, 0
    for e in E:
        peak = max(peak, e)
        max_dd = max(max_dd, (1 - e / peak) * 100)
        run = run + 1 if e < peak else 0
        longest = max(longest, run)

    total_return = (E[-1] / E[0] - 1) * 100
    cagr = ((E[-1] / E[0]) ** (365.0 / d) - 1) * 100
    selling = [float(t["pnl_usd"]) for t in trades if t["action"] in ("REDUCE", "EXIT", "LIQUIDATION")]
    wins = [p for p in selling if p > 0]
    losses = [p for p in selling if p < 0]
    hold = (price[-1] / price[0] - 1) * 100

    return {
        "final_value": E[-1],
        "total_return": total_return,
        "cagr": cagr,
        "sharpe_ratio": mean / sd * math.sqrt(365),
        "sortino_ratio": mean / downside * math.sqrt(365) if downside > 0 else None,
        "max_drawdown": max_dd,
        "calmar_ratio": cagr / max_dd if max_dd > 0 else None,
        "win_rate": 100.0 * len(wins) / len(selling) if selling else None,
        "total_trades": float(len(trades)),
        "profit_factor": sum(wins) / abs(sum(losses)) if losses else None,
        "avg_win": sum(wins) / len(wins) if wins else None,
        "avg_loss": sum(losses) / len(losses) if losses else None,
        "expectancy": sum(selling) / len(selling) if selling else None,
        "max_drawdown_days": float(longest),
        "btc_hold_return": hold,
        "outperformance": total_return - hold,
        "fees_paid": sum(float(t["fee_usd"]) for t in trades),
        "liquidations": float(sum(1 for t in trades if t["action"] == "LIQUIDATION")),
        "exposure_pct": 100.0 * sum(1 for x in lev if x > 0) / len(lev),
        "max_leverage_reached": max(lev),
        "avg_leverage": sum(lev) / len(lev),
        "min_health_factor": min(hf) if hf else None,
    }


def main():
    cli, csv_path, start, end = sys.argv[1:5]
    profile = sys.argv[5] if len(sys.argv) > 5 else "seed-v5"
    if not os.path.exists(csv_path):
        print(f"1..0 # SKIP {csv_path} not present")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bt.sqlite")
        e_csv, t_csv = os.path.join(tmp, "e.csv"), os.path.join(tmp, "t.csv")
        subprocess.run([cli, "--db", db, "import", csv_path], check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([cli, "--db", db, "backtest", "--from", start, "--to", end, "--json",
                              "--equity-csv", e_csv, "--trades-csv", t_csv,
                              "--set", f"profile={profile}"],
                             check=True, capture_output=True, text=True).stdout
        got = json.loads(out)
        want = metrics_from_csvs(e_csv, t_csv, float(got["config"]["initial_capital"]))

    print(f"1..{len(want)}")
    failures = 0
    for n, (key, value) in enumerate(want.items(), 1):
        have = got.get(key)
        if isinstance(have, int):
            have = float(have)
        if rel_ok(value, have):
            print(f"ok {n} - {key} = {value!r}")
        else:
            failures += 1
            print(f"not ok {n} - {key}: from the CSVs {value!r}, reported {have!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
