"""``skdenoise denoise INPUT -o OUTPUT``: a recording on disk in, its denoised version out, every error one line."""

import os
import signal

import numpy as np
import pytest
from scipy.io import wavfile

from exports import ecg_csv, gapped_csv, logger_csv
from skdenoise import DenoisingAutoencoder
from skdenoise._file_command import EpochBar
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
    # 600 samples do not tell their level: no gain is printed rather than one that cannot be trusted
    assert "estimated gain: not given" in out and "inf" not in out and "took" in out
    main(["denoise", str(source), "-o", str(target), "--method", "wavelet", "--noise-std", "0.4"])
    told = capsys.readouterr().out
    likely = float(told.split("estimated gain ")[1].split(" dB")[0])
    measured = 10 * np.log10(mse(noisy, clean) / mse(read_recording(target).signals, clean))
    assert "likely" in told and "at the noise level given" in told and abs(likely - measured) < 1


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
    for channel in range(2):  # each channel denoised, and put back in its place
        assert mse(denoised[:, channel], clean[channel]) < 0.5 * mse(noisy[channel], clean[channel])
        assert mse(denoised[:, channel], clean[channel]) < 1.25 * mse(wavelet[:, channel], clean[channel])


@pytest.mark.slow
def test_warnings_are_one_line_each_on_standard_error(tmp_path, capsys, monkeypatch):
    from skdenoise._fit import plan
    from skdenoise.noise import add_noise

    # what is warned, and how, does not depend on how long the networks train
    monkeypatch.setattr(plan, "CONV_MAX_EPOCHS", 12)
    monkeypatch.setattr(plan, "MLP_EPOCHS", 12)

    t = np.arange(4096)
    clean = np.sin(2 * np.pi * t / 300) + 0.5 * np.sin(2 * np.pi * t / 77)
    np.save(tmp_path / "pink.npy", add_noise(clean[None, None], "pink", 0.4, random_state=0)[0, 0])
    main(["denoise", str(tmp_path / "pink.npy"), "-o", str(tmp_path / "out.npy"), "--quiet", "--noise", "white"])
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(line.startswith("skdenoise denoise: warning (") for line in err)
    assert any("NoiseLevelWarning" in line for line in err) and len(err) == len(set(err))  # each finding once
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
    ("bad.csv", ["bad.csv", "--columns", "ch0"], "column 'ch0' is not numbers: row 3 holds 'oops'"),
    ("short.csv", ["short.csv"], "short.csv: the recording has 10 samples; learning from it needs 64 or more"),
    ("in.csv", ["in.csv", "--noise-std", "-1"], "expected numbers > 0"),
    ("in.csv", ["in.csv", "--method", "magic"], "invalid choice: 'magic'"),
    ("in.csv", ["in.csv", "--model", "nowhere.pt"], "does not exist"),
    ("in.npy", ["in.npy", "--columns", "a"], "there is no channel 'a'"),
    ("in.csv", ["in.csv", "--time-axis", "0"], "a CSV file has its own"),
    ("in.csv", ["in.csv", "--model", "m.pt", "--method", "wavelet", "--seed", "3"],
     "--model denoises with the saved model: --method, --seed do not apply; leave them out"),
    ("in.csv", ["in.csv", "--plot", "p.xyz"], "matplotlib writes"),
    ("in.csv", ["in.csv", "--plot", "nowhere/p.png"], "which is not a folder"),
    ("latin.csv", ["latin.csv"], "latin.csv: not UTF-8 text"),
    ("cut.wav", ["cut.wav"], "cut.wav: the file is truncated"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, setup, argv, fragment):
    monkeypatch.chdir(tmp_path)
    _, noisy = noisy_trace(length=200)
    if setup == "x.xlsx":
        (tmp_path / setup).write_text("x")
    elif setup == "latin.csv":
        (tmp_path / setup).write_bytes("a,lieu\n1,Zürich\n".encode("latin-1"))
    elif setup == "cut.wav":
        wavfile.write(tmp_path / setup, 8000, (noisy[0] * 1000).astype(np.int16))
        (tmp_path / setup).write_bytes((tmp_path / setup).read_bytes()[:200])
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
    assert not list(tmp_path.glob("out*")) and not list(tmp_path.glob(".out*")) and not list(tmp_path.glob("*.png"))


def test_the_output_may_not_be_the_input(tmp_path, capsys):
    _, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)
    before = (tmp_path / "in.csv").read_bytes()
    with pytest.raises(SystemExit) as info:
        main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "." / "in.csv")])
    assert info.value.code == 2 and "would overwrite the input" in capsys.readouterr().err
    assert (tmp_path / "in.csv").read_bytes() == before


@pytest.mark.parametrize("number, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_inside_training_stops_at_once_and_writes_nothing(tmp_path, monkeypatch, capsys, interactive, number,
                                                                   status):
    _, noisy = noisy_trace(length=1200)
    write_csv(tmp_path / "in.csv", noisy)
    epochs = []

    def on_epoch_end(self, net, **kwargs):  # the progress bar's hook: a signal as from the keyboard or a kill
        epochs.append(len(net.history))
        if len(net.history) == 2:
            os.kill(os.getpid(), number)

    monkeypatch.setattr(EpochBar, "on_epoch_end", on_epoch_end)
    with pytest.raises(SystemExit) as info:
        main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--plot", str(tmp_path / "p.png")])
    err = capsys.readouterr().err.strip().splitlines()
    assert info.value.code == status and epochs == [1, 2]  # no epoch, no network after the signal
    assert err[-1] == f"skdenoise denoise: interrupted ({signal.Signals(number).name}); nothing was written."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Python's handlers are back
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


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


def columns_of(text, indices):
    return [[line.split(",")[i] for i in indices] for line in text.splitlines()]


@pytest.mark.parametrize("export, kept, measured", [(logger_csv, [0, 2], 1), (ecg_csv, [1], 0), (gapped_csv, [0], 1)])
def test_loggers_exports_keep_their_time_flag_and_label_columns_byte_for_byte(tmp_path, capsys, export, kept,
                                                                              measured):
    clean, noisy = export(tmp_path / "in.csv", length=2000)
    main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--method", "wavelet"])
    before, after = (tmp_path / "in.csv").read_text(), (tmp_path / "out.csv").read_text()
    assert columns_of(after, kept) == columns_of(before, kept)
    denoised = np.array([float(cells[measured]) if cells[measured] else np.nan
                         for cells in (line.split(",") for line in after.splitlines()[1:])])
    np.testing.assert_array_equal(np.isnan(denoised), np.isnan(noisy))  # the gaps kept, no new NaN
    gaps = np.isnan(noisy)
    assert mse(denoised[~gaps], clean[~gaps]) < 0.6 * mse(noisy[~gaps], clean[~gaps])
    out, err = capsys.readouterr()
    assert "left as they were: " in out and "inf" not in out and err == ""


def test_the_default_on_a_loggers_export_denoises_the_value_alone(tmp_path, capsys):
    clean, noisy = logger_csv(tmp_path / "in.csv", length=2000)
    main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--quiet"])
    before, after = (tmp_path / "in.csv").read_text(), (tmp_path / "out.csv").read_text()
    assert columns_of(after, [0, 2]) == columns_of(before, [0, 2])
    denoised = np.array([float(line.split(",")[1]) for line in after.splitlines()[1:]])
    assert mse(denoised, clean) < 0.5 * mse(noisy, clean)


def test_a_channel_without_measurable_noise_comes_back_unchanged_and_no_estimate_is_infinite(tmp_path, capsys):
    ecg_csv(tmp_path / "in.csv", length=1500)
    main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--method", "savgol",
          "--columns", "data,label"])  # the label forced in: steps, no noise
    before, after = (tmp_path / "in.csv").read_text(), (tmp_path / "out.csv").read_text()
    assert columns_of(after, [1]) == columns_of(before, [1])
    out, err = capsys.readouterr()
    assert "unchanged, no measurable noise: label" in out and "inf" not in out and "nan" not in out
    assert err == ""


def test_options_that_change_nothing_are_said_in_one_line(tmp_path, capsys):
    _, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)
    main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--method", "savgol", "--seed", "3",
          "--quiet"])
    assert capsys.readouterr().err == ("skdenoise denoise: warning: --seed does not apply to --method savgol, a filter "
                                       "computed on the CPU as it is; ignored.\n")


def test_a_bad_plot_path_fails_before_any_training(tmp_path, monkeypatch, capsys):
    _, noisy = noisy_trace()
    write_csv(tmp_path / "in.csv", noisy)

    def must_not_train(*args, **kwargs):
        raise AssertionError("trained before the plot's path was checked")

    monkeypatch.setattr(DenoisingAutoencoder, "fit", must_not_train)
    with pytest.raises(SystemExit) as info:
        main(["denoise", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--plot",
              str(tmp_path / "missing" / "p.png")])
    assert info.value.code == 2 and "which is not a folder" in capsys.readouterr().err


def test_the_default_prints_a_likely_gain_and_a_range_that_holds_the_measured_one(tmp_path, capsys):
    clean, noisy = noisy_trace(length=4000)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(source, noisy)
    main(["denoise", str(source), "-o", str(target), "--device", "cpu", "--seed", "0"])
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "estimated gain" in line)
    likely, low, high = (float(line.split(key)[1].split()[0]) for key in ("estimated gain ", "likely ", " to "))
    measured = 10 * np.log10(mse(noisy, clean) / mse(read_recording(target).signals, clean))
    # +12 dB measured: an error of 6% of the noise variance, which a level read 5% off doubles or halves. The
    # level is divided by the ratio that made the estimate right on the tuning recordings, whose networks fitted
    # some of their noise (Stein's estimate holds a network fixed and read optimistic there); a periodic trace,
    # learnt without fitting its noise, reads 4.6 dB under its gain, inside the range: it errs towards less.
    assert "on the whole recording" in line and low <= measured <= high
    assert likely - measured < 1 and measured - likely < 5
