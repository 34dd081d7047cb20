"""`make classroom50` and `make prairielearn`: what each platform is given, never a reference solution.

Both hold the harness as `make autograder` packs it for Gradescope (katakit/grading/package.py: the harness,
the specs, the data, the untouched stubs, the manifest and the pinned requirements; never solutions/).

    classroom50 OUT     OUT/autograder.py (autograder/classroom50.py) and OUT/keras-katas/ (the harness): the
                        assignment's bundle, for <classroom>/autograders/<assignment>/ of the classroom50
                        repository
    prairielearn OUT    a PrairieLearn course folder: infoCourse.json (kept if OUT has one), one question per
                        kata in questions/keras-katas/<kata>/ (info.json; question.html with the kata's README
                        and a pl-file-upload of <kata>.py) and the harness in serverFilesCourse/keras-katas/

Only those parts of OUT are replaced, so OUT may be a course repository of your own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import uuid
from pathlib import Path

from katakit import manifest
from katakit.grading import package
from katakit.grading.platforms import prairielearn
from katakit.paths import ROOT

HARNESS = "keras-katas"  # the harness's folder in the bundle and in serverFilesCourse
CLASSROOM50_ENTRYPOINT = Path("autograder") / "classroom50.py"  # becomes the bundle's autograder.py
PRAIRIELEARN_ENTRYPOINT = Path("autograder") / "prairielearn"  # the questions' entrypoint, in the harness
TOPIC = "Keras katas"


def harness(out: Path, root: Path = ROOT) -> int:
    """Copy the harness (package.files) into `out`, afresh; how many files."""
    shutil.rmtree(out, ignore_errors=True)
    names = package.files(root)
    for relative in names:
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, out / relative)  # keeps the executable bits
    return len(names)


def classroom50(out: Path, root: Path = ROOT) -> list[str]:
    """The Classroom 50 bundle in `out`; what it holds, one line each."""
    count = harness(out / HARNESS, root)
    shutil.copy2(root / CLASSROOM50_ENTRYPOINT, out / "autograder.py")
    return ["autograder.py", f"{HARNESS}/ ({count} files)"]


def prairielearn_course(out: Path, image: str, root: Path = ROOT) -> list[str]:
    """The PrairieLearn course folder in `out`; what it holds, one line each."""
    info = out / "infoCourse.json"
    if not info.exists():
        out.mkdir(parents=True, exist_ok=True)
        info.write_text(json.dumps({"uuid": str(uuid.uuid4()), "name": "keras-katas", "title": "Keras katas",
                                    "topics": [{"name": TOPIC, "color": "blue3",
                                                "description": "Five classic Keras tutorials, test-driven."}]},
                                   indent=2) + "\n", encoding="utf-8")
    course = json.loads(info.read_text(encoding="utf-8"))
    count = harness(out / "serverFilesCourse" / HARNESS, root)
    questions = out / "questions" / HARNESS
    shutil.rmtree(questions, ignore_errors=True)
    katas = manifest.katas(root / "curriculum.toml")
    for kata in katas:
        folder = questions / kata.name
        folder.mkdir(parents=True)
        (folder / "info.json").write_text(json.dumps(question_info(kata, image, course["uuid"]), indent=2) + "\n",
                                          encoding="utf-8")
        (folder / "question.html").write_text(question_html(kata, root), encoding="utf-8")
    lines = [f"questions/{HARNESS}/<kata>/ ({len(katas)} questions, image {image})",
             f"serverFilesCourse/{HARNESS}/ ({count} files)"]
    if TOPIC not in {t.get("name") for t in course.get("topics", [])}:
        lines.append(f"add the topic {TOPIC!r} to the topics of {info}")
    return lines


def question_info(kata: manifest.Kata, image: str, course_uuid: str) -> dict:
    """A question's info.json. Its uuid is derived from the course's, so a rebuild keeps every question."""
    return {
        "uuid": str(uuid.uuid5(uuid.UUID(course_uuid), f"{HARNESS}/{kata.name}")),
        "title": f"Kata {kata.number}: {kata.title}",
        "topic": TOPIC,
        "type": "v3",
        "singleVariant": True,
        "gradingMethod": "External",
        "externalGradingOptions": {
            "enabled": True,
            "image": image,
            "entrypoint": ["/bin/sh", f"/grade/serverFilesCourse/{HARNESS}/{PRAIRIELEARN_ENTRYPOINT}", kata.name],
            "serverFilesCourse": [f"{HARNESS}/"],
            "timeout": prairielearn.TIMEOUT,
            "enableNetworking": False,
        },
    }


LANGUAGE_LINK = "[简体中文](README.zh-CN.md)\n"  # each kata README's first line (katakit/translations.py)


def question_html(kata: manifest.Kata, root: Path = ROOT) -> str:
    """The kata's README as the question's text, then the upload of <kata>.py; the grader's results below."""
    readme = (kata.folder(root) / "README.md").read_text(encoding="utf-8")
    readme = readme.removeprefix(LANGUAGE_LINK)  # the course has no README.zh-CN.md beside the question to link to
    for marker in ("{{", "</markdown>"):  # Mustache, then PrairieLearn's Markdown, would take them as their own
        if marker in readme:
            raise ValueError(f"{kata.folder(root) / 'README.md'} holds {marker!r}, which question.html cannot carry")
    return f"""<pl-question-panel>
<markdown>
{readme.strip()}
</markdown>
<p>Work on <code>katas/{kata.name}/{kata.name}.py</code> in your copy of keras-katas (<code>make test
KATA={kata.name}</code> runs the specs step by step), then upload that file here. The grader runs the same specs
in a sandbox: each one passed earns an equal share of the points.</p>
</pl-question-panel>

<pl-file-upload file-names="{kata.name}.py"></pl-file-upload>

<pl-submission-panel>
<pl-external-grader-results></pl-external-grader-results>
<pl-file-preview></pl-file-preview>
</pl-submission-panel>
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.grading.platforms.build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("platform", choices=("classroom50", "prairielearn"))
    parser.add_argument("out", type=Path, metavar="OUT", help="the folder to write (only its parts above are replaced)")
    parser.add_argument("--image", default="keras-katas-grader",
                        help="prairielearn: the grader image the questions name (README.md, 'PrairieLearn')")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"{args.out} is a file, not a folder")
    try:
        lines = (classroom50(args.out) if args.platform == "classroom50"
                 else prairielearn_course(args.out, args.image))
    except (OSError, ValueError) as error:
        print(f"cannot write {args.out}: {error}", file=sys.stderr)
        return 2
    print("\n".join([f"{args.out}:", *(f"  {line}" for line in lines)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
