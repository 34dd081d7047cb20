"""Katas as notebooks: `make notebook` serves them, `%kata` runs the specs and shows make test's screen.

The notebook cases read a kata file into a notebook as Jupytext does in JupyterLab, append the `%kata`
cells a learner would type and run it headless (nbclient) on this venv's Python kernel. They work in the
`demo` fixture (katakit/tests/projects.py, a stand-in keras): the magic and the screens are the same for every
kata, and the specs run in processes of their own, as `make test`'s do (make check runs the real katas').
"""

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from katakit import env, manifest, messages
from katakit.paths import ROOT
from katakit.tests import projects

NEEDS = ("jupytext", "nbclient", "nbformat", "ipykernel")
MISSING = [name for name in NEEDS if importlib.util.find_spec(name) is None]
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    bool(MISSING), reason=f"the notebook requirements are not installed (no {', '.join(MISSING)}): `make notebook` "
    "installs requirements-notebook.txt")]


KATA = projects.records("demo")[0]


def run_notebook(demo, nb, timeout=600) -> list[str]:
    """Execute nb as JupyterLab would for katas/demo/demo.py; each cell's printed text."""
    import nbclient

    folder = KATA.folder(demo)
    outside_pytest = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}  # as under Jupyter
    path = os.pathsep.join([str(demo), projects.fakes(demo)])  # what `make notebook` sets, and a fake keras
    kernel_env = {**outside_pytest, **env.variables(), "PYTHONPATH": path, "KATAS_SEED_KERAS": "0",
                  "JPY_SESSION_NAME": str(KATA.stub(demo))}  # what Jupyter sets for the file it opened
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})
    client.execute(env=kernel_env)
    return ["".join(output.get("text", "") for output in cell.get("outputs", [])) for cell in nb.cells]


def kata_notebook(demo, *magics):
    """The kata file as Jupytext opens it, with one extra cell per magic line."""
    import jupytext
    import nbformat

    nb = jupytext.read(KATA.stub(demo))
    nb.cells.append(nbformat.v4.new_code_cell("%load_ext katakit"))
    nb.cells += [nbformat.v4.new_code_cell(line) for line in magics]
    return nb


def test_the_kata_file_opens_as_one_cell_per_step():
    """The curriculum's own kata files: read only, nothing is run."""
    import jupytext

    for kata in manifest.katas():
        nb = jupytext.read(kata.stub())
        titles = [cell.metadata.get("title") for cell in nb.cells]
        assert titles == ["Setup"] + [f"Step {s.number}: {s.title}" for s in kata.steps], kata.name


def test_a_solved_kata_notebook_says_done(demo):
    shutil.copy2(KATA.solution(demo), KATA.stub(demo))
    outputs = run_notebook(demo, kata_notebook(demo, "%kata test demo"))
    screen = outputs[-1]
    assert "demo" in screen, f"%kata test printed:\n{screen}"
    assert "✓ done" in screen, f"%kata test printed:\n{screen}"
    assert "Traceback" not in screen, screen


def test_the_stub_notebook_shows_step_1_s_todo_and_names_the_katas_for_a_wrong_one(demo):
    outputs = run_notebook(demo, kata_notebook(demo, "%kata test", "%kata test nope"))
    screen, wrong = outputs[-2], outputs[-1]
    assert "Step 1 (First things): return twice x" in screen, f"%kata test (in the demo notebook) printed:\n{screen}"
    assert "Traceback" not in screen, screen
    assert wrong == "no kata named 'nope' in curriculum.toml (katas: demo)\n"


def test_a_notebook_saved_with_a_syntax_error_gets_the_line_named(demo):
    import jupytext
    import nbformat

    nb = jupytext.read(KATA.stub(demo))
    step2 = next(cell for cell in nb.cells if cell.metadata.get("title") == "Step 2: Second things")
    step2.source = step2.source.replace("def shout(text):", "def shout(:")
    jupytext.write(nb, KATA.stub(demo), fmt="py:percent")  # what saving in JupyterLab does
    broken = next(n for n, line in enumerate(KATA.stub(demo).read_text().splitlines(), 1) if "(:" in line)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%load_ext katakit\n%kata test")])
    screen = run_notebook(demo, notebook)[-1]
    assert f"katas/demo/demo.py does not parse (line {broken})" in screen, screen
    assert "Traceback" not in screen, screen


def test_the_magic_without_a_command_prints_its_usage(capsys):
    from katakit import magic

    magic.kata_magic("", {})
    magic.kata_magic("tset first_network", {})
    assert capsys.readouterr().out == f"{messages.say('magic.usage')}\n" * 2


@pytest.mark.parametrize(("where", "expected"), [
    ("katas/first_network/first_network.py", "first_network"),
    ("katas/vgg16_classify", "vgg16_classify"),
    ("README.md", None),
])
def test_the_open_kata_is_the_one_whose_file_the_notebook_is(where, expected, monkeypatch, tmp_path):
    from katakit import magic

    monkeypatch.chdir(tmp_path)  # the kernel's own folder says nothing here
    kata = magic.open_kata({"__session__": str(ROOT / where)})
    assert (kata.name if kata else None) == expected


def test_without_a_notebook_path_the_kernel_s_folder_tells_the_kata(monkeypatch):
    from katakit import magic

    monkeypatch.chdir(ROOT / "katas" / "lstm_framing")  # Jupyter starts a kernel in its file's folder
    assert magic.open_kata({}).name == "lstm_framing"


def test_make_notebook_prints_the_address_saves_to_the_py_file_and_stops_on_ctrl_c(demo):
    """No browser, no display: the address is printed; a save lands in the .py file; one Ctrl-C stops it."""
    with socket.socket() as free:  # a free port, so a JupyterLab already running here is no obstacle
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    quiet = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "BROWSER", "WAYLAND_DISPLAY")}
    server = subprocess.Popen([sys.executable, "-m", "katakit.notebook", "demo", f"--port={port}"],
                              cwd=demo, env=quiet, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "token=" in line:
                break
        address = f":{port}/lab/tree/katas/demo/demo.py?token="
        assert any(address in line for line in lines), "".join(lines)
        token = lines[-1].split("token=")[1].strip()
        before = KATA.stub(demo).read_text(encoding="utf-8")
        save_with_an_edit(f"http://127.0.0.1:{port}/api/contents/katas/demo/demo.py", token)
        server.send_signal(signal.SIGINT)
        rest = server.communicate(timeout=60)[0]
    finally:
        if server.poll() is None:  # the assertions failed before the Ctrl-C: still stop it the clean way
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=60)
    output = "".join(lines) + rest
    assert server.returncode == 0, output
    assert "JupyterLab stopped." in output, output
    assert "Traceback" not in output, output
    edited = before.replace(TODO_2, "    # my note\n" + TODO_2, 1)
    assert KATA.stub(demo).read_text(encoding="utf-8") == edited, "the save changed more than the edit"
    assert sorted(p.name for p in KATA.folder(demo).iterdir()) == [
        "HINTS.md", "HINTS.zh-CN.md", "README.md", "README.zh-CN.md", "demo.py"]


TODO_2 = '    raise NotImplementedError("Step 2 (Second things)'


def save_with_an_edit(url: str, token: str) -> None:
    """Open the file as a notebook and save it with one line added, as JupyterLab does (with its metadata)."""
    def call(method, body=None):
        request = urllib.request.Request(url + ("?type=notebook&content=1" if method == "GET" else ""),
                                         method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    for _ in range(60):  # Jupyter prints the address just before it starts listening
        try:
            model = call("GET")
            break
        except urllib.error.URLError:
            time.sleep(0.5)
    else:
        pytest.fail("JupyterLab printed its address but never answered there")
    assert model["type"] == "notebook", model
    nb = model["content"]
    nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    for cell in nb["cells"]:
        cell.update(execution_count=1, outputs=[{"output_type": "stream", "name": "stdout", "text": "hi"}])
        cell["metadata"]["tags"] = ["mine"]
    step2 = next(cell for cell in nb["cells"] if cell["metadata"].get("title") == "Step 2: Second things")
    step2["source"] = step2["source"].replace(TODO_2, "    # my note\n" + TODO_2)
    call("PUT", {"type": "notebook", "format": "json", "content": nb})
