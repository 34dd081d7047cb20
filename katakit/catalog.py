"""Every sentence the harness prints to a learner, in English and Simplified Chinese, keyed by id.

Data only: katakit/messages.py looks an entry up and fills in its `{placeholders}` (str.format: the computed
values, paths, names and numbers go in unchanged). Each entry records `sha`, the first 12 hex digits of the
sha256 of the English its Chinese was made from: when the English changes, `python -m katakit.translations`
lists the entry as stale until its Chinese is brought in step and stamped
(`python -m katakit.translations --stamp katakit/catalog.py:<id>`).

The terms are those of the Chinese tutorials and the zh-CN READMEs: 练习 (kata), 规格测试 (spec), 存根文件
(stub), 参考解答 (reference), 提示 (hint), 步骤 (step), 加载数据, 定义模型, 编译模型, 拟合模型, ...
"""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    en: str | None  # None: the English lives elsewhere (an idiom's: katakit/idioms.py's `new`)
    zh: str | None  # None: not translated yet (the English is shown, and the check lists it)
    sha: str | None = None  # sha256[:12] of the English `zh` was made from
    extra: tuple[str, ...] = ()  # placeholders only the Chinese uses (its caller always supplies them)


MESSAGES = {
    # make progress, and the lines of every screen (katakit/learner/screen.py)
    "progress.title": Text(
        "keras-katas: your progress",
        "keras-katas：你的进度", sha="f90a4c8237af"),
    "progress.language": Text(
        "language: English (简体中文: KATAS_LANG=zh-CN make progress, or export KATAS_LANG=zh-CN)",
        "语言：简体中文（English: KATAS_LANG=en make progress，或 export KATAS_LANG=en）", sha="9731cfa5f32c"),
    "status.steps": Text(
        "{solved}/{total} steps",
        "{solved}/{total} 步", sha="23be1dbf835b"),
    "status.not_checked": Text(
        "· not checked yet",
        "· 尚未检查", sha="ae1e241397dd"),
    "status.done": Text(
        "✓ done     {steps}",
        "✓ 已完成   {steps}", sha="c4add471cba9"),
    "status.pending": Text(
        "✗ pending  {steps}",
        "✗ 未完成   {steps}", sha="5fad5d7f53f9"),
    "status.unchanged_since": Text(
        "  (unchanged since {time})",
        "  （自 {time} 起未改动）", sha="8da6e8273039"),
    "status.changed": Text(
        "· changed since its last run: make test KATA={kata}",
        "· 自上次运行以来有改动：make test KATA={kata}", sha="33f891279bc5"),
    "status.never": Text(
        "· not checked yet: make test KATA={kata}",
        "· 尚未检查：make test KATA={kata}", sha="b8c182a45272"),
    "failure.step": Text(
        "{kata}: step {number} of {total}, {title}",
        "{kata}：第 {number} 步（共 {total} 步），{title}", sha="926679aed165"),
    "failure.spec": Text(
        "  spec: {name}",
        "  规格测试：{name}", sha="0c87ee14a8ed"),
    "failure.where": Text(
        "  instructions: katas/{kata}/README.md    hint: make hint KATA={kata}",
        "  说明：katas/{kata}/README.zh-CN.md    提示：make hint KATA={kata}", sha="0c0c6d72489e"),
    "footer.solved": Text(
        "solved: compare with the reference: make compare KATA={kata}",
        "已解决：与参考解答比较：make compare KATA={kata}", sha="f5aa098dd6e5"),
    "footer.next": Text(
        "next: {kata} — {title}",
        "下一个：{kata} — {title}", sha="3d8dbad79526"),
    "footer.all_done": Text(
        "every kata is done: well played",
        "所有练习都完成了：干得好", sha="be0643d20144"),
    # make test, and the runs behind hint, progress and compare (katakit/learner/commands.py, specs.py)
    "test.reused": Text(
        "{count} kata(s) unchanged since their last run keep that verdict (FRESH=1 reruns them)",
        "{count} 个练习自上次运行以来没有改动，沿用上次的结论（FRESH=1 会重新运行它们）", sha="749402f1c55a"),
    "test.running": Text(
        "running the specs of {katas}...",
        "正在运行 {katas} 的规格测试……", sha="f632d164f981"),
    "test.stopped": Text(
        "\nstopped",
        "\n已停止", sha="7177e885dcc0"),
    "test.no_outcomes": Text(
        "{error}: the output of the run is above",
        "{error}：运行的输出在上面", sha="5ba38a528e1e"),
    "run.no_outcomes": Text(
        "could not run the specs of {katas}",
        "无法运行 {katas} 的规格测试", sha="bb353984c25a"),
    "run.live": Text(
        "  {kata}, {label}: {name} still running, {elapsed:.0f} s",
        "  {kata}，{label}：{name} 仍在运行，已 {elapsed:.0f} 秒", sha="b2bda5ebd0c8"),
    "run.cold_instead": Text(
        "warm runner unavailable ({error}): running cold processes instead",
        "常驻运行器不可用（{error}）：改为每次启动新的进程", sha="168b174f10c3"),
    "check.never": Text(
        "{count} not checked yet",
        "{count} 个尚未检查", sha="9424bf88ffa0"),
    "check.changed": Text(
        "{count} changed since their last run",
        "{count} 个自上次运行以来有改动", sha="5d5ca306759d"),
    "check.and": Text(
        " and ",
        "，", sha="e3ee915a8e8c"),
    "check.checking": Text(
        "checking {count} kata(s): {parts}...",
        "正在检查 {count} 个练习：{parts}……", sha="49b8e67f9ff8"),
    "check.no_outcomes": Text(
        "{error} (output above)",
        "{error}（输出在上面）", sha="c1da75bdcb53"),
    # make hint
    "hint.all_done": Text(
        "every kata is done: no hint needed",
        "所有练习都完成了：不需要提示", sha="d2fabd3a06ab"),
    "hint.kata_done": Text(
        "{kata} is done. Compare with the reference: make compare KATA={kata}",
        "{kata} 已完成。与参考解答比较：make compare KATA={kata}", sha="58c39c135674"),
    "hint.none_written": Text(
        "(no hint written for this step: see the kata's README.md)",
        "（这个步骤还没有写提示：请看这个练习的 README.zh-CN.md）", sha="c2c7fcc8e59c"),
    "hint.header": Text(
        "{kata}, step {number} of {total} ({title}): hint {shown} of {count}\n",
        "{kata}，第 {number} 步（共 {total} 步，{title}）：提示 {shown}/{count}\n", sha="9ee8bad770f5"),
    "hint.again": Text(
        "\n(run `make hint KATA={kata}` again for the next hint)",
        "\n（再运行一次 `make hint KATA={kata}`，得到下一条提示）", sha="744a5852add0"),
    "hint.last": Text(
        "\n(that is the last hint for this step: katas/{kata}/README.md has the rest)",
        "\n（这是这个步骤的最后一条提示：其余的在 katas/{kata}/README.zh-CN.md 中）", sha="6dc1ed4c90fc"),
    # make reset, make compare
    "reset.no_history": Text(
        "cannot find the original {path} in git history: is this a git clone?",
        "在 git 历史中找不到原始的 {path}：这是一个 git 克隆吗？", sha="5c1ea382bd7a"),
    "reset.already": Text(
        "{path} is already the untouched stub",
        "{path} 已经是未动过的存根文件", sha="c50269e77c80"),
    "reset.saved": Text(
        "your version is saved as {backup}",
        "你的版本已保存为 {backup}", sha="e68744696c22"),
    "reset.done": Text(
        "{path} is the untouched stub again",
        "{path} 又是未动过的存根文件了", sha="5ff1fed8cd83"),
    "compare.not_solved": Text(
        "{kata} is not solved yet ({solved}/{total} steps): the reference is offered once it is. "
        "Keep going: make test KATA={kata}",
        "{kata} 还没有解决（{solved}/{total} 步）：解决之后才会给出参考解答。继续：make test KATA={kata}",
        sha="fbe6ab719f87"),
    "compare.no_reference": Text(
        "{kata} is solved. This copy holds no reference solutions (no solutions/{kata}/), so there is nothing "
        "to compare with: ask whoever gave you the katas.",
        "{kata} 已解决。这份副本中没有参考解答（没有 solutions/{kata}/），所以没有可以比较的：请问给你这些练习的人。",
        sha="7875c49d9456"),
    "compare.yours": Text(
        "yours: katas/{kata}/{kata}.py",
        "你的：katas/{kata}/{kata}.py", sha="e6323f832eb9"),
    "compare.reference": Text(
        "reference: solutions/{kata}/{kata}.py",
        "参考解答：solutions/{kata}/{kata}.py", sha="7e8b88bf43b3"),
    "compare.same": Text(
        "your katas/{kata}/{kata}.py is the same as the reference, line for line",
        "你的 katas/{kata}/{kata}.py 与参考解答逐行相同", sha="bb56b37a1293"),
    # the command line, make watch, the notebook (katakit/__main__.py, learner/watch.py, magic.py, notebook.py)
    "main.which_kata": Text(
        "say which kata: make {command} KATA=<kata> (katas: {katas})\n",
        "请指明练习：make {command} KATA=<kata>（练习：{katas}）\n", sha="967424f1f6d8"),
    "main.no_kata": Text(
        "no kata named {name!r} in curriculum.toml (katas: {katas})",
        "curriculum.toml 中没有名为 {name!r} 的练习（练习：{katas}）", sha="7386028e0c10"),
    "watch.header": Text(
        "watching katas/{kata}/: the specs rerun on every save (Ctrl-C to stop)",
        "正在监视 katas/{kata}/：每次保存都会重新运行规格测试（Ctrl-C 停止）", sha="ee93ea434707"),
    "watch.warm": Text(
        "starting the warm runner: TensorFlow is imported once, and no run waits for it again...",
        "正在启动常驻运行器：TensorFlow 只导入一次，之后的运行都不再等它……", sha="766a272fe4f4"),
    "watch.stopped": Text(
        "\nstopped watching",
        "\n已停止监视", sha="8794690e8135"),
    "magic.usage": Text(
        "usage: %kata test [KATA] | %kata hint [KATA] | %kata progress",
        "用法：%kata test [KATA] | %kata hint [KATA] | %kata progress", sha="d09d29046b1b"),
    "notebook.starting": Text(
        "JupyterLab is starting: open the http://localhost:... address printed below in your browser.\n"
        "In a kata's notebook: %load_ext katakit, then %kata test, %kata hint, %kata progress.\n"
        "Save (Ctrl-S) before %kata test: it tests the file as saved. Ctrl-C here stops JupyterLab.",
        "JupyterLab 正在启动：在浏览器中打开下面打印的 http://localhost:... 地址。\n"
        "在练习的笔记本中：先 %load_ext katakit，然后 %kata test、%kata hint、%kata progress。\n"
        "%kata test 之前先保存（Ctrl-S）：它测试的是已保存的文件。在这里按 Ctrl-C 会停止 JupyterLab。",
        sha="e1d657e28a05"),
    "notebook.stopping": Text(
        "\nstopping JupyterLab and its kernels...",
        "\n正在停止 JupyterLab 和它的内核……", sha="9f6cb3fd90dc"),
    "notebook.stopped": Text(
        "JupyterLab stopped.",
        "JupyterLab 已停止。", sha="1195ac6d119d"),
    # a spec's message, composed in the kata's process (katakit/plugin/compose.py, katakit/loader.py)
    "step.label": Text(
        "step {number} ({title})",
        "第 {number} 步（{title}）", sha="9dd6f61bbeba"),
    "spec.sentence": Text(
        "{label}: {sentence}",
        "{label}：{sentence}", sha="74a7bc4d1a3a"),
    "spec.todo": Text(
        "TODO {where}: {todo}",
        "{label}：{where} 处还是 TODO：{todo}", sha="e305e5b6d10b", extra=("label",)),
    "spec.hypothesis_more": Text(
        "\n  (one of {count} different failures Hypothesis found with other examples: fix it and run again)",
        "\n  （这是 Hypothesis 用其他样例找到的 {count} 个不同失败之一：修好它，再运行一次）", sha="34524e8e4fa7"),
    "spec.harness_failed": Text(
        "{label}: the harness failed while running this spec: {error}",
        "{label}：运行这个规格测试时，测试框架本身出错了：{error}", sha="de4b9adc2ac5"),
    "spec.too_slow": Text(
        "{label}: this spec stopped after {limit:g} s; {needs}. Does {functions} train with the tutorial's "
        "settings{example} instead of the arguments it is given, or loop without end?",
        "{label}：这个规格测试在 {limit:g} 秒后被停止；{needs}。{functions} 是不是用了教程的设置来训练{example}，"
        "而不是用传给它的参数？或者陷入了无尽的循环？", sha="e393c85f73d1"),
    "spec.reference_needs": Text(
        "the reference needs {seconds:.1f} s",
        "参考解答需要 {seconds:.1f} 秒", sha="0e4615509688"),
    "spec.reference_quicker": Text(
        "the reference is quicker",
        "参考解答更快", sha="cf2fcdd3bd5d"),
    "spec.your_code": Text(
        "your code",
        "你的代码", sha="6d580547dc9c"),
    "spec.or": Text(
        " or ",
        " 或 ", sha="e1a3e78cb5c8"),
    "spec.epochs_example": Text(
        " (e.g. epochs={epochs})",
        "（例如 epochs={epochs}）", sha="84a28e1864db"),
    "spec.it_was_at": Text(
        "\n  it was at {where}",
        "\n  它当时停在 {where}", sha="9067d4c18ca8"),
    "spec.assertion_failed": Text(
        "an assertion failed",
        "一个断言没有通过", sha="825959723cac"),
    "spec.raised_at": Text(
        "{text}\n  raised at {where}",
        "{text}\n  出错位置：{where}", sha="8e09538106ca"),
    "spec.more_lines": Text(
        "  ... ({more} more lines)",
        "  ……（还有 {more} 行）", sha="105c4b97a7d5"),
    "loader.not_defined": Text(
        "You have not defined {function} yet in {where}{step}.",
        "你还没有在 {where} 中定义 {function}{step}。", sha="76ab3439d45b"),
    "loader.of_step": Text(
        " ({label})",
        "，它属于{label}", sha="ee9aa490cb7c"),
    "loader.missing": Text(
        "{where} is missing: {fix}.",
        "{where} 不见了：{fix}。", sha="97b8638f5829"),
    "loader.no_solutions": Text(
        "this copy holds no reference solutions",
        "这份副本中没有参考解答", sha="d254a6b64259"),
    "loader.restore": Text(
        "restore it with `make reset KATA={kata}`",
        "用 `make reset KATA={kata}` 恢复它", sha="5c10cf9f3ea3"),
    "loader.syntax": Text(
        "{where} does not parse (line {line}): {error}.",
        "{where} 无法解析（第 {line} 行）：{error}。", sha="2a7b82a9a24a"),
    "loader.import_failed": Text(
        "importing {where} failed:\n{traceback}",
        "导入 {where} 失败：\n{traceback}", sha="7fd602aed000"),
    # the Keras 1/2 idioms (katakit/idioms.py): the sentence, the note, and each idiom's Keras 3 spelling
    "idiom.explained": Text(
        "`{spelled}` is the Keras 1/2 way, gone from Keras 3: use {new}",
        "`{spelled}` 是 Keras 1/2 的写法，Keras 3 中已经没有了：请用 {new}", sha="5f54d57a80f5"),
    "idiom.note": Text(
        "note: `{olds}=` is the Keras 2 way; use {new}",
        "附注：`{olds}=` 是 Keras 2 的写法；请用 {new}", sha="3c68fd8d577b"),
    "idiom.predict_classes": Text(
        None, "`(model.predict(X, verbose=0) > 0.5).astype(int)[:, 0]`（只有一个 sigmoid 输出、每行一个类别时），"
        "softmax 输出则用 `np.argmax(model.predict(X, verbose=0), axis=-1)`", sha="238680858527"),
    "idiom.predict_proba": Text(None, "`model.predict(X, verbose=0)`", sha="4ea22bcd04cc"),
    "idiom.fit_generator": Text(None, "`model.fit(...)`，它可以接受生成器和数据集", sha="c2e4855e1e68"),
    "idiom.evaluate_generator": Text(None, "`model.evaluate(...)`", sha="2d8b1403649c"),
    "idiom.predict_generator": Text(None, "`model.predict(...)`", sha="56c03f784cdc"),
    "idiom.reset_states": Text(
        None, "`layer.reset_states()`，对 `model.layers` 中每个 `stateful` 为 True 的层各调用一次（无状态的模型"
        "没有可以重置的状态：去掉这个调用）", sha="cc6acab2e61a"),
    "idiom.nb_epoch": Text(None, "`epochs=`", sha="be2f10a926a2"),
    "idiom.init": Text(
        None, "`kernel_initializer=`，或者什么都不写：默认的 `glorot_uniform` 适合大多数模型", sha="c540b3fdcfaa"),
    "idiom.output_dim": Text(None, "`units`，即层的第一个参数", sha="61cf0002761b"),
    "idiom.batch_input_shape": Text(
        None, "`keras.Input(shape=(timesteps, features))` 作为第一层；只有有状态 LSTM 才用 "
        "`keras.Input(batch_shape=(batch, timesteps, features))`", sha="efea29a7f1df"),
    "idiom.input_shape": Text(None, "`keras.Input(shape=...)` 作为第一层", sha="c43e95c4c2d3"),
    "idiom.input_dim": Text(None, "`keras.Input(shape=(n,))` 作为第一层", sha="15ae39557035"),
    "idiom.lr": Text(None, "`learning_rate=`", sha="9753256df91b"),
    "idiom.build_fn": Text(
        None, "`model=`（scikeras 仍然接受 `build_fn=`，但会警告它将来会变成错误）", sha="117dd0434257"),
    "idiom.W_regularizer": Text(None, "`kernel_regularizer=`", sha="943fe8715aa1"),
    "idiom.np_utils": Text(None, "`keras.utils.to_categorical`", sha="b86fe8724f96"),
    "idiom.keras.wrappers.scikit_learn": Text(
        None, "`scikeras.wrappers.KerasClassifier`（scikeras 包）", sha="479ecbfc982a"),
}
