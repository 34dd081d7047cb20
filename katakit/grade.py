"""`python -m katakit.grade`: the grader's command line (katakit/grading/cli.py)."""

import sys

from katakit.grading.cli import main

if __name__ == "__main__":
    sys.exit(main())
