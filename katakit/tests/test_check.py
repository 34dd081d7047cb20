"""`make check` itself: it passes a sound kata and catches a spec that cannot fail."""

from katakit.tests import fake_project


def test_check_passes_a_sound_kata(tmp_path):
    root = fake_project.make(tmp_path)
    done = fake_project.katakit(root, "check", "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: 6 passed, 0 failed" in done.stdout


def test_check_catches_a_spec_that_passes_against_the_stub(tmp_path):
    root = fake_project.make(tmp_path)
    spec = root / "tests" / "test_demo.py"
    spec.write_text(spec.read_text() + '''

@pytest.mark.step("first")
def test_that_tests_nothing():
    assert demo is not None
''')
    done = fake_project.katakit(root, "check", "demo")
    assert done.returncode == 1
    assert "test_that_tests_nothing passed against the untouched stub: it tests nothing" in done.stdout


def test_check_catches_a_failing_reference(tmp_path):
    root = fake_project.make(tmp_path)
    solution = root / "solutions" / "demo" / "demo.py"
    solution.write_text(solution.read_text().replace("return text.upper()", "return text"))
    done = fake_project.katakit(root, "check", "demo")
    assert done.returncode == 1
    assert "(a) demo: tests/test_demo.py::test_shout_capitalises: assertion" in done.stdout
