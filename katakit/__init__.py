"""Support for keras-katas: the manifest, paths, seeding and the test harness.

Everything a kata's specs or a kata itself may lean on lives here, outside `katas/`,
so that solving one kata never depends on another.
"""


def load_ipython_extension(ipython):
    """`%load_ext katakit` in a notebook gives the `%kata` magic (katakit/magic.py, imported only then)."""
    from katakit.magic import load_ipython_extension as load

    load(ipython)
