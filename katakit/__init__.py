"""Support for keras-katas: the manifest, paths, seeding and the test harness.

Everything a kata's specs or a kata itself may lean on lives here, outside `katas/`,
so that solving one kata never depends on another.
"""
