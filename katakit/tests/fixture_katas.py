"""The fixture katas of the harness's test projects (katakit/tests/projects.py builds projects from them): each
one's curriculum entry, specs, stub and reference, the stand-in `keras`, and the reference times of alpha.

  demo   2 steps, 3 specs; the learner's screens, the warm runner, `make check` (with hints and a README, and
         their zh-CN editions and titles)
  alpha  10 points, 4 specs (one a Hypothesis spec); the grader's golden cases (katakit/tests/scenarios/)
  beta   6 points, 3 specs and one the specs skip
  gamma  10 points, 3 specs checking with assert, numpy.testing and pytest.fail; the attacks and the intake
"""

from __future__ import annotations

import textwrap

FAKE_KERAS = """
    \"\"\"Stands in for keras in the harness's tests: the fake katas never touch it, so the harness only seeds
    each spec with it, and a warm server starts in a moment instead of importing TensorFlow.\"\"\"
    from types import SimpleNamespace

    utils = SimpleNamespace(set_random_seed=lambda seed: None)
    config = SimpleNamespace(disable_interactive_logging=lambda: None)
"""

CURRICULUM = {
    "demo": """
        [[kata]]
        name = "demo"
        title = "A demo kata"
        title_zh = "一个演示练习"
        tutorial = "none"
        points = 10

          [[kata.steps]]
          id = "first"
          title = "First things"
          title_zh = "第一件事"
          functions = ["double"]

          [[kata.steps]]
          id = "second"
          title = "Second things"
          title_zh = "第二件事"
          functions = ["shout"]
    """,
    "alpha": """
        [[kata]]
        name = "alpha"
        title = "Alpha"
        tutorial = "a fixture"
        points = 10

          [[kata.steps]]
          id = "add"
          title = "Add"
          functions = ["add"]

          [[kata.steps]]
          id = "count"
          title = "Count"
          functions = ["count_to"]
    """,
    "beta": """
        [[kata]]
        name = "beta"
        title = "Beta"
        tutorial = "a fixture"
        points = 6

          [[kata.steps]]
          id = "words"
          title = "Words"
          functions = ["words"]
    """,
    "gamma": """
        [[kata]]
        name = "gamma"
        title = "Gamma"
        tutorial = "a fixture"
        points = 10

          [[kata.steps]]
          id = "sum"
          title = "Sum"
          functions = ["total", "double"]
    """,
}

SPECS = {
    "demo": """
        import pytest

        from katakit.loader import kata

        demo = kata("demo")


        @pytest.mark.step("second")
        def test_shout_capitalises():
            assert demo.shout("hi") == "HI", f"step 2: shout('hi') must be 'HI', got {demo.shout('hi')!r}"


        @pytest.mark.step("first")
        def test_double_doubles():
            assert demo.double(2) == 4, f"step 1: double(2) must be 4, got {demo.double(2)!r}"


        @pytest.mark.step("first")
        def test_double_handles_zero():
            assert demo.double(0) == 0
    """,
    "alpha": """
        import pytest
        from hypothesis import given
        from hypothesis import strategies as st

        from katakit.loader import kata

        alpha = kata("alpha")


        @pytest.mark.step("add")
        def test_add_small():
            assert alpha.add(2, 3) == 5, "step 1: add(2, 3) must be 5"


        @pytest.mark.step("add")
        @given(st.integers(0, 9), st.integers(0, 9))
        def test_add_any(a, b):
            assert alpha.add(a, b) == a + b, f"step 1: add({a}, {b}) must be {a + b}"


        @pytest.mark.step("count")
        def test_count_to_three():
            assert alpha.count_to(3) == [1, 2, 3], "step 2: count_to(3) must be [1, 2, 3]"


        @pytest.mark.step("count")
        def test_count_to_zero():
            assert alpha.count_to(0) == [], "step 2: count_to(0) must be []"
    """,
    "beta": """
        import pytest

        from katakit.loader import kata

        beta = kata("beta")


        @pytest.mark.step("words")
        def test_words_split():
            assert beta.words("a b") == ["a", "b"], "step 1: words('a b') must be ['a', 'b']"


        @pytest.mark.step("words")
        def test_words_empty():
            assert beta.words("") == [], "step 1: words('') must be []"


        @pytest.mark.step("words")
        def test_words_needs_data_not_shipped():
            pytest.skip("the data set for this spec is not shipped")


        @pytest.mark.step("words")
        def test_words_strips():
            assert beta.words(" a ") == ["a"], "step 1: words(' a ') must be ['a']"
    """,
    "gamma": """
        import numpy as np
        import pytest

        from katakit.loader import kata

        gamma = kata("gamma")


        @pytest.mark.step("sum")
        def test_total_adds():
            assert gamma.total([1, 2]) == 3, "total([1, 2]) must be 3"


        @pytest.mark.step("sum")
        def test_double_doubles_each():
            np.testing.assert_array_equal(gamma.double([1, 2]), [2, 4], err_msg="double([1, 2]) must be [2, 4]")


        @pytest.mark.step("sum")
        def test_total_of_nothing_is_zero():
            if gamma.total([]) != 0:
                pytest.fail("total([]) must be 0")
    """,
}

STUBS = {
    "demo": '''
        # %% Setup
        # %% Step 1: First things
        def double(x):
            """Step 1, first things: twice x."""
            raise NotImplementedError("Step 1 (First things): return twice x")


        # %% Step 2: Second things
        def shout(text):
            """Step 2, second things: text in capitals."""
            raise NotImplementedError("Step 2 (Second things): return text.upper()")
    ''',
    "alpha": '''
        def add(a, b):
            """Step 1: a + b."""
            raise NotImplementedError("Step 1 (Add): return a + b")


        def count_to(n):
            """Step 2: [1, ..., n]."""
            raise NotImplementedError("Step 2 (Count): return [1, ..., n]")
    ''',
    "beta": '''
        def words(text):
            """Step 1: the words of text."""
            raise NotImplementedError("Step 1 (Words): split the text")
    ''',
    "gamma": '''
        def total(values):
            """Step 1, sum: the sum of values."""
            raise NotImplementedError("Step 1 (Sum): add the values")


        def double(values):
            """Step 1, sum: each value twice."""
            raise NotImplementedError("Step 1 (Sum): double each value")
    ''',
}

SOLUTIONS = {
    "demo": '''
        # %% Setup
        # %% Step 1: First things
        def double(x):
            """Step 1, first things: twice x."""
            return 2 * x


        # %% Step 2: Second things
        def shout(text):
            """Step 2, second things: text in capitals."""
            return text.upper()
    ''',
    "alpha": '''
        def add(a, b):
            """Step 1: a + b."""
            return a + b


        def count_to(n):
            """Step 2: [1, ..., n]."""
            return list(range(1, n + 1))
    ''',
    "beta": '''
        def words(text):
            """Step 1: the words of text."""
            return text.split()
    ''',
    "gamma": '''
        def total(values):
            """Step 1, sum: the sum of values."""
            return sum(values)


        def double(values):
            """Step 1, sum: each value twice."""
            return [2 * v for v in values]
    ''',
}

# The sources as files hold them: dedented, from their first line.
SPECS, STUBS, SOLUTIONS = ({kata: textwrap.dedent(text).lstrip() for kata, text in table.items()}
                           for table in (SPECS, STUBS, SOLUTIONS))

# 3 of alpha's 4 specs pass (count_to is right only for 0).
PARTIAL_ALPHA = '''
    def add(a, b):
        """Step 1: a + b."""
        return a + b


    def count_to(n):
        """Step 2: [1, ..., n]."""
        return []
'''

# What else a kata's folder holds (the learner's screens read the hints and the README).
EXTRAS = {
    "demo": {
        "HINTS.md": """
            # Hints

            ## first
            Multiply.
            ---
            `return 2 * x`

            ## second
            A str method.
        """,
        "HINTS.zh-CN.md": """
            # 提示

            ## first
            做乘法。
            ---
            `return 2 * x`

            ## second
            一个 str 方法。
        """,
        "README.md": "# demo",
        "README.zh-CN.md": "# 演示",
    },
}

# Each spec's time against its reference (tests/spec_times.json): the time limits when none is given.
REFERENCE_TIMES = {"tests/test_alpha.py::test_add_small": 0.01, "tests/test_alpha.py::test_add_any": 0.05,
                   "tests/test_alpha.py::test_count_to_three": 0.4, "tests/test_alpha.py::test_count_to_zero": 0.01}
