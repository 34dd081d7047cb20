"""What every experiment shares: its description, its outcome, progress, timing and the speed knobs.

The module of a kata, reproduce/<kata>.py, defines EXPERIMENTS, a list of `Experiment`; the worker
(reproduce/worker.py) runs one of them in a fresh process and turns its `Outcome` into a report record.
"""

from __future__ import annotations

import functools
import importlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from katakit import manifest


@dataclass
class Outcome:
    """What one experiment found. `measured` is a fraction in [0, 1] (the report shows percent)."""

    measured: float | None
    note: str
    curves: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # metric -> series -> values
    bars: dict[str, dict[str, float]] = field(default_factory=dict)  # chart title -> label -> value
    details: dict = field(default_factory=dict)


@dataclass
class Naive:
    """The naive transliteration's wall time for the full settings, and how it was obtained."""

    seconds: float
    method: str  # "measured" or "extrapolated"
    how: str


@dataclass
class Experiment:
    id: str
    kata: str  # a kata of curriculum.toml, whose reference solutions/<kata>/<kata>.py it runs
    title: str
    published: float | None  # the tutorial's figure in percent; None when it publishes none
    settings: Callable[[bool], dict]  # quick -> the settings (the tutorial's own unless quick)
    run: Callable[[dict, Progress], Outcome]
    naive: Callable[[dict, Progress, bool], Naive] | None  # (settings, progress, full) -> Naive
    cost: float  # rough seconds on a quiet machine, to start the longest tasks first
    naive_is_ours: str = ""  # when the naive code is the code we run: why (then `naive` is None)

    def __post_init__(self):
        manifest.kata(self.kata)  # a KeyError naming the manifest's katas, for a kata it does not list

    @property
    def tutorial(self) -> str:
        """The tutorial's title, as curriculum.toml gives it."""
        return manifest.kata(self.kata).tutorial


def reference(kata: str):
    """The reference solution's module, solutions/<kata>/<kata>.py."""
    return importlib.import_module(f"solutions.{kata}.{kata}")


class Progress:
    """Where an experiment has got to: `start(total, unit)`, then `advance()` per unit of work.

    The worker hands each experiment one that reports to the runner's progress bars; `Progress()`
    alone is silent.
    """

    def __init__(self, send: Callable[[tuple], None] | None = None):
        self._send = send or (lambda message: None)

    def start(self, total: int, unit: str, label: str = "") -> None:
        self._send(("start", int(total), unit, label))

    def advance(self, n: int = 1) -> None:
        self._send(("advance", int(n)))

    def __deepcopy__(self, memo):  # a handle on the runner's display, not a value (scikit-learn's clone copies)
        return self


def epoch_callback(progress: Progress):
    """A Keras callback that advances `progress` by one at the end of every epoch."""
    import keras

    class EpochProgress(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            progress.advance()

    return EpochProgress()


def one_execution_per_epoch(model, n_samples: int, batch_size: int):
    """Speed knob: run a whole epoch of batches per call into TensorFlow (`steps_per_execution`).

    The same batches, in the same order, with the same updates: only Python's per-batch overhead
    goes (on this stack the weights and the history come out bit for bit the same). Returns the model.
    """
    model.steps_per_execution = max(1, math.ceil(n_samples / batch_size))
    return model


def compiled_with_xla(model):
    """Speed knob: compile the model's training and prediction steps with XLA (`jit_compile=True`).

    Keras leaves XLA off on CPU-only machines. An LSTM step at batch 1 is a few hundred tiny
    operations; XLA fuses them, which runs it about twice as fast here. The updates are the same
    ones, but XLA may round the last bits of a float differently, so the numbers can drift from a
    run without it, as they would on another machine. Returns the model.
    """
    model.jit_compile = True
    return model


def lean_tensorflow() -> None:
    """Speed knobs for a process of tiny models: one TensorFlow thread per pool, and no graph optimiser.

    Call it before TensorFlow runs its first operation (the thread counts are read then); processes
    this one starts, like the grid search's workers, inherit the thread counts.
    - One thread per pool: these models are too small to split one operation over two cores, and two
      experiments run side by side, so a second thread per pool only adds hand-overs between them.
    - Grappler off (`disable_meta_optimizer`): Keras builds a new tf.data iterator at every epoch, and
      TensorFlow optimises the pipeline's three small functions again each time (about 7 ms of an
      epoch of 20 to 60 ms here); the training step is too small to gain from the optimiser.
      The updates are the same ones; Grappler's fused kernels round differently, so the last digits
      of a loss can drift from a run with it, as they would on another machine.
    """
    import os

    os.environ["TF_NUM_INTEROP_THREADS"] = os.environ["TF_NUM_INTRAOP_THREADS"] = "1"
    import tensorflow as tf

    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})


def timed(work: Callable[[], object]) -> float:
    """Wall seconds of work()."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def two_point(run: Callable[[int], object], full: int, small: int, large: int, unit: str = "epochs",
              in_full: bool = False) -> Naive:
    """Time run(small) and run(large), fit seconds = fixed + per_unit * units, extrapolate to `full` units.

    The fixed part (building, tracing, loading) is measured, not guessed. With `in_full`, or when
    `large` reaches `full`, the run at `full` is simply measured.
    """
    large = max(large, small + 1)
    if in_full or large >= full:
        seconds = timed(lambda: run(full))
        return Naive(seconds, "measured", f"the naive run timed in full ({full} {unit})")
    t_small, t_large = timed(lambda: run(small)), timed(lambda: run(large))
    per_unit = max(0.0, (t_large - t_small) / (large - small))
    fixed = max(0.0, t_small - per_unit * small)
    seconds = fixed + per_unit * full
    return Naive(seconds, "extrapolated",
                 f"timed at {small} and {large} {unit} ({t_small:.1f} s, {t_large:.1f} s): "
                 f"{fixed:.1f} s fixed + {per_unit * 1000:.1f} ms per {unit.rstrip('s')}, times {full} {unit}")


def scaled(value: int, fraction: float) -> int:
    return max(1, round(value * fraction))


def percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(100.0 * float(fraction), 2)


class OneExecutionPerEpoch(functools.partial):
    """A model-building function's twin for scikeras, which builds the model itself: builds with `build`,
    then sets `steps_per_execution` above any epoch's batch count (one TensorFlow call per epoch).

    With `seed`, it first seeds Keras (keras.utils.set_random_seed(seed)): each fit then starts from
    the same state wherever it runs, in this process or in a worker of a parallel search. It advances
    `progress` by one per model built (one per fit). It keeps `build`'s signature, so scikeras routes
    `model__optimizer` and `model__init` to it exactly as to `build`. (A partial, because scikeras
    accepts a function or a functools.partial as its `model`.)
    """

    STEPS = 100_000  # more batches than any epoch of these experiments has

    def __new__(cls, build, progress: Progress | None = None, seed: int | None = None):
        self = super().__new__(cls, _build_one_execution_per_epoch, build, progress or Progress(), seed)
        self.__wrapped__ = build  # inspect.signature (and so scikeras) sees build's parameters
        return self

    def __repr__(self):
        seeded = "" if self.args[2] is None else f"seed {self.args[2]} per fit, "
        return f"{self.args[0].__name__} ({seeded}one TensorFlow call per epoch)"


def _build_one_execution_per_epoch(build, progress, seed, *args, **kwargs):
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # a new model per fit retraces by design; TensorFlow's warning is noise here
    lean_tensorflow()  # in a worker of a parallel search too: the graph optimiser's setting is per process
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = build(*args, **kwargs)
    model.steps_per_execution = OneExecutionPerEpoch.STEPS
    progress.advance()
    return model


# Scoring a fold predicts it in one batch, for scikeras' `predict__batch_size` (the effect of
# predict_on_batch). Left alone, scikeras predicts in the fit's batch size, and with steps_per_execution
# Keras traces one graph holding every batch of the fold: 0.5 s per fold at batch 5, against 0.06 s.
ONE_BATCH = 100_000  # more rows than any fold


def load_pima():
    """The Pima data as the scikit-learn tutorial loads it, read where the specs read it (tests/kit.py):
    inputs (768, 8), labels (768,)."""
    from tests.kit import pima

    data = pima()
    return data[:, :8], data[:, 8]


def alphabet_data(seq_length: int = 1):
    """The LSTM tutorial's own data preparation: every run of `seq_length` letters and the next letter.

    Returns (char_to_int, int_to_char, data_x, data_y, X, y): X (samples, seq_length, 1) = codes / 26,
    y one-hot over the 26 letters.
    """
    import keras
    import numpy as np

    from tests.kit import ALPHABET

    char_to_int = {c: i for i, c in enumerate(ALPHABET)}
    int_to_char = dict(enumerate(ALPHABET))
    data_x = [[char_to_int[c] for c in ALPHABET[i:i + seq_length]] for i in range(len(ALPHABET) - seq_length)]
    data_y = [char_to_int[ALPHABET[i + seq_length]] for i in range(len(ALPHABET) - seq_length)]
    X = np.reshape(data_x, (len(data_x), seq_length, 1)) / float(len(ALPHABET))
    y = keras.utils.to_categorical(data_y, num_classes=len(ALPHABET))
    return char_to_int, int_to_char, data_x, data_y, X, y
