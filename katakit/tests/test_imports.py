"""katakit/'s import graph (katakit/imports.py): no cycle, and no module using another's private names."""

import textwrap

from katakit import imports


def test_katakit_has_no_import_cycle_and_no_reach_in():
    edges, reach_ins = imports.graph()
    assert {"katakit.run.launch", "katakit.grading.supervise"} <= set(edges), "the graph must see the package"
    cycles = imports.cycles(edges)
    assert cycles == [], f"import cycles in katakit/ (python -m katakit.imports): {cycles}"
    assert reach_ins == [], f"modules using another's private names (python -m katakit.imports): {reach_ins}"


def test_it_finds_a_lazy_cycle_and_a_reach_in(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n\nb._hidden()\n")
    (package / "sub" / "b.py").write_text(textwrap.dedent("""
        from .. import leaf


        def later():
            from pkg import a  # lazy: still a dependency
        """))
    (package / "c.py").write_text("from pkg.sub.b import _private\n")
    (package / "leaf.py").write_text("import os\n")
    edges, reach_ins = imports.graph(package)
    assert edges["pkg.a"] == {"pkg.sub.b"}
    assert edges["pkg.sub.b"] == {"pkg.leaf", "pkg.a"}
    assert imports.cycles(edges) == [["pkg.a", "pkg.sub.b"]]
    assert reach_ins == [("pkg.a", "pkg.sub.b", "_hidden"), ("pkg.c", "pkg.sub.b", "_private")]
    lines, clean = imports.report(package)
    assert not clean
    assert "  pkg.a <-> pkg.sub.b" in lines
    assert "  pkg.c uses pkg.sub.b._private" in lines
