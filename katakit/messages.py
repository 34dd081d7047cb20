"""What the harness says to a learner, in the learner's language: `say(id, **values)` looks the sentence up in
katakit/catalog.py and fills in its placeholders. An entry with no Chinese yet reads in English.

    say("hint.kata_done", kata="first_network")           # in the language of katakit.lang.current()
    say("step.label", lang="zh-CN", number=2, title="定义模型")
"""

from __future__ import annotations

from katakit import lang as languages
from katakit import manifest
from katakit.catalog import MESSAGES


def template(key: str, lang: str | None = None, english: str | None = None) -> str:
    """The sentence `key` in `lang` (default: the learner's), placeholders unfilled; `english`: the English of an
    entry whose English lives elsewhere (an idiom's)."""
    entry = MESSAGES[key]
    english = entry.en if entry.en is not None else english
    if (lang or languages.current()) == languages.CHINESE and entry.zh:
        return entry.zh
    if english is None:
        raise KeyError(f"{key}: its English lives outside katakit/catalog.py: pass it")
    return english


def say(key: str, /, lang: str | None = None, **values) -> str:
    """The sentence `key` in `lang` (default: the learner's), with `values` put in unchanged."""
    return template(key, lang).format(**values)


def step_label(step: manifest.Step, lang: str | None = None) -> str:
    """`step 2 (Define the model)`, `第 2 步（定义模型）`: how every message names a step."""
    lang = lang or languages.current()
    return say("step.label", lang, number=step.number, title=step.title_in(lang))


def document(name: str, lang: str | None = None) -> str:
    """A kata document's file name in `lang`: README.md -> README.zh-CN.md in Chinese."""
    if (lang or languages.current()) != languages.CHINESE:
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{languages.CHINESE}{dot}{suffix}"
