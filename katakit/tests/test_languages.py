"""The learner's language (katakit/lang.py) and the harness's sentences in it (katakit/messages.py, catalog.py):
chosen by KATAS_LANG or the locale, English by default and byte for byte as before, Chinese with the
computed values unchanged. The demo kata's screens in zh-CN come from real runs (python -m katakit)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from katakit import catalog, idioms, lang, manifest, messages, translations
from katakit.learner import specs
from katakit.tests import projects
from katakit.tests.test_learner import solve

ZH = {"KATAS_LANG": "zh-CN"}


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"KATAS_LANG": "zh-CN"}, "zh-CN"),
    ({"KATAS_LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
    ({"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),  # POSIX: LC_ALL first
    ({"KATAS_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),  # KATAS_LANG before any locale
    ({"KATAS_LANG": "", "LANG": "zh_CN.UTF-8"}, "zh-CN"),  # set but empty: as unset
    ({"LANG": "zh_TW.UTF-8"}, "en"),  # Traditional Chinese: no edition, English
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"KATAS_LANG": "xx", "LANG": "zh_CN.UTF-8"}, "en"),  # an unknown request: English, said once
])
def test_the_language_is_katas_lang_else_the_locale_else_english(environ, expected):
    assert lang.current(environ) == expected
    assert bool(lang.unknown(environ)) == (environ.get("KATAS_LANG") == "xx")


def test_an_unknown_katas_lang_names_the_languages_there_are_in_one_line():
    line = lang.unknown({"KATAS_LANG": "fr"})
    assert line == "KATAS_LANG=fr: no such language here (languages: en, zh-CN); going on in English"


def test_the_english_step_label_is_the_manifests_and_the_chinese_uses_title_zh():
    for kata in manifest.katas():
        for step in kata.steps:
            assert messages.step_label(step, "en") == step.label
    define = manifest.kata("first_network").step("define")
    assert messages.step_label(define, "zh-CN") == "第 2 步（定义模型）"


def test_computed_values_go_into_the_chinese_unchanged():
    said = messages.say("compare.not_solved", "zh-CN", kata="first_network", solved=3, total=7)
    assert said == "first_network 还没有解决（3/7 步）：解决之后才会给出参考解答。继续：make test KATA=first_network"
    assert messages.say("spec.reference_needs", "zh-CN", seconds=0.234) == "参考解答需要 0.2 秒"
    assert messages.say("spec.reference_needs", "en", seconds=0.234) == "the reference needs 0.2 s"


def test_every_entry_formats_in_both_languages_with_the_placeholders_of_its_english():
    for key, text in catalog.MESSAGES.items():
        english = translations.english_of(key, text)
        values = dict.fromkeys(translations.fields(english) | set(text.extra), 1)  # 1 takes every format spec
        for language in lang.LANGUAGES:
            messages.template(key, language, english=english).format(**values)


def test_the_idioms_teach_in_chinese(monkeypatch):
    error = TypeError("TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'")
    english = idioms.explain(error)
    monkeypatch.setenv("KATAS_LANG", "zh-CN")
    assert idioms.explain(error) == "`nb_epoch=` 是 Keras 1/2 的写法，Keras 3 中已经没有了：请用 `epochs=`"
    assert english == "`nb_epoch=` is the Keras 1/2 way, gone from Keras 3: use `epochs=`"
    warning = "Do not pass an `input_shape`/`input_dim` argument to a layer. When using Sequential models, ..."
    assert idioms.note(warning) == ("附注：`input_shape=`/`input_dim=` 是 Keras 2 的写法；"
                                    "请用 `keras.Input(shape=...)` 作为第一层")


def test_the_live_line_and_the_magic_speak_chinese(monkeypatch, capsys):
    from katakit import magic

    monkeypatch.setenv("KATAS_LANG", "zh-CN")
    monkeypatch.setattr(specs, "LIVE_AFTER", -1.0)
    nodeid = "tests/test_first_network.py::test_fit"
    reader = SimpleNamespace(running=nodeid, collected=[{"nodeid": nodeid, "kata": "first_network", "step": "fit"}])
    specs.LiveLine().show(reader)
    magic.kata_magic("", {})
    shown = capsys.readouterr().out
    assert "  first_network，第 4 步（拟合模型）：test_fit 仍在运行，已 0 秒" in shown
    assert shown.endswith("用法：%kata test [KATA] | %kata hint [KATA] | %kata progress\n")


slow = pytest.mark.slow  # the tests below run python -m katakit in the demo project


@slow
def test_progress_and_test_in_chinese_name_the_step_in_chinese_and_keep_the_values(demo):
    progress = projects.katakit(demo, "progress", **ZH).stdout
    assert progress.splitlines()[:2] == [
        "keras-katas：你的进度", "语言：简体中文（English: KATAS_LANG=en make progress，或 export KATAS_LANG=en）"]
    assert "   1. demo                       · 尚未检查：make test KATA=demo" in progress
    assert progress.strip().splitlines()[-1] == "下一个：demo — 一个演示练习"

    first = projects.katakit(demo, "test", **ZH).stdout
    assert "demo：第 1 步（共 2 步），第一件事" in first
    assert ("第 1 步（第一件事）：katas/demo/demo.py:5 in double() 处还是 TODO：Step 1 (First things): "
            "return twice x") in first
    assert "  说明：katas/demo/README.zh-CN.md    提示：make hint KATA=demo" in first
    assert "✗ 未完成   0/2 步" in first

    solve(demo, "double")
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text().replace('raise NotImplementedError("Step 2 (Second things): return '
                                             'text.upper()")', "return text"))
    wrong = projects.katakit(demo, "test", LANG="zh_CN.UTF-8", KATAS_LANG="").stdout  # the locale alone
    assert "第 2 步（第二件事）：step 2: shout('hi') must be 'HI', got 'hi'" in wrong, wrong
    assert "1/2 步" in wrong

    english = projects.katakit(demo, "test").stdout  # unchanged, but its saved messages are Chinese: run again
    assert "unchanged since" not in english
    assert "step 2 (Second things): step 2: shout('hi') must be 'HI', got 'hi'" in english
    assert not any("\u4e00" <= c <= "\u9fff" for c in english), english


@slow
def test_a_missing_function_and_a_slow_spec_say_so_in_chinese(demo, monkeypatch):
    stub = demo / "katas" / "demo" / "demo.py"
    stub.write_text(stub.read_text().split("\n\n# %% Step 2")[0].replace(
        'raise NotImplementedError("Step 1 (First things): return twice x")', "return 2 * x"))
    out = projects.katakit(demo, "test", **ZH).stdout
    assert "你还没有在 katas/demo/demo.py 中定义 shout，它属于第 2 步（第二件事）。" in out, out

    projects.slow_demo(demo)
    monkeypatch.setenv("KATAS_SPEC_TIME_FLOOR", "1")
    slow = projects.katakit(demo, "test", **ZH).stdout
    assert ("第 1 步（第一件事）：这个规格测试在 1 秒后被停止；参考解答需要 0.0 秒。double 是不是用了教程的设置来训练"
            "（例如 epochs=5000），而不是用传给它的参数？或者陷入了无尽的循环？") in slow, slow
    assert "它当时停在 katas/demo/demo.py:" in slow


@slow
def test_hint_serves_the_chinese_hints_in_chinese(demo):
    first = projects.katakit(demo, "hint", "demo", **ZH).stdout
    assert "demo，第 1 步（共 2 步，第一件事）：提示 1/2\n" in first
    assert "做乘法。" in first
    assert "（再运行一次 `make hint KATA=demo`，得到下一条提示）" in first
    second = projects.katakit(demo, "hint", "demo", **ZH).stdout
    assert "`return 2 * x`" in second
    assert "（这是这个步骤的最后一条提示：其余的在 katas/demo/README.zh-CN.md 中）" in second


@slow
def test_an_unknown_language_is_one_line_then_english_and_the_default_is_english(demo):
    unknown = projects.katakit(demo, "progress", KATAS_LANG="xx", LANG="zh_CN.UTF-8")
    assert unknown.stderr.splitlines() == [
        "KATAS_LANG=xx: no such language here (languages: en, zh-CN); going on in English"]
    default = projects.katakit(demo, "progress", KATAS_LANG="", LC_ALL="", LC_MESSAGES="", LANG="C.UTF-8")
    assert unknown.stdout == default.stdout
    assert default.stderr == ""
    assert default.stdout.splitlines()[:2] == [
        "keras-katas: your progress",
        "language: English (简体中文: KATAS_LANG=zh-CN make progress, or export KATAS_LANG=zh-CN)"]
    assert "   1. demo                       · not checked yet: make test KATA=demo" in default.stdout


def test_make_watch_says_in_its_language_that_it_runs_cold_processes():
    from katakit.run import runners, warm

    class Gone:
        def start(self, request):
            raise warm.Unavailable("no server")

    said: list[str] = []
    for language in lang.LANGUAGES:
        runner = runners.WarmFirst(Gone(), SimpleNamespace(start=lambda request: "cold"), said.append, language)
        assert runner.start(None) == "cold"
    assert said == ["warm runner unavailable (no server): running cold processes instead",
                    "常驻运行器不可用（no server）：改为每次启动新的进程"]
