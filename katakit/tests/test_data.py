"""The shipped data files are the verified copies, byte for byte (data/SOURCES.md)."""

import hashlib

import pytest

from katakit import paths

EXPECTED_SHA256 = {
    "pima-indians-diabetes.csv": "6bfe5d0f379d17a0e0819b996407e3c09bf80febd4287f2ed212190dfff154af",
    "imagenet_class_index.json": "a1e7a966a1f601d39e4b43e119b3e7dd4a2ad3ea08cf69847cbaf021013767bc",
    "china.jpg": "8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29",
}


@pytest.mark.parametrize(("name", "sha256"), EXPECTED_SHA256.items())
def test_data_file_is_the_verified_copy(name, sha256):
    digest = hashlib.sha256((paths.DATA_DIR / name).read_bytes()).hexdigest()
    assert digest == sha256, f"data/{name} changed: sha256 {digest}, SOURCES.md records {sha256}"


def test_class_index_md5_is_the_one_keras_pins():
    digest = hashlib.md5(paths.IMAGENET_CLASS_INDEX.read_bytes()).hexdigest()
    assert digest == "c2c37ea517e94d9795004a39431a14cb"
