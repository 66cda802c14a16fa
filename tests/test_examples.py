"""Every example runs, on small data, with the real code."""

import pathlib
import runpy
import warnings

import matplotlib
import pytest

pytestmark = pytest.mark.slow  # CI runs these (pytest -m slow); the README's pytest does not

matplotlib.use("Agg")

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("plot_*.py"))


#: Examples of an optional extra, skipped without it (``pip install ".[test]"`` has no dask).
NEEDS = {"plot_dask_long_recording.py": "dask.distributed", "plot_aeon_pipeline.py": "aeon",
         "plot_sktime_pipeline.py": "sktime"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path, monkeypatch):
    import matplotlib.pyplot as plt

    if path.name in NEEDS:
        pytest.importorskip(NEEDS[path.name])

    monkeypatch.setenv("SKDENOISE_EXAMPLES_SMALL", "1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runpy.run_path(str(path), run_name="__main__")
    plt.close("all")


def test_there_are_examples():
    assert len(EXAMPLES) >= 7
