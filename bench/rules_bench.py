"""Rules core benchmark: cases, employer periods, max dates and milestones for 15,000 employees.

Data: `naervaer.demo.synth.generate(DemoConfig(employees=15000, names=False))`, 5 years of absences
(self-certified -> `self_certified`, doctor-certified -> `sick` with its grade), one timeline per
employee (several employments combined). Generation and conversion to `Run` objects are not timed.

Measured in CPU seconds of this process (after gc.freeze() of the prepared input): building the
timelines and running the rules over them, keeping per employee only what a nightly job reports
(counts of cases, periods, paid days and milestone states); goal: < 2 s on one core.
Baseline: the plain per-day reference walk of tests/rules/daywalk.py (the test oracle), run on
every 10th employee, against the run-based rules on the same employees; the ratio is the speed-up.
The two must agree on every employee of the sample, or the benchmark fails.
"""

from __future__ import annotations

import gc
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "rules"))

from daywalk import cases_daywalk, employer_daywalk, sick_pay_daywalk

from naervaer.demo.synth import DemoConfig, generate
from naervaer.rules import (
    DayKind,
    Person,
    Run,
    build_timeline,
    combine_employers,
    follow_up_cases,
    load_routine,
    max_date,
    milestones,
)
from naervaer.rules.values import Percent, Period

EMPLOYEES = 15_000
SAMPLE_EVERY = 10
GOAL_SECONDS = 2.0


def load_input() -> tuple[dict[int, list[list[Run]]], dict[int, date], date]:
    """Runs per employee (every person, with or without absences), by employment, and birth dates."""
    config = DemoConfig(employees=EMPLOYEES, names=False)
    org = generate(config)
    absences = org.absences.to_pydict()
    by_employment: dict[int, dict[int, list[Run]]] = defaultdict(lambda: defaultdict(list))
    for employee, employment, start, end, kind, grade in zip(
        absences["employee_id"],
        absences["employment_id"],
        absences["start_date"],
        absences["end_date"],
        absences["kind"],
        absences["grade_percent"],
        strict=True,
    ):
        if kind == "self_certified":
            run = Run(Period(start, end), DayKind.SELF_CERTIFIED)
        else:
            run = Run(Period(start, end), DayKind.SICK, Percent(int(grade)))
        by_employment[employee][employment].append(run)
    persons = org.persons.to_pydict()
    births = dict(zip(persons["employee_id"], persons["birth_date"], strict=True))
    runs = {
        employee: list(by_employment[employee].values()) if employee in by_employment else []
        for employee in persons["employee_id"]
    }
    return runs, births, config.end_date


def timeline_of(jobs: list[list[Run]]):
    if len(jobs) <= 1:
        return build_timeline(jobs[0] if jobs else [])
    return combine_employers([build_timeline(runs) for runs in jobs])


def rules_for(timeline, birth: date, today: date, routine) -> tuple:
    cases = follow_up_cases(timeline)
    pay = max_date(timeline, Person(birth), as_of=today)
    current = [case for case in cases if case.start <= today]
    instances = (
        milestones(current[-1], timeline, routine, today, max_date=pay.max_date) if current else []
    )
    return cases, pay, instances


def run_fast(employees, runs, births, today, routine) -> dict[int, tuple]:
    """All results, kept per employee (used for the comparison with the baseline)."""
    return {e: rules_for(timeline_of(runs[e]), births[e], today, routine) for e in employees}


def run_summary(employees, runs, births, today, routine) -> Counter:
    """What a nightly job does: evaluate every employee and keep only what it reports (counts)."""
    totals: Counter = Counter()
    for employee in employees:
        cases, pay, instances = rules_for(
            timeline_of(runs[employee]), births[employee], today, routine
        )
        totals["cases"] += len(cases)
        totals["employer periods"] += len(pay.employer_periods)
        totals["paid weekdays"] += pay.paid_weekdays
        totals["milestone instances"] += len(instances)
        totals.update(instance.state for instance in instances)
    return totals


def run_baseline(employees, runs, births) -> dict[int, tuple]:
    results = {}
    for employee in employees:
        timeline = timeline_of(runs[employee])
        cases = cases_daywalk(timeline)
        periods, classes = employer_daywalk(timeline)
        results[employee] = (cases, periods, sick_pay_daywalk(classes, births[employee]))
    return results


def agree(fast: tuple, slow: tuple) -> bool:
    cases, pay, _ = fast
    slow_cases, slow_periods, (paid, _, rejected, _last_paid, *_) = slow
    return (
        [(c.start, c.end, c.sick_days) for c in cases] == slow_cases
        and [sorted(d for p in period.days for d in p.dates()) for period in pay.employer_periods]
        == [sorted(days) for days, _ in slow_periods]
        and pay.paid_weekdays == paid
        and [(d, r.reason) for r in pay.rejected for d in r.dates()] == rejected
    )


def main() -> int:
    started = time.perf_counter()
    runs, births, today = load_input()
    routine = load_routine("law-minimum")
    employees = sorted(runs)
    gc.collect()
    gc.freeze()  # the prepared input is long-lived: keep the collector from re-scanning it while timing
    days = sum(
        (run.period.end - run.period.start).days + 1
        for jobs in runs.values()
        for r in jobs
        for run in r
    )
    print(
        f"input: {len(employees)} employees ({sum(1 for e in employees if runs[e])} with absences), {days:,} absence days, "
        f"prepared in {time.perf_counter() - started:.1f} s (not timed)"
    )

    timings = [_timed(run_summary, employees, runs, births, today, routine) for _ in range(3)]
    best, totals = min(timings, key=lambda timing: timing[0])
    print(
        f"rules (runs): {best:.2f} s CPU for {len(employees)} employees -> "
        + ", ".join(f"{count:,} {name}" for name, count in totals.items())
        + f"; goal < {GOAL_SECONDS:.1f} s"
    )

    sample = employees[::SAMPLE_EVERY]
    fast_sample = min(
        _timed(run_summary, sample, runs, births, today, routine)[0] for _ in range(3)
    )
    slow_sample, slow_results = _timed(run_baseline, sample, runs, births)
    fast_results = run_fast(sample, runs, births, today, routine)
    mismatches = [e for e in sample if not agree(fast_results[e], slow_results[e])]
    print(
        f"baseline (per-day walk) on {len(sample)} employees: {slow_sample:.2f} s CPU; "
        f"runs on the same: {fast_sample:.3f} s; speed-up x{slow_sample / fast_sample:.1f}"
    )
    print(
        f"per-day walk extrapolated to all {len(employees)}: ~{slow_sample * len(employees) / len(sample):.0f} s"
    )
    if mismatches:
        print(
            f"FAIL: {len(mismatches)} employees differ from the per-day reference, e.g. {mismatches[:5]}"
        )
        return 1
    if best >= GOAL_SECONDS:
        print(f"FAIL: {best:.2f} s is over the {GOAL_SECONDS:.1f} s goal")
        return 1
    return 0


def _timed(function, *args) -> tuple[float, object]:
    """CPU seconds of this process (the machine is shared, so wall time would include waiting)."""
    started = time.process_time()
    result = function(*args)
    return time.process_time() - started, result


if __name__ == "__main__":
    sys.exit(main())
