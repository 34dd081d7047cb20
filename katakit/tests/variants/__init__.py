"""Variants of the reference solutions, one module per kata: katakit/tests/variants/<kata>.py holds

    VARIANTS = [(name, [(old, new), ...], expectation), ...]

where expectation is PASSES (a correct solution written another way), noted(fragment) (a correct one that earns
a note, katakit/idioms.py, holding the fragment) or (step id, fragment of the learner message the first failing
spec must give). katakit/tests/test_variants.py runs them all.
"""

import importlib

from katakit import manifest

PASSES = "passes"
KATAS = "KATAKIT_VARIANTS_KATAS"  # "a,b": test_variants.py runs only these katas' rows (`make check KATA=a`)
JOBS = "KATAKIT_VARIANTS_JOBS"  # how many rows test_variants.py runs at once (default: one per core)


def noted(fragment: str) -> tuple[str, str]:
    """The expectation of a correct variant whose specs' outcomes carry a note holding `fragment`."""
    return (PASSES, fragment)


def passes(expectation) -> bool:
    return expectation == PASSES or expectation[0] == PASSES


def rows() -> list[tuple]:
    """(kata, name, replacements, expectation) of every kata's variants, in curriculum order."""
    found = []
    for kata in manifest.katas():
        try:
            module = importlib.import_module(f"katakit.tests.variants.{kata.name}")
        except ModuleNotFoundError as error:
            if error.name != f"katakit.tests.variants.{kata.name}":
                raise
            continue
        found += [(kata.name, *row) for row in module.VARIANTS]
    return found
