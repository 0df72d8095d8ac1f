#!/usr/bin/env python3
"""An independent implementation of docs/rulebook.md, written from the rulebook
alone, to check `btc-turbo-cli score --json` on real history.

It reads a Coin Metrics CSV (current or older column names), recomputes
every indicator and score for the requested days with plain Python
(straightforward loops, no shared code with the C engine), imports the same
CSV with the CLI into a scratch database, and compares:

    reference_scores.py CLI CSV [--profile seed-v5|adaptive] DATE [DATE...]

seed-v5 (the default) is the seed's static bands.  adaptive scores
mvrv_z_score, realized_price_ratio, puell_multiple, rsi_weekly and
rsi_monthly by their percentile rank among their own values of the
trailing 1461 days (docs/rulebook.md §2), with category weights 70/25/5;
here each of those values is recomputed day by day over the window.

Exit status 0 when every number agrees to 1e-9 relative (1e-9 absolute near
zero), 1 otherwise; 77 (skip) when the CSV is absent.
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta

# ---- docs/rulebook.md §2 bands and §3 weights, transcribed from the document ----
BANDS = {
    "mvrv_z_score": [(-0.5, 100), (0, 95), (1, 80), (2, 60), (3, 35), (4, 15), (6, 0)],
    "realized_price_ratio": [(0.8, 100), (1.0, 90), (1.5, 70), (2.0, 50), (2.5, 30), (3.0, 15), (3.5, 0)],
    "puell_multiple": [(0.5, 100), (0.8, 85), (1.0, 70), (1.5, 50), (2.5, 25), (4.0, 0)],
    "rsi_weekly": [(30, 100), (40, 85), (50, 70), (60, 55), (70, 35), (80, 15), (90, 0)],
    "rsi_monthly": [(35, 100), (50, 75), (65, 50), (80, 20), (90, 0)],
    "funding_rate_7d": [(-0.03, 100), (0, 85), (0.01, 75), (0.03, 45), (0.05, 25), (0.10, 0)],
    "sth_sopr": [(0.90, 100), (0.97, 85), (1.00, 65), (1.03, 45), (1.08, 20), (1.15, 0)],
    "exchange_netflow": [(-20000, 100), (-5000, 80), (0, 60), (5000, 35), (20000, 0)],
    "long_short_ratio": [(0.8, 100), (1.0, 80), (1.5, 55), (2.0, 35), (3.0, 0)],
}
CATEGORIES = {
    "cycle": (50, {"mvrv_z_score": 25, "realized_price_ratio": 20, "puell_multiple": 5}),
    "momentum": (20, {"rsi_weekly": 8, "funding_rate_7d": 7, "rsi_monthly": 5, "sth_sopr": 3,
                      "exchange_netflow": 3, "long_short_ratio": 2}),
    "technical": (30, {"ema_system": 20, "bbw": 10}),
}
EMA_PERIODS = [17, 34, 144, 305, 610]

# docs/rulebook.md: the adaptive profile
ADAPTIVE_CATEGORY_WEIGHTS = {"cycle": 70, "momentum": 25, "technical": 5}
RANKED = ["mvrv_z_score", "realized_price_ratio", "puell_multiple", "rsi_weekly", "rsi_monthly"]
RANK_WINDOW, RANK_MIN = 1461, 365


def band(knots, x):
    if x is None:
        return None
    if x <= knots[0][0]:
        return float(knots[0][1])
    if x >= knots[-1][0]:
        return float(knots[-1][1])
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise AssertionError


def ema_last(values, n):
    """TA-Lib EMA: SMA of the first n values, then k = 2/(n+1); the last value."""
    if len(values) < n:
        return None
    e = sum(values[:n]) / n
    k = 2.0 / (n + 1)
    for v in values[n:]:
        e = v * k + e * (1 - k)
    return e


def rsi_last(values, n=14):
    """Wilder RSI seeded with simple means of the first n changes."""
    if len(values) < n + 1:
        return None
    ch = [b - a for a, b in zip(values, values[1:])]
    g = sum(max(c, 0.0) for c in ch[:n]) / n
    l = sum(max(-c, 0.0) for c in ch[:n]) / n
    for c in ch[n:]:
        g = (g * (n - 1) + max(c, 0.0)) / n
        l = (l * (n - 1) + max(-c, 0.0)) / n
    if l == 0:
        return 50.0 if g == 0 else 100.0
    return 100.0 * g / (g + l)


def live_series(days, closes, t, period_start):
    """Closes of the completed periods before t's period, plus t's close."""
    out = []
    cur = period_start(t)
    last_key, last_close = None, None
    for d, c in zip(days, closes):
        if d > t:
            break
        key = period_start(d)
        if key == cur:
            continue
        if last_key is not None and key != last_key:
            out.append(last_close)
        last_key, last_close = key, c
    if last_key is not None:
        out.append(last_close)
    out.append(closes[days.index(t)])
    return out


def week_start(d):
    return d - timedelta(days=d.weekday())


def month_start(d):
    return d.replace(day=1)


def bbw_at(closes, i):
    if i + 1 < 20:
        return None
    w = closes[i - 19:i + 1]
    m = sum(w) / 20
    sd = math.sqrt(sum((x - m) ** 2 for x in w) / 20)
    return (4 * sd) / m * 100


def load(path):
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        cols = r.fieldnames
        def pick(*names):
            for n in names:
                if n in cols:
                    return n
            return None
        c_date = pick("time", "date")
        c_price = pick("PriceUSD", "price(USD)")
        c_mcap = pick("CapMrktCurUSD", "marketcap(USD)")
        c_rcap = pick("CapRealUSD", "realizedCap(USD)")
        c_coins = pick("IssTotNtv", "generatedCoins")
        for row in r:
            d = date.fromisoformat(row[c_date][:10])
            def num(c):
                v = row.get(c) if c else None
                if v is None or v == "":
                    return None
                return float(v)
            price, mcap, rcap, coins = num(c_price), num(c_mcap), num(c_rcap), num(c_coins)
            if mcap is not None and mcap <= 0:
                mcap = None
            if rcap is not None and rcap <= 0:
                rcap = None
            rows[d] = (price, mcap, rcap, coins)
    if c_price == "price(USD)":
        # legacy file: price(USD) and marketcap(USD) of D are the values at
        # 00:00 UTC of D, the close of D-1 (README): they belong to D-1
        one = timedelta(days=1)
        rows = {d: (rows[d + one][0] if d + one in rows else None,
                    rows[d + one][1] if d + one in rows else None,
                    rows[d][2] if d in rows else None,
                    rows[d][3] if d in rows else None)
                for d in set(rows) | {d - one for d in rows}}
    return rows


def ranked_series(rows, t):
    """Values of the ranked indicators on every day of the trailing window,
    each computed from the data up to that day only."""
    first = t - timedelta(days=RANK_WINDOW - 1)
    all_days = sorted(rows)
    price_days = [d for d in all_days if rows[d][0] is not None]
    closes = [rows[d][0] for d in price_days]
    out = {k: [] for k in RANKED}
    caps, iss = [], []
    s1 = s2 = 0.0
    for d in all_days:
        if d > t:
            break
        price, mcap, rcap, coins = rows[d]
        if mcap is not None:
            caps.append(mcap)
            s1 += mcap
            s2 += mcap * mcap
        if coins is not None and price is not None:
            iss.append(coins * price)
        if d < first or price is None:
            continue
        if mcap and rcap:
            n = len(caps)
            sd = math.sqrt(max(s2 / n - (s1 / n) ** 2, 0.0))
            if sd > 0:
                out["mvrv_z_score"].append((d, (mcap - rcap) / sd))
            out["realized_price_ratio"].append((d, mcap / rcap))
        if len(iss) >= 365 and coins is not None:
            out["puell_multiple"].append((d, iss[-1] / (sum(iss[-365:]) / 365)))
        k = price_days.index(d)
        for name, start in (("rsi_weekly", week_start), ("rsi_monthly", month_start)):
            v = rsi_last(live_series(price_days[:k + 1], closes[:k + 1], d, start))
            if v is not None:
                out[name].append((d, v))
    return out


def rank_score(series, t):
    values = [v for _, v in series]
    today = [v for d, v in series if d == t]
    if not today or len(values) < RANK_MIN:
        return None
    return 100.0 - 100.0 * sum(1 for v in values if v <= today[0]) / len(values)


def reference(rows, t, profile="seed-v5"):
    days = sorted(d for d in rows if rows[d][0] is not None and d <= t)
    closes = [rows[d][0] for d in days]
    assert days and days[-1] == t, "no close on the day"
    i = len(days) - 1
    close = closes[-1]
    ind = {"btc_price": close}
    for n in EMA_PERIODS:
        ind[f"ema_{n}_1d"] = ema_last(closes, n)
    weekly = live_series(days, closes, t, week_start)
    monthly = live_series(days, closes, t, month_start)
    for n in EMA_PERIODS:
        ind[f"ema_{n}_1w"] = ema_last(weekly, n)
    ind["rsi_daily"] = rsi_last(closes)
    ind["rsi_weekly"] = rsi_last(weekly)
    ind["rsi_monthly"] = rsi_last(monthly)
    ind["bbw_percentage"] = bbw_at(closes, i)

    # MVRV Z: expanding population SD of market cap up to t
    caps = [rows[d][1] for d in sorted(rows) if d <= t and rows[d][1] is not None]
    mcap, rcap = rows[t][1], rows[t][2]
    mean = sum(caps) / len(caps)
    sd = math.sqrt(sum((c - mean) ** 2 for c in caps) / len(caps))
    ind["mvrv_z_score"] = (mcap - rcap) / sd if (mcap and rcap and sd > 0) else None
    ind["realized_price_ratio"] = mcap / rcap if (mcap and rcap) else None
    iss = [rows[d][3] * rows[d][0] for d in sorted(rows)
           if d <= t and rows[d][3] is not None and rows[d][0] is not None]
    ind["puell_multiple"] = iss[-1] / (sum(iss[-365:]) / 365) if len(iss) >= 365 else None
    for k in ("sth_sopr", "exchange_netflow", "funding_rate_7d", "long_short_ratio"):
        ind[k] = None

    items = {k: ind[k] for k in BANDS}
    scores = {k: band(BANDS[k], v) for k, v in items.items()}
    if profile == "adaptive":
        series = ranked_series(rows, t)
        for k in RANKED:
            scores[k] = rank_score(series[k], t) if items[k] is not None else None

    # EMA system
    emas = {(n, tf): ind[f"ema_{n}_{tf}"] for n in EMA_PERIODS for tf in ("1d", "1w")}
    present = [v for v in emas.values() if v is not None]
    if any(ind[f"ema_{n}_1d"] is not None for n in EMA_PERIODS):
        position = sum(1 for v in present if close > v) / len(present)
        pairs = []
        for tf in ("1d", "1w"):
            for a, b in zip(EMA_PERIODS, EMA_PERIODS[1:]):
                if emas[(a, tf)] is not None and emas[(b, tf)] is not None:
                    pairs.append(emas[(a, tf)] > emas[(b, tf)])
        if pairs:
            s = 100 * (0.6 * position + 0.4 * sum(pairs) / len(pairs))
        else:
            s = 100 * position
        scores["ema_system"] = s
        items["ema_system"] = s
    else:
        scores["ema_system"] = items["ema_system"] = None

    # BBW percentile over the trailing 365 calendar days, today included
    window = []
    for j, d in enumerate(days):
        if t - timedelta(days=364) <= d <= t:
            b = bbw_at(closes, j)
            if b is not None:
                window.append(b)
    today = ind["bbw_percentage"]
    items["bbw"] = today
    if today is not None and len(window) >= 60:
        scores["bbw"] = 100 - 100 * sum(1 for b in window if b <= today) / len(window)
    else:
        scores["bbw"] = None

    cats = {}
    total_nominal = present_nominal = 0.0
    for cat, (cw, members) in CATEGORIES.items():
        if profile == "adaptive":
            cw = ADAPTIVE_CATEGORY_WEIGHTS[cat]
        wsum = sum(members.values())
        num = den = 0.0
        for k, w in members.items():
            total_nominal += cw * w / wsum
            if scores[k] is not None:
                num += w * scores[k]
                den += w
                present_nominal += cw * w / wsum
        cats[cat] = num / den if den else None
    num = den = 0.0
    for cat, (cw, _) in CATEGORIES.items():
        if profile == "adaptive":
            cw = ADAPTIVE_CATEGORY_WEIGHTS[cat]
        if cats[cat] is not None:
            num += cw * cats[cat]
            den += cw
    market = num / den if den else None
    return ind, items, scores, cats, market, 100 * present_nominal / total_nominal


def close_enough(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    cli, csv_path, dates = sys.argv[1], sys.argv[2], sys.argv[3:]
    profile = "seed-v5"
    if dates[:1] == ["--profile"]:
        profile, dates = dates[1], dates[2:]
    if not os.path.exists(csv_path):
        print(f"1..0 # SKIP {csv_path} not present")
        return 77
    rows = load(csv_path)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "ref.sqlite")
        subprocess.run([cli, "--db", db, "import", csv_path], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"1..{len(dates)}")
        for n, ds in enumerate(dates, 1):
            t = date.fromisoformat(ds)
            ind, items, scores, cats, market, confidence = reference(rows, t, profile)
            out = subprocess.run([cli, "--db", db, "score", "--date", ds, "--json",
                                  "--set", f"profile={profile}"], check=True,
                                 capture_output=True, text=True).stdout
            got = json.loads(out)
            bad = []
            def cmp(name, want, have):
                if not close_enough(want, have):
                    bad.append(f"{name}: reference {want!r}, btc-turbo {have!r}")
            for k, v in ind.items():
                cmp(k + ".value", v, got["indicators"][k]["value"])
            for k in scores:
                cmp(k + ".score", scores[k], got["indicators"][k]["score"])
                cmp(k + ".item_value", items[k], got["indicators"][k]["value"])
            for cat in CATEGORIES:
                cmp(cat, cats[cat], got[cat])
            cmp("market", market, got["market"])
            cmp("confidence", confidence, got["confidence"])
            if bad:
                failures += 1
                print(f"not ok {n} - {ds}")
                for b in bad:
                    print(f"# {b}")
            else:
                fmt = lambda v: "null" if v is None else f"{v:.4f}"
                print(f"ok {n} - {ds}: market {fmt(market)}, cycle {fmt(cats['cycle'])}, "
                      f"momentum {fmt(cats['momentum'])}, technical {fmt(cats['technical'])}, "
                      f"confidence {fmt(confidence)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
