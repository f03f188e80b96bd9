"""The estimates as plain records (``--json`` and the web API): one per indicator, method and phase."""

from __future__ import annotations

import math
from typing import Any

from naervaer.stats.evaluation.evaluate import EvaluationResult


def _number(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else round(value, 6)


def estimates_json(result: EvaluationResult) -> list[dict[str, Any]]:
    """Records with ``indicator, method, phase, estimate, ci_low, ci_high, unit_of_estimate``, the inference used,
    whether it is the primary estimate, and for primary estimates the verdict in bokmål and English."""
    records = []
    for est in result.estimates:
        record = {
            "indicator": est.indicator,
            "method": est.method,
            "phase": est.phase,
            "estimate": _number(est.estimate),
            "ci_low": _number(est.ci_low),
            "ci_high": _number(est.ci_high),
            "unit_of_estimate": est.unit_of_estimate,
            "inference": est.inference,
            "clusters": est.clusters,
            "primary": est.primary,
            "masked": est.masked,
        }
        if est.primary:
            sentences = result.verdicts[f"{est.indicator}/{est.phase}"]
            record["verdict_nb"], record["verdict_en"] = sentences["nb"], sentences["en"]
        records.append(record)
    return records
