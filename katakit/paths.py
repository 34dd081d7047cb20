"""Where things live in the project. Nothing at run time reads outside it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
PIMA_CSV = DATA_DIR / "pima-indians-diabetes.csv"
IMAGENET_CLASS_INDEX = DATA_DIR / "imagenet_class_index.json"
MANIFEST = ROOT / "curriculum.toml"
