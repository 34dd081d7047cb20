"""`make reproduce`: run the experiments, each in a fresh process, two at a time, and write the report.

Experiments are independent and nearly all single-threaded (tiny models, batch sizes of 1 to 32), so
the runner keeps both cores busy by running two experiments side by side, the longest first. The grid
search spreads its own fits over worker processes of its own, and runs beside the others all the same:
a process of these tiny models leaves its core idle between steps (it hands each batch from thread to
thread), so three or four processes on two cores get through more work than two.
The naive code's timings run afterwards, one at a time, on the machine the experiments have left quiet.
Each experiment seeds itself, so its result does not depend on where or when it is scheduled.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path

from katakit.paths import ROOT
from reproduce import experiments, report, worker

REPORTS = ROOT / "reports"
JSON_NAME = "reproduction.json"


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m reproduce", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", default=[], metavar="ID",
                        help="run only this experiment (repeat or comma-separate for several); its record "
                             "replaces the old one in the existing report. Ids: " + ", ".join(experiments()))
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: tiny settings, report in a scratch folder (unless --out)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="experiments run side by side (default: 2, one per core)")
    parser.add_argument("--naive", choices=["sample", "full", "skip"], default="sample",
                        help="time the naive transliteration on a sample and extrapolate (default), "
                             "run it in full (adds about 50 minutes), or skip it")
    parser.add_argument("--out", type=Path, help="report folder (default: reports/, or a scratch folder with --quick)")
    args = parser.parse_args(argv)
    ids = [i.strip() for item in args.only for i in item.split(",") if i.strip()]
    unknown = [i for i in ids if i not in experiments()]
    if unknown:
        parser.error(f"unknown experiment {', '.join(unknown)}; choose from {', '.join(experiments())}")
    args.ids = [i for i in experiments() if i in ids] if ids else list(experiments())
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    out = args.out or (Path(tempfile.mkdtemp(prefix="reproduce-quick-")) if args.quick else REPORTS)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, no permission: a bad --out, before any work
        print(f"python -m reproduce: error: cannot use {out} as the report folder: {error.strerror}", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    load_start = os.getloadavg()
    print(f"reproducing {len(args.ids)} experiment(s){' (quick smoke run)' if args.quick else ''}, "
          f"{args.jobs} at a time; load average {load_start[0]:.2f}; report in {out}", flush=True)
    start = time.perf_counter()
    records, walls = _run_all(args.ids, args.quick, out, args.naive, args.jobs)
    wall = time.perf_counter() - start
    run = {
        "started": started.isoformat(timespec="seconds"), "wall_seconds": round(wall, 1),
        "experiments_wall_seconds": walls["experiments"], "naive_wall_seconds": walls.get("naive"),
        "experiments": args.ids, "jobs": args.jobs, "quick": args.quick, "naive": args.naive,
        "load_average": {"start": [round(v, 2) for v in load_start], "end": [round(v, 2) for v in os.getloadavg()]},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "versions": _versions()},
    }
    document = _merge(out / JSON_NAME, records, run, complete=set(args.ids) == set(experiments()))
    (out / JSON_NAME).write_text(json.dumps(document, indent=2) + "\n")
    (out / "reproduction.md").write_text(report.markdown(document))
    print(report.summary(records, wall, walls))
    print(f"wrote {out / JSON_NAME} and {out / 'reproduction.md'}")
    return 0 if all(r["status"] == "ok" for r in records) else 1


def _run_all(ids, quick, out, naive_mode, jobs) -> tuple[list[dict], dict[str, float]]:
    """Run every experiment, `jobs` at a time and the longest first; then time the naive code, one at a time.

    The naive timings come after the experiments and alone, so that they are measured on a quiet
    machine, as the tutorials' code would run, and do not slow the experiments down. Returns the
    records and each phase's wall seconds.
    """
    from tqdm import tqdm

    runs = sorted(ids, key=lambda i: -worker.experiment(i).cost)  # the longest first: a short tail
    naives = [] if naive_mode == "skip" else [i for i in ids if worker.experiment(i).naive is not None]
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()  # its queue can be passed on to the processes the experiments start
    queue = manager.Queue()
    overall = tqdm(total=len(ids), desc="experiments", unit="exp", position=0, dynamic_ncols=True,
                   mininterval=0.5 if sys.stderr.isatty() else 30)
    bars = _Bars(queue, jobs)
    bars.thread.start()
    records, timings, walls = {}, {}, {}
    pending = {i: 1 + (i in naives) for i in ids}
    try:
        for phase, phase_ids, workers in (("experiments", runs, jobs), ("naive", naives, 1)):
            if not phase_ids:
                continue
            start = time.perf_counter()
            with ProcessPoolExecutor(max_workers=min(workers, len(phase_ids)), mp_context=context,
                                     initializer=worker.init, initargs=(queue,), max_tasks_per_child=1) as pool:
                if phase == "experiments":
                    futures = {pool.submit(worker.run, i, quick, str(out)): i for i in phase_ids}
                else:
                    futures = {pool.submit(worker.naive, i, quick, naive_mode): i for i in phase_ids}
                for future in as_completed(futures):
                    exp_id = futures[future]
                    try:
                        result = future.result()
                    except Exception as error:  # the worker process died (killed, out of memory)
                        result = ({"id": exp_id, "status": "error", "note": f"worker died: {error!r}",
                                   "published": worker.experiment(exp_id).published, "measured": None}
                                  if phase == "experiments" else {"naive_error": f"worker died: {error!r}"})
                    (records if phase == "experiments" else timings)[exp_id] = result
                    bars.finish(exp_id if phase == "experiments" else f"{exp_id} naive")
                    pending[exp_id] -= 1
                    if not pending[exp_id]:
                        record = _combine(records[exp_id], timings.get(exp_id), worker.experiment(exp_id), naive_mode)
                        overall.update(1)
                        overall.write(report.line(record))
            walls[phase] = round(time.perf_counter() - start, 1)
    finally:
        queue.put(None)
        bars.thread.join(timeout=5)
        overall.close()
        manager.shutdown()
    return [records[i] for i in ids], walls


def _combine(record: dict, naive: dict | None, exp, naive_mode: str) -> dict:
    """The experiment's record with its naive timing and the speed-up filled in."""
    if naive_mode == "skip" or record.get("status") != "ok":
        return record
    if exp.naive_is_ours:
        naive = {"naive_seconds": round(record["seconds"], 1), "naive_method": "measured",
                 "naive_how": exp.naive_is_ours}
    if naive is None:
        return record
    if "naive_error" in naive:
        record["naive_how"] = f"the naive timing failed: {naive['naive_error']}"
        record["details"]["naive_traceback"] = naive.get("naive_traceback", "")
        return record
    record.update(naive)
    if record["seconds"]:
        record["speedup"] = round(record["naive_seconds"] / record["seconds"], 1)
    return record


class _Bars:
    """One progress bar per running experiment, fed by the workers' messages on `queue`."""

    def __init__(self, queue, jobs):
        self.queue, self.free, self.bars, self.lock = queue, list(range(1, jobs + 1)), {}, threading.Lock()
        self.thread = threading.Thread(target=self._listen, daemon=True)

    def _listen(self):
        from tqdm import tqdm

        while (message := self.queue.get()) is not None:
            exp_id, kind, *rest = message
            with self.lock:
                if kind == "start":
                    total, unit, label = rest
                    position = self._release(exp_id) or (self.free.pop(0) if self.free else len(self.bars) + 1)
                    self.bars[exp_id] = (tqdm(total=total, desc=f"  {exp_id}{' ' + label if label else ''}",
                                              unit=unit, position=position, leave=False, dynamic_ncols=True,
                                              mininterval=0.5 if sys.stderr.isatty() else 60), position)
                elif kind == "advance" and exp_id in self.bars:
                    self.bars[exp_id][0].update(rest[0])

    def _release(self, exp_id):
        if exp_id not in self.bars:
            return None
        bar, position = self.bars.pop(exp_id)
        bar.close()
        return position

    def finish(self, exp_id):
        with self.lock:
            position = self._release(exp_id)
            if position is not None:
                self.free.append(position)
                self.free.sort()


def _merge(path: Path, records, run, complete: bool) -> dict:
    """The new records, plus (for an --only run) the earlier records of the other experiments."""
    previous = {}
    document = {"experiments": [], "runs": []}
    if not complete and path.exists():
        try:
            document = json.loads(path.read_text())
            previous = {r["id"]: r for r in document.get("experiments", [])}
        except (json.JSONDecodeError, KeyError, TypeError):
            previous = {}
    for record in records:
        record["run_started"] = run["started"]
        previous[record["id"]] = record
    ordered = [previous[i] for i in experiments() if i in previous]
    current = {r.get("run_started") for r in ordered}
    runs = [r for r in (document.get("runs", []) if not complete else []) if r.get("started") in current] + [run]
    return {
        "experiments": ordered,
        "runs": runs,
        "total_seconds": round(sum(r.get("seconds") or 0 for r in previous.values()), 1),
        "naive_total_seconds": round(sum(r.get("naive_seconds") or 0 for r in previous.values()), 1),
    }


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("tensorflow-cpu", "keras", "numpy", "scikit-learn", "scikeras"):
        with contextlib.suppress(PackageNotFoundError):
            found[name] = version(name)
    return found
