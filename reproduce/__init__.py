"""Reproduce the tutorials' published results with the reference solutions: `make reproduce`.

Every experiment reruns a tutorial at the tutorial's own settings (epochs, batch sizes, architectures,
the full grid and folds) through the public functions of solutions/<kata>/<kata>.py, and times the
naive transliteration of the tutorial's code beside it. The runner (reproduce/runner.py) writes
reports/reproduction.json, reports/reproduction.md and one PNG per experiment.

    .venv/bin/python -m reproduce                          # everything (what `make reproduce` runs)
    .venv/bin/python -m reproduce --only lstm_window       # rerun one, merged into the existing report
    .venv/bin/python -m reproduce --quick                  # smoke run: tiny settings, a scratch folder
"""

# Experiment ids in report order (the tutorials' order), each with the module that implements it.
EXPERIMENTS = {
    "first_network": "reproduce.first_network",
    "lstm_one_char": "reproduce.lstm_framing",
    "lstm_window": "reproduce.lstm_framing",
    "lstm_timesteps": "reproduce.lstm_framing",
    "lstm_batch_state": "reproduce.lstm_batch_state",
    "stateful_lstm": "reproduce.stateful_lstm",
    "lstm_variable_length": "reproduce.lstm_variable_length",
    "update_strategies": "reproduce.update_strategies",
    "sklearn_cross_validation": "reproduce.sklearn_cross_validation",
    "sklearn_grid_search": "reproduce.sklearn_grid_search",
    "vgg16_classify": "reproduce.vgg16_classify",
}
