"""The README's example runs as written and prints what it says."""

import contextlib
import io
import pathlib
import re

import pytest

pytestmark = pytest.mark.slow  # CI runs these (pytest -m slow); the README's pytest does not

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs_and_the_default_beats_the_wavelet():
    code = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL).group(1)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {})
    model_line, wavelet_line, shape_line = printed.getvalue().splitlines()
    architecture, model_db, _ = model_line.split()
    assert architecture in ("mlp", "conv")
    assert float(model_db) > float(wavelet_line.split()[1]) + 1.0
    assert shape_line == "(1, 1, 1444)"
