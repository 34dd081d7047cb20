"""Pytest set-up for keras-katas.

`python -m pytest` runs the specs in tests/ against your files in katas/;
`python -m pytest --solutions` runs them against the reference solutions in solutions/.
The plugin in katakit/plugin.py seeds every spec, orders specs by tutorial step and
keeps TensorFlow quiet.
"""

import os

# Before anything imports TensorFlow: the stateful kata needs the TensorFlow backend
# (on JAX stateful layers never update), and these keep stderr clean.
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

pytest_plugins = ["katakit.plugin"]
