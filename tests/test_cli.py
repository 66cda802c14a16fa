import warnings

import pytest

from skdenoise.cli import main
from skdenoise.exceptions import CollapseWarning, HarmWarning


def test_help_explains_the_flags(capsys):
    with pytest.raises(SystemExit) as info:
        main(["demo", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--n-train", "--max-epochs", "--output", "--device", "--no-plot", "--no-real"):
        assert flag in out


@pytest.mark.parametrize("argv, fragment", [
    (["demo", "--n-train", "0"], "expected a positive integer"),
    (["demo", "--max-epochs", "many"], "expected a positive integer"),
    (["demo", "--device", "tpu"], "expected one of auto, cpu, cuda"),
    (["demo", "--unknown"], "unrecognized arguments"),
    ([], "required"),
])
def test_bad_flags_exit_non_zero_with_a_message(argv, fragment, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code != 0
    assert fragment in capsys.readouterr().err


def test_small_demo_prints_the_table_and_writes_the_plot(tmp_path, capsys):
    import matplotlib

    matplotlib.use("Agg")
    path = tmp_path / "demo.png"
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        main(["demo", "--n-train", "600", "--n-test", "50", "--max-epochs", "3", "--output", str(path),
              "--device", "cpu"])
    out = capsys.readouterr().out
    assert "oracle projection" in out and "DenoisingAutoencoder (defaults)" in out
    assert "seed model" in out and "warnings" in out
    seed_row = next(line for line in out.splitlines() if line.startswith("seed model"))
    assert seed_row.endswith("collapse, harm")  # reported in the table, not on the console
    assert not [w for w in escaped if issubclass(w.category, (CollapseWarning, HarmWarning))]
    assert "Wii remote" in out and "wavelet (sym8, BayesShrink)" in out and "The default chose" in out
    assert path.stat().st_size > 10_000
