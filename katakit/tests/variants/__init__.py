"""Variants of the reference solutions, one module per kata: katakit/tests/variants/<kata>.py holds

    VARIANTS = [(name, [(old, new), ...], expectation), ...]

where expectation is PASSES (a correct solution written another way) or (step id, fragment of the learner
message the first failing spec must give). katakit/tests/test_variants.py runs them all.
"""

import importlib

from katakit import manifest

PASSES = "passes"


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
