"""``skdenoise denoise INPUT -o OUTPUT``: a recording on disk in, its denoised version out, every error one line."""

import numpy as np
import pytest
from scipy.io import wavfile

from skdenoise import DenoisingAutoencoder
from skdenoise.cli import main
from skdenoise.io import read_recording


def noisy_trace(length=600, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    clean = np.stack([np.sin(2 * np.pi * t / (40 + 13 * c)) + 0.5 * np.sin(2 * np.pi * t / 9.0)
                      for c in range(channels)])
    return clean, clean + 0.4 * rng.standard_normal(clean.shape)


def write_csv(path, noisy):
    lines = ["stamp," + ",".join(f"ch{c}" for c in range(len(noisy))) + ",label"]
    lines += [f"t{i}," + ",".join(f"{v:.6f}" for v in noisy[:, i]) + f",{'ab'[i % 2]}" for i in range(noisy.shape[1])]
    path.write_text("\n".join(lines) + "\n")


def mse(a, b):
    return float(np.mean(np.square(np.asarray(a, float) - b)))


def test_a_csv_is_denoised_with_every_other_column_kept_and_a_summary(tmp_path, capsys):
    clean, noisy = noisy_trace()
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(source, noisy)
    main(["denoise", str(source), "-o", str(target), "--method", "wavelet", "--seed", "0"])
    before, after = source.read_text().splitlines(), target.read_text().splitlines()
    assert after[0] == before[0] and len(after) == len(before)
    assert [(b.split(",")[0], b.split(",")[-1]) for b in before] == [(a.split(",")[0], a.split(",")[-1]) for a in after]
    denoised = read_recording(target).signals
    assert mse(denoised, clean) < 0.5 * mse(noisy, clean)
    out = capsys.readouterr().out
    assert "1 channel(s) (ch0), 600 samples" in out and "noise level (std per channel): 0.4" in out
    assert "estimated gain +" in out and "took" in out


def test_the_default_learns_from_the_file_and_never_trails_the_wavelet_filter_by_much(tmp_path, capsys):
    clean, noisy = noisy_trace(length=1500, channels=2)
    source = tmp_path / "in.npy"
    np.save(source, noisy.T.astype(np.float32))  # (time, channels): time along the longer axis
    main(["denoise", str(source), "-o", str(tmp_path / "out.npy"), "--quiet", "--device", "cpu"])
    assert capsys.readouterr().out == ""
    denoised = np.load(tmp_path / "out.npy")
    assert denoised.shape == (1500, 2) and denoised.dtype == np.float32
    main(["denoise", str(source), "-o", str(tmp_path / "wavelet.npy"), "--quiet", "--method", "wavelet"])
    wavelet = np.load(tmp_path / "wavelet.npy")
    assert mse(denoised.T, clean) < 1.25 * mse(wavelet.T, clean)  # the race keeps the wavelet filter or better


def test_warnings_are_one_line_each_on_standard_error(tmp_path, capsys):
    from skdenoise.noise import add_noise

    t = np.arange(4096)
    clean = np.sin(2 * np.pi * t / 300) + 0.5 * np.sin(2 * np.pi * t / 77)
    np.save(tmp_path / "pink.npy", add_noise(clean[None, None], "pink", 0.4, random_state=0)[0, 0])
    main(["denoise", str(tmp_path / "pink.npy"), "-o", str(tmp_path / "out.npy"), "--quiet", "--noise", "white"])
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(line.startswith("skdenoise denoise: warning (") for line in err)
    assert any("NoiseLevelWarning" in line for line in err)
    assert np.load(tmp_path / "out.npy").shape == (4096,)


@pytest.mark.parametrize("method", ["wavelet", "savgol"])
def test_a_classical_filter_warns_where_auto_took_the_noise_as_pink_and_not_where_told(tmp_path, capsys, method):
    from skdenoise.noise import add_noise

    t = np.arange(4096)
    clean = np.sin(2 * np.pi * t / 300) + 0.5 * np.sin(2 * np.pi * t / 77)
    np.save(tmp_path / "pink.npy", add_noise(clean[None, None], "pink", 0.4, random_state=0)[0, 0])
    for noise, warned in (("auto", True), ("pink", False)):
        main(["denoise", str(tmp_path / "pink.npy"), "-o", str(tmp_path / "out.npy"), "--method", method,
              "--noise", noise])
        captured = capsys.readouterr()
        assert ("taken as pink" in captured.err) == warned and "pink" in captured.out


def test_savgol_and_a_given_noise_level(tmp_path, capsys):
    clean, noisy = noisy_trace()
    source = tmp_path / "in.wav"
    wavfile.write(source, 1000, (noisy[0] * 5000).astype(np.int16))
    main(["denoise", str(source), "-o", str(tmp_path / "out.wav"), "--method", "savgol", "--noise-std", "2000"])
    rate, denoised = wavfile.read(tmp_path / "out.wav")
    assert rate == 1000 and denoised.dtype == np.int16
    assert mse(denoised / 5000, clean[0]) < 0.5 * mse(noisy, clean)
    out = capsys.readouterr().out
    assert "Savitzky-Golay (window" in out and "noise level (std per channel): 2e+03" in out


def test_a_saved_model_denoises_without_learning(tmp_path, capsys):
    clean, noisy = noisy_trace(length=64 * 40)
    pieces = lambda x: x.reshape(40, 1, 64)  # noqa: E731
    model = DenoisingAutoencoder(max_epochs=30, random_state=0, device="cpu").fit(pieces(noisy), pieces(clean))
    model.save_weights(tmp_path / "model.pt")
    source = tmp_path / "in.npy"
    np.save(source, noisy[0, :64])
    main(["denoise", str(source), "-o", str(tmp_path / "out.npy"), "--model", str(tmp_path / "model.pt")])
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), model.predict(noisy[None, :, :64])[0, 0], rtol=1e-5,
                               atol=1e-6)
    assert "model " in capsys.readouterr().out


def test_a_plot_is_written(tmp_path):
    pytest.importorskip("matplotlib")
    clean, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)
    main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--method", "wavelet", "--quiet",
          "--plot", str(tmp_path / "plot.png")])
    assert (tmp_path / "plot.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("setup, argv, fragment", [
    (None, ["missing.csv"], "missing.csv: no such file"),
    ("x.xlsx", ["x.xlsx"], "unknown kind of file '.xlsx'"),
    ("in.csv", ["in.csv", "--columns", "nope"], "there is no column 'nope'"),
    ("bad.csv", ["bad.csv", "--columns", "ch0"], "row 3, column 'ch0': 'oops' is not a number"),
    ("short.csv", ["short.csv"], "short.csv: the recording has 10 samples; learning from it needs 64 or more"),
    ("in.csv", ["in.csv", "--noise-std", "-1"], "expected numbers > 0"),
    ("in.csv", ["in.csv", "--method", "magic"], "invalid choice: 'magic'"),
    ("in.csv", ["in.csv", "--model", "nowhere.pt"], "does not exist"),
    ("in.npy", ["in.npy", "--columns", "a"], "a .npy file has none"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, setup, argv, fragment):
    monkeypatch.chdir(tmp_path)
    _, noisy = noisy_trace(length=200)
    if setup == "x.xlsx":
        (tmp_path / setup).write_text("x")
    elif setup == "in.npy":
        np.save(tmp_path / setup, noisy[0])
    elif setup is not None:
        write_csv(tmp_path / setup, noisy[:, :10] if setup == "short.csv" else noisy)
        if setup == "bad.csv":
            text = (tmp_path / setup).read_text().splitlines()
            text[2] = text[2].replace(text[2].split(",")[1], "oops")
            (tmp_path / setup).write_text("\n".join(text) + "\n")
    with pytest.raises(SystemExit) as info:
        main(["denoise", *argv, "-o", "out" + (tmp_path / argv[0]).suffix])
    err = capsys.readouterr().err
    assert info.value.code == 2
    *usage, error = err.strip().splitlines()  # argparse's own errors come after its usage lines
    assert error.startswith("skdenoise denoise: error: ") and fragment in error
    assert all(line.startswith(("usage: ", " ")) for line in usage)
    assert not list(tmp_path.glob("out*")) and not list(tmp_path.glob(".out*"))


def test_the_output_may_not_be_the_input(tmp_path, capsys):
    _, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)
    before = (tmp_path / "in.csv").read_bytes()
    with pytest.raises(SystemExit) as info:
        main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "." / "in.csv")])
    assert info.value.code == 2 and "would overwrite the input" in capsys.readouterr().err
    assert (tmp_path / "in.csv").read_bytes() == before


def test_ctrl_c_exits_130_and_leaves_no_output(tmp_path, monkeypatch, capsys):
    _, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(DenoisingAutoencoder, "fit", interrupted)
    with pytest.raises(SystemExit) as info:
        main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv")])
    assert info.value.code == 130 and "interrupted; nothing was written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_plot_without_matplotlib_fails_before_any_training(tmp_path, monkeypatch, capsys):
    import sys

    _, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed

    def must_not_train(*args, **kwargs):
        raise AssertionError("trained before the missing matplotlib was found")

    monkeypatch.setattr(DenoisingAutoencoder, "fit", must_not_train)
    with pytest.raises(SystemExit) as info:
        main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--plot", str(tmp_path / "p.png")])
    assert info.value.code == 2 and "--plot needs matplotlib" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
