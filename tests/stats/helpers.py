"""Tiny canonical tables for hand-computed cases."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

D = dt.date


def tables(
    employments: list[tuple],
    absences: list[tuple],
    units: list[tuple] | None = None,
    persons: list[tuple] | None = None,
) -> dict[str, pa.Table]:
    """employments: (id, employee, unit, start, end, percent[, occupation]);
    absences: (id, employee, employment or None, start, end, kind, grade)."""
    units = units or [(u, None, f"unit {u}") for u in sorted({e[2] for e in employments})]
    out = {
        "units": pa.table(
            {
                "unit_id": [u[0] for u in units],
                "parent_id": pa.array([u[1] for u in units], pa.string()),
                "name": [u[2] for u in units],
            }
        ),
        "employments": pa.table(
            {
                "employment_id": pa.array([e[0] for e in employments], pa.int64()),
                "employee_id": pa.array([e[1] for e in employments], pa.int64()),
                "unit_id": [e[2] for e in employments],
                "start_date": pa.array([e[3] for e in employments], pa.date32()),
                "end_date": pa.array([e[4] for e in employments], pa.date32()),
                "position_percent": pa.array([float(e[5]) for e in employments]),
                "occupation": pa.array(
                    [e[6] if len(e) > 6 else None for e in employments], pa.string()
                ),
            }
        ),
        "absences": pa.table(
            {
                "absence_id": pa.array([a[0] for a in absences], pa.int64()),
                "employee_id": pa.array([a[1] for a in absences], pa.int64()),
                "employment_id": pa.array([a[2] for a in absences], pa.int64()),
                "start_date": pa.array([a[3] for a in absences], pa.date32()),
                "end_date": pa.array([a[4] for a in absences], pa.date32()),
                "kind": pa.array([a[5] for a in absences], pa.string()),
                "grade_percent": pa.array([float(a[6]) for a in absences]),
            }
        ),
    }
    if persons is not None:
        out["persons"] = pa.table(
            {
                "employee_id": pa.array([p[0] for p in persons], pa.int64()),
                "birth_date": pa.array([p[1] for p in persons], pa.date32()),
                "sex": [p[2] for p in persons],
            }
        )
    return out
