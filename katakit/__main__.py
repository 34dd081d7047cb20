"""Command line behind the Makefile: `python -m katakit <command> [KATA]`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from katakit import check, manifest
from katakit.paths import ROOT


def spec_files(name: str | None) -> list[str]:
    katas = [manifest.kata(name)] if name else manifest.katas()
    return [str(k.spec().relative_to(ROOT)) for k in katas]


def test(args) -> int:
    """The learner's run: specs against katas/, stopping each kata at its first failure."""
    command = [sys.executable, "-m", "pytest", "--learner", "-q", "--tb=short", "-rN", *spec_files(args.kata)]
    return subprocess.call(command, cwd=ROOT, env=os.environ)


COMMANDS = {
    "test": (test, "run the specs against your katas (one kata with KATA=name)"),
    "check": (lambda args: check.main([args.kata] if args.kata else []), "prove every kata sound (CI's run)"),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text).add_argument("kata", nargs="?", help="a kata name")
    args = parser.parse_args(argv)
    if args.kata:
        try:
            manifest.kata(args.kata)
        except KeyError as error:
            parser.error(error.args[0])
    return COMMANDS[args.command][0](args)


if __name__ == "__main__":
    sys.exit(main())
