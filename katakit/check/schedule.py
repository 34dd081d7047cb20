"""How `make check` runs its jobs: `jobs` threads at once, heaviest first, each stage's lines printed as its
jobs end; a job that cannot run here raises NotRun with the reason."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor


class NotRun(Exception):
    """A check that cannot run here; its message says why."""


def run_stages(listed, jobs: int) -> tuple[list[str], int, int, list[str]]:
    """Run every job, `jobs` at a time, in order; print each stage's lines as its jobs end. Returns the
    failures, the failed jobs, all jobs, and the reason of each job not run."""
    everything = sorted((job for _, _, stage_jobs in listed for job in stage_jobs), key=lambda job: -job[2])
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        # Started in the order submitted, heaviest first: a job that waits for others weighs less than they do,
        # so it only ever waits for jobs already started.
        started = {id(job): pool.submit(_timed, job[1]) for job in everything}
        futures = [[(name, started[id(job)]) for job in stage_jobs for name in job[:1]] for _, _, stage_jobs in listed]
        failures, failed_jobs, not_run = [], 0, []
        for (code, title, _), stage in zip(listed, futures, strict=True):
            print(f"{code} {title}", flush=True)
            for name, future in stage:
                seconds, bad, reason = future.result()
                failures += [f"{code} {name}: {line}" for line in bad]
                failed_jobs += bool(bad)
                not_run += [reason] if reason else []
                mark = f"not run ({reason})" if reason else "ok" if not bad else f"FAILED ({len(bad)})"
                print(f"    {name:<30} {mark:<12} {seconds:6.1f} s", flush=True)
    return failures, failed_jobs, sum(len(stage) for stage in futures), not_run


def _timed(job) -> tuple[float, list[str], str]:
    start = time.monotonic()
    try:
        bad, reason = job(), ""
    except NotRun as error:
        bad, reason = [], str(error)
    return time.monotonic() - start, bad, reason
