"""The Chinese (zh-CN) edition kept in step with the English: which translations are stale or missing.

A translated document says on its first line which English it was made from, and that English's hash:

    <!-- translation of README.md, sha256 of the English: 1a2b3c4d5e6f -->
    <!-- translation of README.md up to "## How the specs are made", sha256 of the English: 1a2b3c4d5e6f -->

(the second form translates only the part of the English before that heading). A kata's `title_zh` in
curriculum.toml are vouched for by the kata's `zh_titles_sha256`: the hash of its English titles, kata and
steps, when they were translated. Each sentence of the harness's message table (katakit/catalog.py) records
the hash of the English its Chinese was made from, in its `sha`. When the English changes, its hash no
longer matches and the translation is listed as stale until a contributor brings it in step and stamps it
afresh:

    python -m katakit.translations                                      # what to translate, one line each
    python -m katakit.translations --stamp katas/first_network/README.zh-CN.md
    python -m katakit.translations --stamp curriculum.toml:first_network
    python -m katakit.translations --stamp katakit/catalog.py:hint.header
"""

from __future__ import annotations

import argparse
import hashlib
import re
import runpy
import string
import sys
import tomllib
from pathlib import Path

from katakit import idioms, manifest
from katakit.paths import ROOT

LANG = "zh-CN"
HEADER = re.compile(r'<!-- translation of (?P<source>[^\s"]+)(?: up to "(?P<end>[^"]+)")?, '
                    r"sha256 of the English: (?P<sha>[0-9a-f]{12}) -->")
SHA_KEY = "zh_titles_sha256"
CURRICULUM = "curriculum.toml"
CATALOG = "katakit/catalog.py"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def header(source: str, sha: str, end: str | None = None) -> str:
    upto = f' up to "{end}"' if end else ""
    return f"<!-- translation of {source}{upto}, sha256 of the English: {sha} -->"


def english_part(text: str, end: str | None) -> str | None:
    """The English a translation covers: all of it, or what comes before the line `end` (None if it is gone)."""
    if not end:
        return text
    lines = text.splitlines(keepends=True)
    cut = next((i for i, line in enumerate(lines) if line.rstrip("\n") == end), None)
    return None if cut is None else "".join(lines[:cut])


def documents(root: Path = ROOT) -> list[Path]:
    """Every document that must have a translation, and every one that has: the project's README.md and
    each kata's README.md and HINTS.md, plus any English beside a *.zh-CN.md found at the top or in a kata."""
    expected = [root / "README.md"]
    for kata in manifest.katas(root / CURRICULUM):
        expected += [kata.folder(root) / "README.md", kata.folder(root) / "HINTS.md"]
    found = [p.with_name(p.name.replace(f".{LANG}", "")) for pattern in (f"*.{LANG}.md", f"katas/*/*.{LANG}.md")
             for p in root.glob(pattern)]
    return sorted(set(expected) | set(found))


def translation_of(english: Path) -> Path:
    return english.with_name(f"{english.stem}.{LANG}{english.suffix}")


def document_problem(english: Path, root: Path = ROOT) -> str | None:
    """One line saying what to do about `english`'s translation, or None when it is in step."""
    chinese = translation_of(english)
    name, source = chinese.relative_to(root).as_posix(), english.relative_to(root).as_posix()
    stamp = f"python -m katakit.translations --stamp {name}"
    if not chinese.is_file():
        return f"{name}: missing: translate {source} into it, then {stamp}"
    first = chinese.read_text(encoding="utf-8").partition("\n")[0]
    match = HEADER.fullmatch(first)
    if not match:
        return f"{name}: its first line does not say which English it translates: {stamp} once it is in step"
    if match["source"] != english.name:
        return f"{name}: its first line names {match['source']}, not {english.name}"
    if not english.is_file():
        return f"{name}: {source} is gone: remove the translation, or restore its English"
    text = english_part(english.read_text(encoding="utf-8"), match["end"])
    if text is None:
        return f"{name}: it translates {source} up to \"{match['end']}\", a line that {source} no longer has"
    if digest(text) != match["sha"]:
        return (f"{name}: stale: {source} changed since it was translated (sha256 {match['sha']} then, "
                f"{digest(text)} now; `git log -p {source}` shows how): bring it in step, then {stamp}")
    return None


def title_hashes(root: Path = ROOT) -> dict[str, str | None]:
    """Each kata's recorded `zh_titles_sha256` (None when it has none)."""
    data = tomllib.loads((root / CURRICULUM).read_text(encoding="utf-8"))
    return {entry["name"]: entry.get(SHA_KEY) for entry in data.get("kata", [])}


def english_titles(kata: manifest.Kata) -> str:
    return "\n".join([kata.title] + [step.title for step in kata.steps])


def title_problems(root: Path = ROOT) -> list[str]:
    recorded = title_hashes(root)
    problems = []
    for kata in manifest.katas(root / CURRICULUM):
        stamp = f"python -m katakit.translations --stamp {CURRICULUM}:{kata.name}"
        untitled = [f"kata {kata.name!r} ({kata.title})"] if not kata.title_zh else []
        untitled += [f"step {s.id!r} ({s.title})" for s in kata.steps if not s.title_zh]
        if untitled:
            problems.append(f"{CURRICULUM}: missing: no title_zh for {', '.join(untitled)}: add them, then {stamp}")
        elif recorded[kata.name] != digest(english_titles(kata)):
            problems.append(f"{CURRICULUM}: stale: kata {kata.name}'s English titles changed since their title_zh "
                            f"were written (or {SHA_KEY} is missing): bring each title_zh in step, then {stamp}")
    return problems


def catalog(root: Path = ROOT) -> dict:
    """The message table as `root` holds it ({id: Text}), read from its file, not imported."""
    return runpy.run_path(str(root / CATALOG))["MESSAGES"]


def english_of(key: str, text) -> str | None:
    """The English of a table entry: its own, or (an idiom's, `en` None) katakit/idioms.py's `new`."""
    if text.en is not None:
        return text.en
    return next((i.new for i in idioms.IDIOMS if key == f"idiom.{i.old}"), None)


def fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def message_problems(root: Path = ROOT) -> list[str]:
    """Each entry of the message table whose Chinese is missing, stale or asks for a value the English has not."""
    table, found = catalog(root), []
    missing = [f"idiom.{i.old}" for i in idioms.IDIOMS if f"idiom.{i.old}" not in table]
    found += [f"{CATALOG}: missing: {key}: no entry: add Text(None, \"<its Chinese>\", sha=None), then "
              f"python -m katakit.translations --stamp {CATALOG}:{key}" for key in missing]
    for key, text in table.items():
        english, stamp = english_of(key, text), f"python -m katakit.translations --stamp {CATALOG}:{key}"
        if english is None:
            found.append(f"{CATALOG}: {key}: no English (no idiom {key.removeprefix('idiom.')!r} in "
                         "katakit/idioms.py): remove the entry")
        elif not text.zh:
            found.append(f"{CATALOG}: missing: {key}: no zh-CN for {english!r}: translate it, then {stamp}")
        elif text.sha != digest(english):
            found.append(f"{CATALOG}: stale: {key}: its English changed since its zh-CN was written (sha256 "
                         f"{text.sha} then, {digest(english)} now): bring it in step with {english!r}, then {stamp}")
        elif fields(text.zh) - fields(english) - set(text.extra):
            found.append(f"{CATALOG}: {key}: its zh-CN uses placeholders the English has not: "
                         f"{', '.join(sorted(fields(text.zh) - fields(english) - set(text.extra)))}")
    return found


def stamp_message(key: str, root: Path = ROOT) -> str:
    """Write the current English's hash into the `sha=` of the table's entry `key`."""
    table = catalog(root)
    if key not in table:
        raise ValueError(f"{CATALOG} has no entry {key!r}")
    english = english_of(key, table[key])
    if english is None or not table[key].zh:
        raise ValueError(f"{key} has no English or no zh-CN yet: nothing to stamp")
    path = root / CATALOG
    text = path.read_text(encoding="utf-8")
    start = text.index(f'    "{key}": Text(')
    sha = re.compile(r'sha=(None|"[0-9a-f]*")').search(text, start)
    following = text.find('": Text(', start + len(key) + 12)
    if sha is None or (following != -1 and sha.start() > following):
        raise ValueError(f"{CATALOG}: the entry {key!r} has no sha=: add sha=None to its Text(...)")
    path.write_text(text[:sha.start()] + f'sha="{digest(english)}"' + text[sha.end():], encoding="utf-8")
    return f"{CATALOG}: stamped {key}'s zh-CN as in step with its English ({digest(english)})"


def problems(root: Path = ROOT) -> list[str]:
    """Every stale or missing translation, one line each, saying what to translate; [] when all are in step."""
    return ([line for english in documents(root) if (line := document_problem(english, root))] + title_problems(root)
            + message_problems(root))


def stamp(target: str, root: Path = ROOT) -> str:
    """Record the current English's hash for a translation a contributor has brought in step."""
    if target.startswith(f"{CURRICULUM}:"):
        return stamp_titles(target.partition(":")[2], root)
    if target.startswith(f"{CATALOG}:"):
        return stamp_message(target.partition(":")[2], root)
    chinese = (root / target).resolve()
    if not chinese.name.endswith(f".{LANG}.md"):
        raise ValueError(f"{target} is not a translation (*.{LANG}.md) nor {CURRICULUM}:<kata>")
    english = chinese.with_name(chinese.name.replace(f".{LANG}", ""))
    lines = chinese.read_text(encoding="utf-8").splitlines(keepends=True)
    match = HEADER.fullmatch(lines[0].rstrip("\n")) if lines else None
    end = match["end"] if match else None
    text = english_part(english.read_text(encoding="utf-8"), end)
    if text is None:
        raise ValueError(f"{english.name} has no line {end!r}: correct the first line of {target}")
    body = lines[1:] if match else lines
    chinese.write_text(header(english.name, digest(text), end) + "\n" + "".join(body), encoding="utf-8")
    return f"{target}: stamped as the translation of {english.name} ({digest(text)})"


def stamp_titles(name: str, root: Path = ROOT) -> str:
    kata = next((k for k in manifest.katas(root / CURRICULUM) if k.name == name), None)
    if kata is None:
        raise ValueError(f"{CURRICULUM} has no kata {name!r}")
    path = root / CURRICULUM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f'name = "{name}"\n')
    stop = next((i for i in range(start, len(lines)) if lines[i].startswith("  [[kata.steps]]")), len(lines))
    block = [line for line in lines[start:stop] if not line.startswith(f"{SHA_KEY} =")]
    titles = [i for i, line in enumerate(block) if line.startswith(("title =", "title_zh ="))]
    anchor = titles[-1]  # the sha goes just below the kata's titles
    block.insert(anchor + 1, f'{SHA_KEY} = "{digest(english_titles(kata))}"\n')
    path.write_text("".join(lines[:start] + block + lines[stop:]), encoding="utf-8")
    return f"{CURRICULUM}: stamped kata {name}'s title_zh as in step with its English titles"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.translations", description=__doc__.split("\n")[0])
    parser.add_argument("--stamp", metavar="FILE", action="append", default=[],
                        help=f"record the English's hash for FILE (a *.{LANG}.md, {CURRICULUM}:<kata> or "
                             f"{CATALOG}:<id>) once its translation is in step")
    args = parser.parse_args(argv)
    for target in args.stamp:
        try:
            print(stamp(target))
        except (ValueError, OSError) as error:
            print(f"--stamp {target}: {error}", file=sys.stderr)
            return 2
    found = problems()
    print("\n".join(found) or f"every {LANG} translation is in step with its English")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
