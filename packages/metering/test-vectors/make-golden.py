#!/usr/bin/env python3
"""Writes bills.json: period bills worked out here, independently of the TypeScript code, from the
rules of shared/spec/ripro-digest.md as the package README states them: units beyond `included`
are charged by tiers (`price` per `per` units, each tier up to a cumulative `upTo`, the last
open-ended), summed exactly and rounded once, half up, to the smallest currency unit; a period
bills fee + overage, raised to the minimum charge.
Run: python3 make-golden.py
"""
import json
from fractions import Fraction


def overage(excess, tiers):
    if excess <= 0:
        return 0
    total = Fraction(0)
    done = 0
    for t in tiers:
        upper = excess if t.get("upTo") is None else min(excess, t["upTo"])
        units = max(0, upper - done)
        total += Fraction(units * t["price"], t["per"])
        done = upper
        if done >= excess:
            break
    return int((2 * total + 1) // 2)  # half up


def bill(contract, usage):
    lines = []
    for counter, terms in contract["terms"].items():
        used = max(0, usage.get(counter, 0))
        excess = max(0, used - terms["included"])
        lines.append({"counter": counter, "usage": used, "included": terms["included"], "excess": excess,
                      "charge": overage(excess, terms["tiers"])})
    over = sum(l["charge"] for l in lines)
    total = contract["fee"] + over
    if contract.get("minimumCharge") is not None:
        total = max(total, contract["minimumCharge"])
    return {"lines": lines, "fee": contract["fee"], "overage": over, "total": total}


base = {"installationId": "I1", "period": "monthly", "readingDay": 5, "start": "2026-01-05"}
cases = [
    ("flat rate, a third of a cent per copy",
     {**base, "fee": 5000, "terms": {"mono": {"included": 5000, "tiers": [{"price": 1, "per": 3}]}}},
     {"mono": 6001}),
    ("three tiers across the boundaries (80, 60, 40 per 100)",
     {**base, "fee": 8000, "terms": {"mono": {"included": 5000, "tiers": [
         {"price": 80, "per": 100, "upTo": 10000}, {"price": 60, "per": 100, "upTo": 20000}, {"price": 40, "per": 100}]}}},
     {"mono": 27_345}),
    ("two counters, colour dearer, nothing beyond the included mono",
     {**base, "fee": 12000, "terms": {
         "mono": {"included": 3000, "tiers": [{"price": 1, "per": 1}]},
         "colour": {"included": 500, "tiers": [{"price": 7, "per": 2}]}}},
     {"mono": 2999, "colour": 777}),
    ("a minimum charge above fee + overage",
     {**base, "fee": 1000, "minimumCharge": 2500, "terms": {"mono": {"included": 100, "tiers": [{"price": 5, "per": 10}]}}},
     {"mono": 150}),
    ("half a unit rounds up once, not per tier",
     {**base, "fee": 0, "terms": {"mono": {"included": 0, "tiers": [{"price": 1, "per": 4, "upTo": 2}, {"price": 1, "per": 4}]}}},
     {"mono": 2}),
]

with open("bills.json", "w") as f:
    json.dump([{"name": n, "contract": c, "usage": u, "bill": bill(c, u)} for n, c, u in cases], f, indent=1, ensure_ascii=False)
    f.write("\n")
