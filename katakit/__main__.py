"""Command line behind the Makefile: `python -m katakit <command> [KATA]`."""

from __future__ import annotations

import argparse
import sys

from katakit import env

env.apply()  # before anything imports TensorFlow: the pytest processes the commands start inherit it

from katakit import check, lang, learner, manifest  # noqa: E402
from katakit.messages import say  # noqa: E402

COMMANDS = {
    "test": (learner.test, "run the specs against your katas (one kata with KATA=name)"),
    "progress": (learner.show_progress, "every kata, done or pending, and what is next"),
    "hint": (learner.hint, "the next hint for the first failing step"),
    "reset": (learner.reset, "restore a kata's untouched stub (your version is backed up)"),
    "compare": (learner.compare, "once a kata is solved, diff your file against the reference"),
    "watch": (learner.watch, "rerun a kata's specs on every save"),
    "check": (lambda kata: check.main([kata.name] if kata else []), "prove every kata sound (CI's run)"),
}
NEEDS_KATA = {"reset", "compare"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text).add_argument("kata", nargs="?", help="a kata name")
    sub.choices["test"].add_argument("--fresh", action="store_true",
                                     help="rerun every kata, even those unchanged since their last run")
    sub.choices["watch"].add_argument("--cold", action="store_true",
                                      help="every run in a fresh process, without the warm runner (to compare)")
    sub.choices["check"].add_argument("--cold", action="store_true",
                                      help="every pytest run in a fresh process, without the warm runner")
    sub.choices["check"].add_argument("--refresh-timings", action="store_true",
                                      help="rewrite tests/spec_times.json, the learner's time limits")
    sub.choices["check"].add_argument("--learner-side", action="store_true",
                                      help="what a learner's machine needs: the grading sandbox's tests not run")
    args = parser.parse_args(argv)
    if lang.unknown():
        print(lang.unknown(), file=sys.stderr)
    kata = None
    katas = ", ".join(k.name for k in manifest.katas())
    if args.kata:
        try:
            kata = manifest.kata(args.kata)
        except KeyError:
            parser.exit(2, say("main.no_kata", name=args.kata, katas=katas) + "\n")
    elif args.command in NEEDS_KATA:
        parser.exit(2, say("main.which_kata", command=args.command, katas=katas))
    if args.command == "test":
        return learner.test(kata, fresh=args.fresh)
    if args.command == "watch":
        return learner.watch(kata, cold=args.cold)
    if args.command == "check":
        return check.main([*([kata.name] if kata else []), *(["--cold"] if args.cold else []),
                           *(["--refresh-timings"] if args.refresh_timings else []),
                           *(["--learner-side"] if args.learner_side else [])])
    return COMMANDS[args.command][0](kata)


if __name__ == "__main__":
    sys.exit(main())
