"""`%load_ext katakit` in a notebook: `%kata test [KATA]`, `%kata hint [KATA]` and `%kata progress`.

The same commands as `make test`, `make hint` and `make progress`, with the same screens: the specs
run on the kata files as last saved, so save (Ctrl-S) before `%kata test`. Without KATA, a magic run
in a kata's notebook (katas/<kata>/<kata>.py opened with `make notebook`) is about that kata.
"""

from __future__ import annotations

import os
from pathlib import Path

from katakit import env, lang, learner, manifest
from katakit.messages import say
from katakit.paths import ROOT

COMMANDS = {"test": learner.test, "hint": learner.hint, "progress": learner.show_progress}
# Where a kernel learns which file it runs for: Jupyter sets __session__, VS Code __vsc_ipynb_file__.
NOTEBOOK_PATH_NAMES = ("__session__", "__vsc_ipynb_file__")


def load_ipython_extension(ipython) -> None:
    env.apply()  # in case the kata's imports (and so TensorFlow's) have not run yet
    ipython.register_magic_function(lambda line: kata_magic(line, ipython.user_ns), "line", "kata")


def kata_magic(line: str, namespace: dict | None = None) -> None:
    """`%kata COMMAND [KATA]`: one line of usage for anything else, never a traceback."""
    if lang.unknown():
        print(lang.unknown())
    words = line.split()
    if not words or words[0] not in COMMANDS or len(words) > 2:
        print(say("magic.usage"))
        return
    command, name = words[0], (words[1] if len(words) == 2 else None)
    if name:
        try:
            kata = manifest.kata(name)
        except KeyError:
            print(say("main.no_kata", name=name, katas=", ".join(k.name for k in manifest.katas())))
            return
    else:
        kata = None if command == "progress" else open_kata(namespace or {})
    COMMANDS[command](kata)


def open_kata(namespace: dict) -> manifest.Kata | None:
    """The kata whose file this notebook is, if the kernel can tell; else None, as `make test` without KATA."""
    candidates = [namespace.get(name) for name in NOTEBOOK_PATH_NAMES] + [os.getcwd()]
    for candidate in filter(None, candidates):
        path = Path(candidate).resolve()
        parts = path.relative_to(ROOT).parts if path.is_relative_to(ROOT) else ()
        if len(parts) >= 2 and parts[0] == "katas":
            return next((k for k in manifest.katas() if k.name == parts[1]), None)
    return None
