"""The zh-CN edition is in step with the English (katakit/translations.py), and the check can tell when not."""

import dataclasses
import shutil
from pathlib import Path

import pytest

from katakit import manifest, translations
from katakit.paths import ROOT


def test_every_translation_is_in_step_with_its_english():
    problems = translations.problems()
    assert not problems, "translations to bring in step with the English:\n" + "\n".join(problems)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of what the check reads: curriculum.toml, the documents, English and Chinese, and the message table."""
    root = tmp_path / "project"
    for path in [ROOT / "curriculum.toml", *ROOT.glob("README*.md"), *ROOT.glob("katas/*/*.md"),
                 ROOT / translations.CATALOG]:
        (root / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, root / path.relative_to(ROOT))
    assert translations.problems(root) == []
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    manifest.katas.cache_clear()  # the manifest is read once per process, and this changes it


def test_an_english_readme_changed_after_its_translation_is_listed_until_stamped(project):
    edit(project / "katas" / "first_network" / "README.md", "## ", "## Changed: ")
    problems = translations.problems(project)
    print("\n".join(problems))  # shown with pytest -s: the line a contributor reads
    assert len(problems) == 1
    assert problems[0].startswith("katas/first_network/README.zh-CN.md: stale: katas/first_network/README.md "
                                  "changed since it was translated")
    assert problems[0].endswith("--stamp katas/first_network/README.zh-CN.md")
    translations.stamp("katas/first_network/README.zh-CN.md", project)
    assert translations.problems(project) == []


def test_the_root_readme_is_checked_only_up_to_its_english_only_sections(project):
    edit(project / "README.md", "## For instructors", "## For instructors\n\nA sentence added.")
    assert translations.problems(project) == []
    edit(project / "README.md", "## Start", "## Starting")
    assert [p.partition(":")[0] for p in translations.problems(project)] == ["README.zh-CN.md"]


def test_a_missing_translation_and_a_changed_title_are_listed(project):
    (project / "katas" / "stateful_lstm" / "HINTS.zh-CN.md").unlink()
    edit(project / "curriculum.toml", 'title = "Reset the state"', 'title = "Reset the states"')
    assert translations.problems(project) == [
        "katas/stateful_lstm/HINTS.zh-CN.md: missing: translate katas/stateful_lstm/HINTS.md into it, "
        "then python -m katakit.translations --stamp katas/stateful_lstm/HINTS.zh-CN.md",
        "curriculum.toml: stale: kata stateful_lstm's English titles changed since their title_zh were written "
        "(or zh_titles_sha256 is missing): bring each title_zh in step, "
        "then python -m katakit.translations --stamp curriculum.toml:stateful_lstm",
    ]
    translations.stamp("curriculum.toml:stateful_lstm", project)
    assert len(translations.problems(project)) == 1


def hint_layout(path: Path) -> list[tuple[str, int]]:
    """Each `## <step id>` section of a hints file with its number of hints (`---` lines split them)."""
    layout = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            layout.append((line[3:].strip(), 1))
        elif layout and line.strip() == "---":
            layout[-1] = (layout[-1][0], layout[-1][1] + 1)
    return layout


@pytest.mark.parametrize("kata", manifest.katas(), ids=lambda k: k.name)
def test_the_chinese_hints_have_the_english_steps_and_hint_counts(kata):
    """So that `make hint` can serve either file, hint by hint, once it can speak Chinese."""
    english, chinese = kata.folder() / "HINTS.md", kata.folder() / "HINTS.zh-CN.md"
    assert hint_layout(chinese) == hint_layout(english), (
        f"{chinese.relative_to(ROOT)} must have the sections and hints of {english.relative_to(ROOT)}: "
        f"expected {hint_layout(english)}, got {hint_layout(chinese)}")


def test_a_message_whose_english_changed_or_that_has_no_chinese_is_listed_until_stamped(project):
    """The harness's message table (katakit/catalog.py): one line per entry to bring in step."""
    catalog = project / translations.CATALOG
    edit(catalog, '"every kata is done: well played"', '"every kata is done: well done"')
    edit(catalog, '"你的版本已保存为 {backup}"', "None")
    problems = translations.problems(project)
    print("\n".join(problems))  # shown with pytest -s: the lines a contributor reads
    assert [p.split(": ")[:3] for p in problems] == [[translations.CATALOG, "stale", "footer.all_done"],
                                                      [translations.CATALOG, "missing", "reset.saved"]]
    assert problems[0].endswith("bring it in step with 'every kata is done: well done', then "
                                "python -m katakit.translations --stamp katakit/catalog.py:footer.all_done")
    with pytest.raises(ValueError, match="no zh-CN yet"):
        translations.stamp("katakit/catalog.py:reset.saved", project)
    translations.stamp("katakit/catalog.py:footer.all_done", project)
    assert len(translations.problems(project)) == 1


def test_an_idiom_s_changed_english_and_a_chinese_placeholder_the_english_lacks_are_listed(project, monkeypatch):
    from katakit import idioms

    changed = [i if i.old != "lr" else dataclasses.replace(i, new="`learning_rate=` (a float)") for i in idioms.IDIOMS]
    monkeypatch.setattr(idioms, "IDIOMS", tuple(changed))
    edit(project / translations.CATALOG, '"下一个：{kata} — {title}"', '"下一个：{kata} — {name}"')
    assert [p.split(": ")[1:3] for p in translations.problems(project)] == [
        ["footer.next", "its zh-CN uses placeholders the English has not"], ["stale", "idiom.lr"]]
