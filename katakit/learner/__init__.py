"""The learner's commands behind `make test`, `make watch`, `make progress`, `make hint`, `make reset`
and `make compare`."""

from katakit.learner.commands import compare, hint, reset, show_progress, test
from katakit.learner.watch import watch

__all__ = ["compare", "hint", "reset", "show_progress", "test", "watch"]
