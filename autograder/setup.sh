#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image. The autograder zip holds
# the repository, with this file and run_autograder at its root (README.md, "For instructors"), and
# Gradescope unpacks it into /autograder/source.
set -euo pipefail
cd /autograder/source

# Python 3.11 or newer: Gradescope's Ubuntu 24.04 base image has 3.12; on 22.04 we install 3.11.
apt-get update
if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON=python3
    apt-get install -y --no-install-recommends python3-venv
else
    PYTHON=python3.11
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
fi

# The same pinned stack as `make test` and `make check`.
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
chmod +x autograder/run_autograder

# Import TensorFlow once now, so that the first submission does not pay for its first-run work.
.venv/bin/python -c "from katakit import env; env.apply(); import keras"
