"""The process settings every Keras process of the project shares, set in one place.

conftest.py, the warm runner, `make reproduce`, the benchmarks, the grader and the autograder call
`apply()` before anything imports TensorFlow. The stateful kata needs the TensorFlow backend (on JAX
stateful layers never update); the other two keep stderr free of TensorFlow's start-up logging.
"""

from __future__ import annotations

import os

SEED = 7  # the tutorials' own seed

BACKEND = {"KERAS_BACKEND": "tensorflow"}
QUIET = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2"}


def variables() -> dict[str, str]:
    """The variables as a child process should get them (the backend forced, a user's quiet choice kept)."""
    return {**QUIET, **{k: os.environ[k] for k in QUIET if k in os.environ}, **BACKEND}


def apply() -> None:
    """Set the variables in this process: before TensorFlow is imported, or they do nothing."""
    os.environ.update(variables())
