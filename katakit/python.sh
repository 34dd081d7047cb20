#!/bin/sh
# The interpreter `make` builds .venv with (the Makefile's only caller), printed on stdout; a line
# starting "error:" instead when there is none. TensorFlow 2.21 has wheels for Python 3.11 to 3.13 only.
#   katakit/python.sh PYTHON ORIGIN VENV_PYTHON
# PYTHON is make's $(PYTHON), ORIGIN its $(origin PYTHON): a PYTHON the user set is used or refused, never
# replaced. A .venv made by an unsupported Python is made anew.
python=$1 origin=$2 venv_python=$3
supported="Python 3.11 to 3.13"

version() { "$1" --version 2>&1 | sed -n 's/^Python \([0-9][0-9.]*\).*/\1/p'; }
fits() { case "$(version "$1")" in 3.11.*|3.12.*|3.13.*) return 0 ;; *) return 1 ;; esac; }
how="install one (your system's package, or: uv python install 3.12), then run: PYTHON=python3.12 make test"

if [ -x "$venv_python" ]; then
    if fits "$venv_python"; then echo "$venv_python"; exit 0; fi
    echo "$(dirname "$(dirname "$venv_python")") was made with Python $(version "$venv_python"): making it anew" >&2
    rm -rf "$(dirname "$(dirname "$venv_python")")"
fi
found=$(version "$python")
if fits "$python"; then echo "$python"; exit 0; fi
said="$python is ${found:+Python }${found:-not found}"
if [ "$origin" = "environment" ] || [ "$origin" = "command line" ]; then
    echo "error:PYTHON=$said, and TensorFlow 2.21 supports $supported: $how"
    exit 1
fi
for candidate in python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && fits "$candidate"; then
        echo "$said, which TensorFlow 2.21 has no wheel for: using $candidate (Python $(version "$candidate"))" >&2
        echo "$candidate"
        exit 0
    fi
done
echo "error:$said, and TensorFlow 2.21 supports $supported (no python3.13, python3.12 or python3.11 on PATH): $how"
exit 1
