"""The pytest plugin behind conftest.py: its options, and its modules, one job each, each registered as a pytest
plugin but compose (no hooks: classify calls it).

    collect   which kata and step each spec checks, and the order specs run in
    session   what a spec's process provides: Hypothesis profiles, seeded Keras, the scratch folder, the
              grading seed (`scratch()` and `grading_seed()` are the specs' public API), katas/ or solutions/
    limits    each spec's time limit, and the timer that stops it
    learner   learner mode: each kata stops at its first failure, no row of dots
    notes     the notes under a spec's verdict (a Keras 2 idiom behind a warning)
    compose   the learner's message: composed once, step label included, capped once
    classify  each spec ends in exactly one SpecOutcome (katakit/outcome.py), its kind decided once
    stream    the hook `pytest_katas_outcome`, and the writer of the outcome stream (--outcomes PATH)
"""

pytest_plugins = [f"katakit.plugin.{name}" for name in
                  ("collect", "session", "limits", "learner", "notes", "classify", "stream")]


def pytest_addoption(parser):
    group = parser.getgroup("katas")
    group.addoption("--solutions", action="store_true",
                    help="run the specs against the reference solutions instead of katas/")
    group.addoption("--learner", action="store_true",
                    help="stop each kata at its first failing spec, and show no progress dots")
    group.addoption("--outcomes", metavar="PATH",
                    help="stream every spec's start and outcome to PATH as JSON lines (katakit/plugin/stream.py)")
    group.addoption("--seal-fd", type=int, metavar="FD",
                    help="seal the outcome stream with the key read from file descriptor FD (grading)")
    group.addoption("--grading-seed", type=int, metavar="N",
                    help="grading: Hypothesis draws fresh examples (pass --hypothesis-seed=N too), and specs "
                         "vary their fixed examples from N (katakit.plugin.session.grading_seed)")
    group.addoption("--time-floor", type=float, metavar="S",
                    help="every kata spec's time limit is ten times its reference's (tests/spec_times.json), "
                         "at least S s (grading; learner mode's floor is KATAS_SPEC_TIME_FLOOR)")
    group.addoption("--guard", action="store_true",
                    help="notice a kata that tampers with the harness in this process (katakit/guard.py)")
