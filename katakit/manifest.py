"""The kata manifest (curriculum.toml): which katas exist, in which order, with which steps."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from katakit.lang import LANGUAGES  # `title_zh` in curriculum.toml is zh-CN's
from katakit.paths import MANIFEST, ROOT


def _title_in(lang: str, english: str, chinese: str | None) -> str:
    """The title in `lang`; a title not translated yet reads in English (`python -m katakit.translations` lists it)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no titles in language {lang!r} (languages: {', '.join(LANGUAGES)})")
    return (chinese or english) if lang == "zh-CN" else english


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, in tutorial order
    id: str
    title: str
    functions: tuple[str, ...]
    title_zh: str | None = None

    def title_in(self, lang: str) -> str:
        return _title_in(lang, self.title, self.title_zh)

    @property
    def label(self) -> str:
        return f"step {self.number} ({self.title})"


@dataclass(frozen=True)
class Kata:
    number: int  # 1-based, in curriculum order
    name: str
    title: str
    tutorial: str
    points: float
    steps: tuple[Step, ...]
    title_zh: str | None = None

    def title_in(self, lang: str) -> str:
        return _title_in(lang, self.title, self.title_zh)

    def stub(self, root: Path = ROOT) -> Path:
        return root / "katas" / self.name / f"{self.name}.py"

    def solution(self, root: Path = ROOT) -> Path:
        return root / "solutions" / self.name / f"{self.name}.py"

    def spec(self, root: Path = ROOT) -> Path:
        return root / "tests" / f"test_{self.name}.py"

    def folder(self, root: Path = ROOT) -> Path:
        return root / "katas" / self.name

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        known = ", ".join(s.id for s in self.steps)
        raise KeyError(f"kata {self.name} has no step {step_id!r} (its steps: {known})")

    def step_of_function(self, function: str) -> Step | None:
        return next((s for s in self.steps if function in s.functions), None)


@cache
def katas(path: Path = MANIFEST) -> tuple[Kata, ...]:
    """All katas of the manifest, in curriculum order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    result = []
    for number, entry in enumerate(data.get("kata", []), start=1):
        steps = tuple(
            Step(i, s["id"], s["title"], tuple(s.get("functions", ())), s.get("title_zh"))
            for i, s in enumerate(entry["steps"], start=1)
        )
        result.append(
            Kata(
                number=number,
                name=entry["name"],
                title=entry["title"],
                tutorial=entry["tutorial"],
                points=float(entry.get("points", 10)),
                steps=steps,
                title_zh=entry.get("title_zh"),
            )
        )
    names = [k.name for k in result]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: a kata is listed twice: {names}")
    return tuple(result)


def kata(name: str) -> Kata:
    for k in katas():
        if k.name == name:
            return k
    known = ", ".join(k.name for k in katas())
    raise KeyError(f"no kata named {name!r} in curriculum.toml (katas: {known})")
