"""The report writers: reproduction.md from the JSON document, and the runner's console lines."""

from __future__ import annotations

import json

from katakit import env


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.2f}%"


def _secs(value) -> str:
    if value is None:
        return "n/a"
    return f"{value / 60:.1f} min" if value >= 120 else f"{value:.1f} s"


def line(record: dict) -> str:
    """One console line per finished experiment."""
    if record.get("status") != "ok":
        return f"{record['id']:<26} ERROR  {record.get('note', '')}"
    naive = ""
    if record.get("naive_seconds") is not None:
        naive = f"  naive {_secs(record['naive_seconds'])} ({record['naive_method']})"
    return (f"{record['id']:<26} published {_pct(record['published']):>8}  measured {_pct(record['measured']):>8}  "
            f"in {_secs(record['seconds'])}{naive}")


def summary(records: list[dict], wall: float, walls: dict[str, float]) -> str:
    ours = sum(r.get("seconds") or 0 for r in records)
    naive = sum(r.get("naive_seconds") or 0 for r in records)
    failed = [r["id"] for r in records if r.get("status") != "ok"]
    text = f"\n{len(records)} experiment(s) in {_secs(walls['experiments'])} wall ({_secs(ours)} of experiment time)"
    if "naive" in walls:
        text += (f"; timing the naive code took {_secs(walls['naive'])} more, {_secs(wall)} in all "
                 f"(the naive transliteration, summed: {_secs(naive)})")
    return text + (f"\nFAILED: {', '.join(failed)}" if failed else "")


def markdown(document: dict) -> str:
    records = document["experiments"]
    run = document["runs"][-1]
    out = [
        "# Reproduction of the tutorials' published results",
        "",
        "Written by `make reproduce` (`python -m reproduce`); the same data is in `reproduction.json`.",
        "Every experiment reruns a tutorial at its own settings through the reference solutions "
        f"(`solutions/<kata>/<kata>.py`), in a fresh process seeded with {env.SEED}. *Naive* is the tutorial's code "
        "transliterated to Keras 3 without the speed-ups (a plain `fit` per epoch and batch, folds and "
        "candidates one after another), timed in full or on a measured sample and extrapolated, as each row says. "
        "*Ours* is an experiment's wall time inside the run, beside the other experiments (its load average is "
        "given); the naive code is timed afterwards, alone, so a speed-up understates what the settings gain.",
        "",
    ]
    if run.get("quick"):
        out += ["**This is a quick smoke run: tiny settings, the figures mean nothing.**", ""]
    for entry in document["runs"]:
        load = entry["load_average"]
        phases = ""
        if entry.get("naive_wall_seconds") is not None:
            phases = (f" (the experiments {_secs(entry['experiments_wall_seconds'])}, then the naive timings one "
                      f"at a time {_secs(entry['naive_wall_seconds'])})")
        out.append(f"- Run {entry['started']}: {len(entry['experiments'])} experiment(s), {entry['jobs']} at a "
                   f"time, {_secs(entry['wall_seconds'])} wall{phases}; "
                   f"load average {load['start'][0]:.2f} at the start, "
                   f"{load['end'][0]:.2f} at the end; {entry['machine']['cpus']} CPUs; "
                   + ", ".join(f"{k} {v}" for k, v in entry["machine"]["versions"].items()) + ".")
    out += [
        f"- Experiment time, summed: {_secs(document['total_seconds'])}; the naive transliteration, summed: "
        f"{_secs(document['naive_total_seconds'])}.",
        "",
        "| experiment | published | measured | ours | naive | naive time is | speed-up |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in records:
        if r.get("status") != "ok":
            out.append(f"| `{r['id']}` | {_pct(r.get('published'))} | error | | | | |")
            continue
        speedup = f"{r['speedup']:.1f}x" if r.get("speedup") else ""
        out.append(f"| `{r['id']}` | {_pct(r['published'])} | {_pct(r['measured'])} | {_secs(r['seconds'])} | "
                   f"{_secs(r.get('naive_seconds'))} | {r.get('naive_method') or ''} | {speedup} |")
    out.append("")
    for r in records:
        out += [f"## `{r['id']}`: {r.get('title', '')}", ""]
        if r.get("tutorial"):
            out += [f"Tutorial: *{r['tutorial']}*; reference: `solutions/{r['kata']}/{r['kata']}.py`.", ""]
        out += [r.get("note", ""), ""]
        if r.get("settings"):
            out += ["Settings: " + "; ".join(f"{k} = {_value(v)}" for k, v in r["settings"].items()) + ".", ""]
        if r.get("naive_how"):
            out += [f"Naive time ({r['naive_method']}): {_secs(r['naive_seconds'])}, {r['naive_how']}.", ""]
        if r.get("seconds") is not None:
            load = r.get("load_average", {})
            out += [f"Ours: {_secs(r['seconds'])} (load average {load.get('start', 'n/a')} at its start).", ""]
        if r.get("plot"):
            out += [f"![{r['id']}]({r['plot']})", ""]
        details = {k: v for k, v in (r.get("details") or {}).items() if k != "traceback"}
        if details:
            out += ["<details><summary>details</summary>", "", "```json", json.dumps(details, indent=1), "```",
                    "", "</details>", ""]
        if r.get("details", {}).get("traceback"):
            out += ["```", r["details"]["traceback"].rstrip(), "```", ""]
    return "\n".join(out)


def _value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)
