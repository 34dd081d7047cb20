"""Which language the learner reads: KATAS_LANG first, else the locale (LC_ALL, LC_MESSAGES, LANG), else English.

Read from the environment at every call, never cached: a warm server's child gets its run's environment
after the fork. `KATAS_LANG` is a request: a value we have no language for is said once, in one line
(`unknown()`), and the learner reads English. A locale is only a hint: zh_CN.UTF-8 gives Simplified
Chinese, any other (fr_FR, zh_TW, C) English, silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENGLISH, CHINESE = "en", "zh-CN"
LANGUAGES = (ENGLISH, CHINESE)
VARIABLE = "KATAS_LANG"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX's order: the first one set wins
# A tag as written (lower case, `_` as `-`, without `.UTF-8` or `@...`) -> its language; `en-*` is English.
ALIASES = {"en": ENGLISH, "c": ENGLISH, "posix": ENGLISH, "zh": CHINESE, "zh-cn": CHINESE, "zh-sg": CHINESE,
           "zh-hans": CHINESE, "zh-hans-cn": CHINESE}


def language_of(tag: str) -> str | None:
    """The language of a tag such as `zh-CN`, `zh_CN.UTF-8` or `en_GB`, or None when we have none for it."""
    tag = tag.split(".")[0].split("@")[0].replace("_", "-").strip().lower()
    return ALIASES.get(tag) or (ENGLISH if tag.startswith("en-") else None)


def current(environ: Mapping[str, str] | None = None) -> str:
    """The learner's language, one of LANGUAGES."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(VARIABLE, "").strip()
    if chosen:
        return language_of(chosen) or ENGLISH
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name, "").strip()), "")
    return language_of(locale) or ENGLISH


def unknown(environ: Mapping[str, str] | None = None) -> str:
    """The one line for a KATAS_LANG we have no language for, or ''."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(VARIABLE, "").strip()
    if not chosen or language_of(chosen):
        return ""
    return f"{VARIABLE}={chosen}: no such language here (languages: {', '.join(LANGUAGES)}); going on in English"
