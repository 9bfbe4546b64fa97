"""Scoring: 220,000 candidate compounds (the national count of pre-2000 compounds) on the
12-indicator default model, scored and ranked at once, against the same computation written
as plain Python loops over one dict per compound.

Two rows share the anchor: anju from a raw-value matrix (`score`) and anju from one dict per
compound (`score_records`, which adds building the matrix). Both are checked against the
anchor's totals and ranks before the figures are reported. anju's figures are the best of
three runs; the anchor runs once over all rows (set ANCHOR_ROWS lower to sample and scale if
it ever gets too slow). Peak MB is tracemalloc's peak during anju's call: its working memory
on top of the inputs. Run standalone with `python bench/scoring.py`, or through
`python -m bench`.
"""

from __future__ import annotations

import bisect
import math
import sys
import time
import tracemalloc
from pathlib import Path

COMPOUNDS = 220_000
ANCHOR_ROWS = COMPOUNDS
YEAR = 2026
SEED = 20260401


def make_round(n: int):
    """Raw values of the default model for `n` compounds, with the gaps a real round has:
    hazard and gap surveys for 60%, a needs campaign for 80%, a tallied vote for 30%."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    ids = rng.permutation(np.arange(1, n + 1))

    def sometimes(values, share):
        values = values.astype(float)
        values[rng.random(n) >= share] = np.nan
        return values

    households = rng.integers(40, 2400, n).astype(float)
    campaign = rng.random(n) < 0.8
    columns = {
        "building_age": YEAR - rng.integers(1958, 2006, n).astype(float),
        "safety_hazards": sometimes(rng.poisson(6, n), 0.6),
        "facility_gaps": sometimes(rng.poisson(10, n), 0.6),
        "urgent_need_share": np.where(campaign, rng.beta(2, 5, n), np.nan),
        "vulnerable_share": rng.beta(2, 12, n),
        "response_rate": np.where(campaign, rng.beta(4, 3, n), np.nan),
        "consent_agreement_area": sometimes(rng.uniform(0.4, 1.0, n), 0.3),
        "willing_share": np.where(campaign, rng.beta(3, 3, n), np.nan),
        "party_organisation": rng.choice([0.0, 1.0, 2.0], n, p=[0.3, 0.5, 0.2]),
        "owners_committee": (rng.random(n) < 0.35).astype(float),
        "management_status": rng.choice([0.0, 1.0, 2.0], n, p=[0.4, 0.35, 0.25]),
        "households_benefited": households,
    }
    return ids, columns


def as_records(ids, columns) -> list[dict]:
    keys = list(columns)
    lists = [columns[key].tolist() for key in keys]
    records = []
    for row, compound_id in enumerate(ids.tolist()):
        record = {"id": compound_id}
        for key, values in zip(keys, lists, strict=True):
            value = values[row]
            record[key] = None if math.isnan(value) else value
        records.append(record)
    return records


def plain_python(model, records: list[dict]) -> dict:
    """The default model's rules, one compound and one value at a time (the anchor)."""
    weight_sum = sum(indicator.weight for indicator in model.indicators)
    results = {record["id"]: {"id": record["id"], "contributions": {}} for record in records}
    totals = dict.fromkeys(results, 0.0)
    for indicator in model.indicators:
        key = indicator.key
        points = indicator.weight / weight_sum * 100
        raises = indicator.direction.value == "higher_raises_priority"
        present = [r[key] for r in records if r[key] is not None]
        kind = indicator.normalisation.value
        if kind == "bands":
            bounds = [bound for bound, _ in indicator.bands]
            top = max(p for _, p in indicator.bands)
        elif present:
            low, high = min(present), max(present)
            ordered = sorted(present)
        for record in records:
            value = record[key]
            if value is None:
                share = 0.0
            elif kind == "bands":
                band = max(bisect.bisect_right(bounds, value) - 1, 0)
                share = indicator.bands[band][1] / top
            elif low == high:
                share = 0.5
            elif kind == "min_max":
                share = (value - low) / (high - low) if raises else (high - value) / (high - low)
            else:
                below = bisect.bisect_left(ordered, value)
                up_to = bisect.bisect_right(ordered, value)
                beaten = below if raises else len(ordered) - up_to
                share = (beaten + (up_to - below - 1) / 2) / (len(ordered) - 1)
            contribution = share * points
            results[record["id"]]["contributions"][key] = contribution
            totals[record["id"]] += contribution
    ordered_ids = sorted(totals, key=lambda i: (-round(totals[i], 6), i))
    rank, previous = 0, None
    for position, compound_id in enumerate(ordered_ids, start=1):
        total = round(totals[compound_id], 6)
        if total != previous:
            rank, previous = position, total
        results[compound_id]["total"] = total
        results[compound_id]["rank"] = rank
    return results


def run() -> list[dict]:
    import numpy as np

    from anju.engine.scoring import DEFAULT_MODEL, score, score_records

    model = DEFAULT_MODEL
    ids, columns = make_round(COMPOUNDS)
    matrix = np.column_stack([columns[key] for key in model.keys])
    records = as_records(ids, columns)

    from_matrix = min(_timed(lambda: score(model, ids, matrix)) for _ in range(3))
    from_records = min(_timed(lambda: score_records(model, records)) for _ in range(3))
    table = score_records(model, records)

    sample = records[:ANCHOR_ROWS]
    start = time.perf_counter()
    expected = plain_python(model, sample)
    anchor = (time.perf_counter() - start) * (COMPOUNDS / len(sample))
    if len(sample) == COMPOUNDS:
        totals = np.array([expected[i]["total"] for i in ids.tolist()])
        ranks = np.array([expected[i]["rank"] for i in ids.tolist()])
        assert np.allclose(totals, table.totals, atol=1e-6), "totals differ from the anchor"
        assert (ranks == table.ranks).all(), "ranks differ from the anchor"

    peaks = {}
    for name, work in (
        ("matrix", lambda: score(model, ids, matrix)),
        ("records", lambda: score_records(model, records)),
    ):
        tracemalloc.start()
        work()
        peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()

    size = f"{COMPOUNDS:,} compounds × {len(model.indicators)} indicators"
    if len(sample) < COMPOUNDS:
        size += f" (anchor on {len(sample):,} rows × {COMPOUNDS // len(sample)})"
    anchor_name = "plain Python loops, one dict per compound"
    return [
        {
            "workload": "score + rank (matrix in)",
            "size": size,
            "anju": round(from_matrix, 3),
            "anchor": round(anchor, 3),
            "anchor_name": anchor_name,
            "ratio": round(from_matrix / anchor, 3),
            "peak_mb": round(peaks["matrix"], 1),
        },
        {
            "workload": "score + rank (dicts in)",
            "size": size,
            "anju": round(from_records, 3),
            "anchor": round(anchor, 3),
            "anchor_name": anchor_name,
            "ratio": round(from_records / anchor, 3),
            "peak_mb": round(peaks["records"], 1),
        },
    ]


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for row in run():
        print(row)
