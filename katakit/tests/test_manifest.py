"""curriculum.toml is the one list of katas: every listed kata has its files, steps and specs."""

import ast

import pytest

from katakit import manifest

KATAS = manifest.katas()


def test_manifest_lists_katas_with_unique_names():
    names = [k.name for k in KATAS]
    assert names
    assert len(names) == len(set(names))


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.name)
def test_kata_has_stub_solution_spec_instructions_and_hints(kata):
    for path in (kata.stub(), kata.solution(), kata.spec(), kata.folder() / "README.md", kata.folder() / "HINTS.md"):
        assert path.is_file(), f"{kata.name}: {path} is missing"


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.name)
def test_every_step_has_a_hint(kata):
    hints = (kata.folder() / "HINTS.md").read_text(encoding="utf-8")
    missing = [s.id for s in kata.steps if f"\n## {s.id}\n" not in hints]
    assert not missing, f"{kata.name}: HINTS.md has no '## <step id>' section for {missing}"


def spec_trees(kata):
    """The kata's spec file, parsed, and the shared spec modules of tests/ it imports (`from tests.x import`)."""
    tree = ast.parse(kata.spec().read_text(encoding="utf-8"))
    root = kata.spec().parent.parent
    shared = [root / f"{node.module.replace('.', '/')}.py" for node in tree.body
              if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests.")]
    return [tree] + [ast.parse(path.read_text(encoding="utf-8")) for path in shared if path.exists()]


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.name)
def test_every_spec_names_a_known_step(kata):
    ids = {s.id for s in kata.steps}
    used = {
        d.args[0].value
        for tree in spec_trees(kata)
        for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
        for d in node.decorator_list
        if isinstance(d, ast.Call) and ast.unparse(d.func) == "pytest.mark.step"
    }
    assert used <= ids, f"{kata.name}: specs use unknown steps {used - ids}"
    assert used == ids, f"{kata.name}: steps without a spec: {ids - used}"


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.name)
def test_every_kata_and_step_has_a_chinese_title(kata):
    untitled = [f"kata {kata.name}"] if not kata.title_zh else []
    untitled += [f"step {s.id} ({s.title})" for s in kata.steps if not s.title_zh]
    assert not untitled, f"curriculum.toml: add title_zh = \"...\" to {', '.join(untitled)}"
    assert kata.title_in("zh-CN") == kata.title_zh
    assert kata.title_in("en") == kata.title
    assert [s.title_in("zh-CN") for s in kata.steps] == [s.title_zh for s in kata.steps]


def test_a_title_not_translated_yet_reads_in_english_and_an_unknown_language_names_the_known_ones():
    assert manifest.Step(1, "load", "Load the data", ()).title_in("zh-CN") == "Load the data"
    with pytest.raises(ValueError, match="en, zh-CN"):
        KATAS[0].title_in("fr")
