"""``skdenoise denoise FILE``: the benchmark sets written as files, denoised by the command, against the best classical
filter and against the default trained with the clean signal.

Run: ``python benchmarks/bench_files.py [--data-dir ../shared/data] [--sets ...] [--kinds ...]
[--part quality|held-out|tuning|speed|all] [--max-cells N] [--cells NAME ...]``

1. Quality (``--part quality``): each set's test series (the data README's split, one noise draw of each kind,
   the no-clean protocol's ``default_rng(2)``) joined end to end as one long recording (pink noise drawn over
   the whole recording instead, as a long recording's runs through it), written as a CSV with a time-stamp
   column, one column per channel and a label column; ``skdenoise denoise`` (its defaults: it learns from the
   file alone) writes the denoised CSV. Each row: the dB gain of the output over the noisy file against the
   clean data; the gain the command printed, its likely value and range; the best of the wavelet filter
   (BayesShrink), the command's Savitzky-Golay (``--method savgol``) and the input on the same recording (and,
   beside it, "spun": the wavelet filter averaged over the race's circular shifts, the race's own candidate,
   with the margins counted against it too); the
   default ``DenoisingAutoencoder(window_length=256)`` trained on the recording and its clean signal, measured
   on the same recording (what a user with one clean recording gets); the method the command kept, its wall
   seconds and peak resident memory (each command a fresh interpreter, imports included), and whether the
   other columns and the header came back byte for byte. The Pickup recording also goes through ``.npy``
   (time, channels) and ``.wav`` (int16) to show shape, dtype and rate kept.
2. Held out (``--part held-out``, not part of ``all``): the synthetic cells of the corpus's held-out half
   (``benchmarks/corpus.py``, never tuned on) with white noise of 0.2, 0.5 and 1.0, pink noise of 0.5 (over
   the whole recording) and a level ramping along each series, each cell's series joined end to end into one
   recording: the command's gain, the gain it printed and its range, the best classical filter's (and the
   cycle-spun wavelet filter's, as above). ``--part
   tuning`` runs the same on the tuning half, where the command's constants are set (never reported as
   evidence); ``--cells`` keeps the cells whose names contain one of the words given.
3. Speed and memory (``--part speed``): the command run as a subprocess on a one-channel CSV of 7,500 rows,
   a 9-column CSV of 7,000 rows and a ``.npy`` of 10^7 float64 samples; wall seconds and peak resident memory
   (Linux's VmHWM), beside the peak of a process that only imports skdenoise and torch (the floor every run
   pays).

Every number is measured in this run.
"""

import argparse
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
from scipy.io import wavfile

from skdenoise import DenoisingAutoencoder
from skdenoise._file_command import WINDOW
from skdenoise._fit.selection.methods import WAVELET_SHIFTS
from skdenoise.baselines import WaveletDenoiser
from skdenoise.io import read_recording
from skdenoise.noise import add_noise
from skdenoise.recordings import train_test_pairs

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_real import NOISE_KINDS, REAL_SETS, add_set_arguments, exit_if_sets_missing  # noqa: E402
from bench_without_clean import gain  # noqa: E402

TARGET_MARGIN = 0.5  # dB over the best classical filter
CLEAN_MARGIN = 1.0  # dB over it, trained with the clean signal
#: Noise whose samples are correlated over time: drawn over the whole joined recording.
COLOURED_KINDS = ("pink", "brown")


def long_recording(path, kind, level):
    """The set's test series, noisy and clean, each joined end to end: ``(channels, time)``. Coloured noise is
    drawn over the whole recording, as a long recording's runs through it (``corpus.Cell.recording``)."""
    _, _, noisy, clean = train_test_pairs(np.load(path)["X"], n_copies=1, noise=kind, noise_std=level)
    clean = np.concatenate(list(clean), axis=-1)
    if kind not in COLOURED_KINDS:
        return np.concatenate(list(noisy), axis=-1), clean
    return clean + add_noise(np.zeros_like(clean)[None], kind, level, random_state=2)[0].astype(clean.dtype), clean


def write_csv(path, signals):
    """A CSV as a logger writes one: a time stamp, the channels, a label."""
    names = ",".join(f"ch{c}" for c in range(len(signals)))

    def row(i):
        stamp = f"2026-12-02T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}.{i % 10}"
        return f"{stamp},{','.join(f'{value:.7g}' for value in signals[:, i])},{'rest' if i % 97 else 'event'}"

    path.write_text(f"time,{names},label\n" + "\n".join(row(i) for i in range(signals.shape[1])) + "\n")


def others_kept(before, after, n_channels):
    """Whether the header, the time stamps and the labels came back byte for byte."""
    old, new = before.read_text().splitlines(), after.read_text().splitlines()
    return (len(old) == len(new) and old[0] == new[0]
            and all(a.split(",")[0] == b.split(",")[0] and a.split(",")[-1] == b.split(",")[-1]
                    for a, b in zip(old[1:], new[1:])))


def run_command(source, target, *flags):
    """``skdenoise denoise SOURCE -o TARGET`` in a fresh interpreter: (wall seconds, peak resident MiB, the method
    the summary names, the gain it prints in dB and its range: NaN where none)."""
    seconds, peak, out = measured_run(["denoise", str(source), "-o", str(target), "--seed", "0", "--device", "cpu",
                                       *flags])
    lines = out.splitlines()
    kept = next((line.strip() for line in lines if line.strip().startswith("kept: ")), "?")
    return seconds, peak, kept.split(",")[0].removeprefix("kept: "), printed_gain(lines)


def printed_gain(lines):
    """The gain the summary `lines` print, ``(likely, low, high)`` in dB: inf for "too large to tell" (a likely
    value of inf where only a lower bound is printed), NaN where none is given."""
    line = next((line for line in lines if "estimated gain" in line), "")
    if "estimated gain too large to tell" in line:
        return np.inf, np.inf, np.inf
    bound = re.search(r"estimated gain at least ([+-][0-9.]+) dB", line)
    if bound:
        return np.inf, float(bound[1]), np.inf
    printed = re.search(r"estimated gain ([+-][0-9.]+) dB, likely ([+-][0-9.]+) to ([+-][0-9.]+ dB|too large)", line)
    if not printed:
        return np.nan, np.nan, np.nan
    return float(printed[1]), float(printed[2]), np.inf if printed[3] == "too large" else float(printed[3][:-3])


def shown(printed):
    """A printed gain as the tables show it."""
    likely, low, high = printed
    if np.isnan(likely):
        return "none"
    if np.isinf(likely):
        return "too large" if np.isinf(low) else f"at least {low:+.1f}"
    return f"{likely:+.1f} ({low:+.1f} to {high:+.1f})"


def quality(data_dir, sets, kinds, folder):
    rows = []
    for data_set in sets:
        for name in kinds:
            noisy, clean = long_recording(data_dir / f"{data_set}.npz", *NOISE_KINDS[name])
            print(f"  {data_set} {name}: {noisy.shape[1]:,} rows x {len(noisy)} channel(s)", file=sys.stderr,
                  flush=True)
            source, target = folder / f"{data_set}_{name}.csv", folder / f"{data_set}_{name}_out.csv"
            write_csv(source, noisy)
            seconds, peak, kept, printed = run_command(source, target)
            db = gain(noisy, clean, read_recording(target).signals)
            filters = best_filter(noisy, clean, source, folder / f"{data_set}_{name}_savgol.csv")
            rows.append((data_set, name, db, printed, supervised(noisy, clean), *filters, kept, seconds, peak,
                         others_kept(source, target, len(noisy)), spun_wavelet(noisy, clean)))
    print("\nThe sets as CSV files (test series joined end to end), denoised by `skdenoise denoise` with its defaults:"
          " dB gain over the noisy file; the best classical filter (w: wavelet, s: Savitzky-Golay by the command's "
          "--method savgol, i: the input); the default trained on the same recording with its clean signal")
    print(f"{'set':26s}{'noise':10s}{'command':>9s}{'printed (likely range)':>24s}{'filter':>9s}{'margin':>8s}"
          f"{'spun':>7s}{'clean-trained':>14s}  {'kept':34s}{'s':>5s}{'MiB':>6s}  others kept")
    for data_set, name, db, printed, supervised_db, filter_db, which, kept, seconds, peak, kept_all, spun in rows:
        print(f"{data_set[:26]:26s}{name:10s}{db:+9.2f}{shown(printed):>24s}{filter_db:+8.2f}{which}"
              f"{db - filter_db:+8.2f}{spun:+7.2f}{supervised_db:+14.2f}  {kept[:34]:34s}{seconds:5.0f}{peak:6.0f}  "
              f"{'yes' if kept_all else 'NO'}")
    print(honesty([row[3] for row in rows], [row[2] for row in rows]))
    margins = [row[2] - row[5] for row in rows]
    print(f"margin over the best filter: worst {min(margins):+.2f} dB, mean {np.mean(margins):+.2f} dB, "
          f"{sum(m >= TARGET_MARGIN for m in margins)} of {len(margins)} at +{TARGET_MARGIN} dB or more")
    print(spun_margin_line([row[2] for row in rows], [row[5] for row in rows], [row[11] for row in rows]))
    clean_margins = [row[4] - row[5] for row in rows]
    print(f"trained with the clean signal, over the best filter: worst {min(clean_margins):+.2f} dB, "
          f"{sum(m >= CLEAN_MARGIN for m in clean_margins)} of {len(rows)} at +{CLEAN_MARGIN} dB or more")
    formats(data_dir, folder)


def best_filter(noisy, clean, source, target):
    """(dB, its letter) of the best of the wavelet filter, Savitzky-Golay (the command's ``--method savgol``,
    its window by Stein's estimate) and the input itself."""
    wavelet = WaveletDenoiser(threshold="bayes").fit(noisy[None]).transform(noisy[None])[0]
    run_command(source, target, "--method", "savgol")
    gains = {"w": gain(noisy, clean, wavelet), "s": gain(noisy, clean, read_recording(target).signals), "i": 0.0}
    which = max(gains, key=gains.get)
    return gains[which], which


def spun_wavelet(noisy, clean):
    """The dB gain of the wavelet filter averaged over the race's circular shifts (cycle spinning, the race's own
    wavelet candidate), alone: a stronger baseline than the plain one the margins are counted against."""
    shifts = WaveletDenoiser(threshold="bayes", shifts=WAVELET_SHIFTS).fit(noisy[None])
    return gain(noisy, clean, shifts.transform(noisy[None])[0])


def spun_margin_line(commands, filters, spun):
    """The margins over the best of the classical filters with the wavelet filter cycle-spun."""
    margins = np.asarray(commands) - np.maximum(filters, spun)
    return (f"margin over the best filter, the wavelet filter cycle-spun ({WAVELET_SHIFTS} shifts): worst "
            f"{margins.min():+.2f} dB, mean {margins.mean():+.2f} dB, {int(np.sum(margins >= TARGET_MARGIN))} of "
            f"{len(margins)} at +{TARGET_MARGIN} dB or more")


def supervised(noisy, clean):
    """The dB gain of the default trained on the recording and its clean signal, in windows as the command's."""
    model = DenoisingAutoencoder(window_length=WINDOW, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(noisy[None].astype(np.float32), clean[None].astype(np.float32))
        return gain(noisy, clean, model.predict(noisy[None].astype(np.float32))[0])


#: The held-out corpus's noise kinds written as files (a level the recording tells, or not; a level that changes).
HELD_OUT_KINDS = ("white0.2", "white0.5", "white1.0", "pink0.5", "ramp")


def held_out(folder, max_cells=None, half="held-out", names=None):
    """The synthetic cells of the corpus's held-out (or tuning) `half` (``benchmarks/corpus.py``) with noise of
    :data:`HELD_OUT_KINDS` (those whose names contain one of `names`, if given), each joined end to end into one
    recording (training and test series), denoised by the command: its gain, the gain it printed, the best
    classical filter's."""
    import corpus

    cells = [cell for cell in corpus.split()[half == "held-out"]
             if cell.family in corpus.FAMILIES and cell.kind in HELD_OUT_KINDS
             and (not names or any(word in cell.name for word in names))]
    rows = []
    cells = cells[:max_cells]
    for cell in cells:
        noisy, truth = cell.recording()
        print(f"  {cell.name}: {noisy.shape[1]:,} rows x {len(noisy)} channel(s)", file=sys.stderr, flush=True)
        name = cell.name.replace("/", "_").replace(" ", "_")
        source, target = folder / f"{name}.csv", folder / f"{name}_out.csv"
        write_csv(source, noisy)
        _, _, kept, printed = run_command(source, target)
        filter_db, which = best_filter(noisy, truth, source, folder / f"{name}_savgol.csv")
        rows.append((cell.name, gain(noisy, truth, read_recording(target).signals), printed, filter_db, which, kept,
                     spun_wavelet(noisy, truth)))
    print(f"\nThe corpus's {half} half as files (each cell's series joined end to end), denoised by `skdenoise "
          "denoise`: dB gain over the noisy file, the gain it printed, the best classical filter's")
    print(f"{'cell':30s}{'command':>9s}{'printed (likely range)':>24s}{'filter':>9s}{'margin':>8s}{'spun':>7s}  kept")
    for cell, db, printed, filter_db, which, kept, spun in rows:
        print(f"{cell[:30]:30s}{db:+9.2f}{shown(printed):>24s}{filter_db:+8.2f}{which}{db - filter_db:+8.2f}"
              f"{spun:+7.2f}  {kept[:40]}")
    print(honesty([row[2] for row in rows], [row[1] for row in rows]))
    margins = [row[1] - row[3] for row in rows]
    print(f"margin over the best filter: worst {min(margins):+.2f} dB, mean {np.mean(margins):+.2f} dB, "
          f"{sum(m >= TARGET_MARGIN for m in margins)} of {len(margins)} at +{TARGET_MARGIN} dB or more")
    print(spun_margin_line([row[1] for row in rows], [row[3] for row in rows], [row[6] for row in rows]))


def honesty(printed, measured):
    """How far the printed gains ``(likely, low, high)`` lie from the measured ones (a likely value of inf, "too
    large to tell" or only a lower bound, infinitely far), and how many ranges hold them."""
    printed, measured = np.array(printed, dtype=float).reshape(-1, 3), np.asarray(measured, dtype=float)
    given = ~np.isnan(printed[:, 0])
    if not np.any(given):
        return f"printed gain: none of {len(measured)} printed one"
    off = np.abs(printed[given, 0] - measured[given])
    held = (printed[given, 1] <= measured[given]) & (measured[given] <= printed[given, 2])
    bounds = int(np.sum(np.isinf(printed[given, 0])))
    return (f"printed gain against the measured one ({given.sum()} of {len(measured)} printed one"
            + (f", {bounds} of them no likely value" if bounds else "") + f"): median {np.median(off):.1f} dB "
            f"off, worst {off.max():.1f} dB; {held.sum()} of {given.sum()} within the printed range")


def formats(data_dir, folder):
    """The Pickup recording as (time, channels) float32 .npy and int16 .wav: shape, dtype and rate kept."""
    noisy, clean = long_recording(data_dir / f"{REAL_SETS[2]}.npz", "white", 0.5)
    np.save(folder / "pickup.npy", noisy.T.astype(np.float32))
    scale = 32767 / (1.5 * np.abs(noisy).max())
    wavfile.write(folder / "pickup.wav", 8000, np.round(noisy[0] * scale).astype(np.int16))
    print("\nFormats (Pickup, white 0.5):")
    for name in ("pickup.npy", "pickup.wav"):
        source, target = folder / name, folder / f"out_{name}"
        seconds, _, kept, _ = run_command(source, target)
        if name.endswith(".npy"):
            before, after = np.load(source), np.load(target)
            denoised, what = after.T, f"shape {after.shape} dtype {after.dtype}"
            ok = before.shape == after.shape and before.dtype == after.dtype
        else:
            (rate, before), (out_rate, after) = wavfile.read(source), wavfile.read(target)
            denoised, what = after[None] / scale, f"rate {out_rate} dtype {after.dtype} shape {after.shape}"
            ok = rate == out_rate and before.dtype == after.dtype and before.shape == after.shape
        print(f"  {name:12s} {gain(noisy, clean, denoised):+6.2f} dB  {what:38s} kept {'yes' if ok else 'NO'}  "
              f"({kept}, {seconds:.0f} s)")


#: Run in a fresh interpreter: the command (or only the imports), then its peak resident memory (VmHWM, which
#: exec resets; a fork's maximum RSS would count the benchmark's own memory) as the last line on stderr.
MEASURED = """
import sys
try:
    from skdenoise.cli import main
    if len(sys.argv) > 1:
        main(sys.argv[1:])
finally:
    peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1]
    print(f"peak-kib {peak}", file=sys.stderr)
"""


def measured_run(args):
    """(wall seconds, peak resident MiB, what it printed) of ``skdenoise ARGS`` in a fresh interpreter (no ARGS:
    the imports)."""
    start = time.perf_counter()
    process = subprocess.run([sys.executable, "-c", MEASURED, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    lines = process.stderr.strip().splitlines()
    if process.returncode != 0 or not lines[-1].startswith("peak-kib"):
        raise RuntimeError(f"skdenoise {' '.join(args)} failed: {lines[-2:]}")
    return seconds, int(lines[-1].split()[1]) / 1024, process.stdout


def speed(data_dir, folder):
    floor = measured_run([])[1]
    pickup, _ = long_recording(data_dir / f"{REAL_SETS[2]}.npz", "white", 0.5)
    motions, _ = long_recording(data_dir / f"{REAL_SETS[1]}.npz", "white", 0.5)
    one = np.resize(pickup, (1, 7500))
    nine = np.concatenate([np.resize(motions, (6, 7000)), np.resize(pickup, (3, 7000))])
    write_csv(folder / "one.csv", one)
    write_csv(folder / "nine.csv", nine)
    rng = np.random.default_rng(3)
    t = np.arange(10 ** 7)
    np.save(folder / "long.npy", np.sin(2 * np.pi * t / 500) + 0.3 * rng.standard_normal(t.shape))
    cases = [("1-channel CSV, 7,500 rows", "one.csv", 60), ("9-column CSV, 7,000 rows", "nine.csv", 120),
             ("10^7-sample float64 .npy", "long.npy", None)]
    print(f"\nSpeed and memory (subprocesses; importing skdenoise and torch alone peaks at {floor:.0f} MiB)")
    print(f"{'file':28s}{'size MiB':>9s}{'seconds':>9s}{'target':>8s}{'peak MiB':>10s}{'over floor / size':>19s}")
    for label, name, target in cases:
        source = folder / name
        seconds, peak, _ = measured_run(["denoise", str(source), "-o", str(folder / f"out_{name}"), "--quiet",
                                      "--device", "cpu"])
        size = source.stat().st_size / 2 ** 20
        print(f"{label:28s}{size:9.1f}{seconds:9.1f}{(f'{target} s' if target else '-'):>8s}{peak:10.0f}"
              f"{(peak - floor) / size:18.1f}x")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_set_arguments(parser)
    parser.add_argument("--part", choices=["quality", "held-out", "tuning", "speed", "all"], default="all")
    parser.add_argument("--max-cells", type=int, default=None, help="held-out: only the first cells (a smoke run)")
    parser.add_argument("--cells", nargs="+", default=None, help="held-out or tuning: the cells naming one of these")
    args = parser.parse_args(argv)
    exit_if_sets_missing(args, "bench_files.py")
    with tempfile.TemporaryDirectory() as folder:
        if args.part in ("quality", "all"):
            quality(args.data_dir, args.sets, args.kinds, pathlib.Path(folder))
        if args.part in ("held-out", "tuning"):  # the held-out half's own table: docs/bench_files_heldout.txt
            held_out(pathlib.Path(folder), args.max_cells, args.part, args.cells)
        if args.part in ("speed", "all"):
            speed(args.data_dir, pathlib.Path(folder))


if __name__ == "__main__":
    main()
