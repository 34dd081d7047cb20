"""Pytest set-up for keras-katas.

`python -m pytest` runs the specs in tests/ against your files in katas/;
`python -m pytest --solutions` runs them against the reference solutions in solutions/.
The plugin in katakit/plugin/ seeds every spec, orders specs by tutorial step and
keeps TensorFlow quiet.
"""

from katakit import env

env.apply()  # before anything imports TensorFlow

pytest_plugins = ["katakit.plugin"]
