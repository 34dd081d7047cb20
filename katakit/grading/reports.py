"""The grader's reports: results.json in Gradescope's format, junit.xml, gradebook.csv and the terminal table."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from katakit import manifest
from katakit.grading import classroom, supervise, verdicts
from katakit.grading.model import Grade, KataResult
from katakit.outcome import Kind, SpecOutcome


def table(grade: Grade) -> list[str]:
    """One line per kata, and the total."""
    width = max([len(k.kata.name) for k in grade.katas] + [5])
    lines = [f" #  {'kata':<{width}}  {'passed':>7}  {'score':>15}  {'time':>8}  notes"]
    for result in grade.katas:
        counted = result.counted
        passed = f"{sum(s.passed for s in counted)}/{len(counted)}"
        score = f"{result.score:.2f} / {result.kata.points:g}"
        flags = grade.flags.get(result.kata.name, [])
        notes = "; ".join(n for n in (result.problems(), f"{len(flags)} flag(s): {flags[0]}" if flags else "") if n)
        lines.append(f"{result.kata.number:>2}  {result.kata.name:<{width}}  {passed:>7}  {score:>15}  "
                     f"{result.seconds:6.1f} s  {notes}".rstrip())
    total = f"{grade.score:.2f} / {grade.max_score:g}"
    lines.append(f"    {'total':<{width}}  {'':>7}  {total:>15}  {grade.seconds:6.1f} s")
    return lines


def gradescope(grade: Grade) -> dict:
    """The autograder results.json Gradescope reads: one test per spec, the kata's points split across them."""
    tests = []
    for result in grade.katas:
        kata = result.kata
        if not result.specs:
            tests.append({"name": f"{kata.name}: no spec ran", "number": f"{kata.number}",
                          "score": 0.0, "max_score": kata.points, "status": "failed",
                          "output": result.note or "no spec ran."})
            continue
        points = result.spec_points()
        for index, spec in enumerate(result.specs, start=1):
            step = kata.step(spec.step).label if spec.step else "step ?"
            worth = round(points, 6) if spec.counted else 0.0
            tests.append({
                "name": f"{kata.name}: {step}: {spec.name}",
                "number": f"{kata.number}.{index}",
                "score": worth if spec.passed else 0.0,
                "max_score": worth,
                "status": "passed" if spec.passed or not spec.counted else "failed",
                "output": spec.message if not spec.passed else "passed",
            })
    tests.append({  # for the instructor only: Gradescope never shows a hidden test to the learner
        "name": "integrity: the static screen of the kata files, and how they were graded",
        "score": 0.0, "max_score": 0.0, "status": "passed", "visibility": "hidden",
        "output": "\n".join([f"sandbox: {grade.sandbox}", f"memory limit: {memory_limit(grade)}",
                             f"time limit: {grade.limits.describe_spec()}",
                             f"Hypothesis seed: {grade.seed} (rerun with --seed)",
                             *(f"{r.kata.name}: held for review; its specs gave {r.unheld:.2f} / {r.kata.points:g} "
                               f"(release: --release {grade.learner}:{r.kata.name})" for r in held(grade)),
                             *(f"{kata}: {flag.labelled()}" for kata, flags in grade.flags.items() for flag in flags)]),
    })
    summary = "\n".join(table(grade))
    notes = "\n".join(grade.notes)
    return {
        "score": grade.score,
        "max_score": grade.max_score,
        "execution_time": round(grade.seconds),
        "output": f"{notes}\n\n{summary}".lstrip("\n") + "\n\nRun `make test` to see the same specs step by step.",
        "visibility": "visible",
        "extra_data": {"sandbox": grade.sandbox, "hypothesis_seed": grade.seed,
                       "flags": {kata: [flag.labelled() for flag in flags] for kata, flags in grade.flags.items()},
                       "held": {r.kata.name: r.unheld for r in held(grade)},
                       "memory_limit": {"gb": grade.limits.memory_gb, "enforced_by": supervise.MECHANISM},
                       "spec_time_limit": grade.limits.describe_spec()},
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def held(grade: Grade) -> list[KataResult]:
    return [r for r in grade.katas if r.unheld is not None]


def memory_limit(grade: Grade) -> str:
    return f"{grade.limits.memory_gb:g} GB per kata, enforced by {supervise.MECHANISM}"


def junit(grade: Grade) -> ET.ElementTree:
    suites = ET.Element("testsuites", name="keras-katas", time=f"{grade.seconds:.3f}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for result in grade.katas:
        suite = ET.SubElement(suites, "testsuite", name=result.kata.name, time=f"{result.seconds:.3f}")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        cases = result.specs or [SpecOutcome(f"{result.kata.name}::no spec ran", result.kata.name, "", Kind.NOT_RUN,
                                             result.note)]
        for spec in cases:
            classname = f"{result.kata.name}.{spec.step}" if spec.step else result.kata.name
            case = ET.SubElement(suite, "testcase", classname=classname, name=spec.name, time=f"{spec.seconds:.3f}")
            counts["tests"] += 1
            if not spec.counted:
                ET.SubElement(case, "skipped", message=spec.message.splitlines()[0] if spec.message else "")
                counts["skipped"] += 1
            elif not spec.passed:
                first = spec.message.splitlines()[0] if spec.message else verdicts.word(spec.kind)
                failure = ET.SubElement(case, "failure", message=first[:300], type=verdicts.word(spec.kind))
                failure.text = spec.message
                counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return ET.ElementTree(suites)


def write(grade: Grade, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(gradescope(grade), indent=1) + "\n", encoding="utf-8")
    classroom.write(grade, out)
    junit(grade).write(out / "junit.xml", encoding="utf-8", xml_declaration=True)


def gradebook(grades: list[Grade], katas: tuple[manifest.Kata, ...], path: Path) -> None:
    """One row per learner, one column per kata (its score), the total, the katas held for review (with what
    their specs gave), and the static screen's flags."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["learner", *[k.name for k in katas], "total", "status", "flags"])
        for grade in sorted(grades, key=lambda g: g.learner):
            scores = {r.kata.name: r.score for r in grade.katas}
            status = "; ".join(f"{r.kata.name} {r.note.splitlines()[0]} (its specs gave {r.unheld:.2f})"
                               for r in held(grade))
            flags = "; ".join(f"{kata} {flag.labelled()}" for kata, found in grade.flags.items() for flag in found)
            writer.writerow([grade.learner, *[f"{scores.get(k.name, 0.0):.2f}" for k in katas],
                             f"{grade.score:.2f}", status, flags])
