"""Speed at the same quality: the seed task's default fit, the real sets' fits with and without clean signals, and
``skdenoise denoise`` on three files, each by this checkout and by a baseline commit, in one run.

Run: ``python benchmarks/bench_speed.py [--baseline REV] [--repeats N] [--cases ...] [--data-dir ../shared/data]``

The baseline is checked out once into a temporary git worktree (default: the code when the speed issue was
filed). Every case runs in a fresh interpreter from either checkout, the two in turn (baseline first, then the
other way round on the next repeat), one process at a time; the table gives each side's median seconds, their
ratio (this checkout over the baseline: under 1 is faster) and the quality each reached, so that a speed-up
that costs quality shows. Cases:

- ``seed``: ``DenoisingAutoencoder()`` fitted on the seed task (20,000 pairs; the fit alone timed), its test
  MSE over the oracle projection's;
- ``real:SET``: the default fitted with clean targets by the data README's protocol (10 noisy copies per
  training series, white noise 0.5), its dB gain on the test series;
- ``race:SET``: ``objective="self-supervised"`` on one noisy copy of each training series (white noise 0.5),
  its dB gain on the test series;
- ``file:one``, ``file:nine``, ``file:npy``: ``skdenoise denoise`` on a 7,500-row one-channel CSV (its dB gain
  against the clean recording), a 9-column CSV of 7,000 rows and a ``.npy`` of 10^7 samples, the whole process
  timed (imports included).
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_files import long_recording, write_csv  # noqa: E402
from bench_real import DEFAULT_DATA_DIR, REAL_SETS  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
#: The code when the speed issue was filed (the last commit before its work).
BASELINE = "c05181a"
#: Each case's target in seconds (the speed issue's), None where it sets none.
TARGETS = {"seed": 20, "real": 10, "race": 20, "file:one": 8, "file:nine": 20, "file:npy": 45}

COMMAND = "import sys; from skdenoise.cli import main; main(sys.argv[1:])"
FIT = """
import json, sys, time, warnings
import numpy as np
warnings.simplefilter("ignore")
from skdenoise import DenoisingAutoencoder
case, data_dir = sys.argv[1], sys.argv[2]
if case == "seed":
    from skdenoise.baselines import ProjectionDenoiser
    from skdenoise.datasets import CyclicSignalGenerator
    generator = CyclicSignalGenerator(random_state=0)
    noisy, clean = generator.generate(21_000)
    X, y, X_test, y_test = noisy[:20_000], clean[:20_000], noisy[20_000:], clean[20_000:]
    model = DenoisingAutoencoder(random_state=0)
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    oracle = ProjectionDenoiser.from_generator(generator).fit(X, y).predict(X_test)
    quality = float(np.mean((model.predict(X_test) - y_test) ** 2) / np.mean((oracle - y_test) ** 2))
else:
    from skdenoise.recordings import train_test_pairs
    kind, name = case.split(":")
    recordings = np.load(f"{data_dir}/{name}.npz")["X"]
    copies = 10 if kind == "real" else 1
    X, y, X_test, y_test = train_test_pairs(recordings, n_copies=copies, noise="white", noise_std=0.5)
    model = DenoisingAutoencoder(random_state=0, **({} if kind == "real" else {"objective": "self-supervised"}))
    start = time.perf_counter()
    model.fit(X, y) if kind == "real" else model.fit(X)
    seconds = time.perf_counter() - start
    quality = float(10 * np.log10(np.mean((X_test - y_test) ** 2) / np.mean((model.predict(X_test) - y_test) ** 2)))
print(json.dumps({"seconds": seconds, "quality": quality}))
"""


def run_case(case, checkout, data_dir, folder):
    """(seconds, quality) of `case` run by the code in `checkout`, in a fresh interpreter."""
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    if case.startswith("file:"):
        source = folder / {"file:one": "one.csv", "file:nine": "nine.csv", "file:npy": "long.npy"}[case]
        target = folder / f"out_{source.name}"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", COMMAND, "denoise", str(source), "-o", str(target), "--quiet",
                        "--device", "cpu"], cwd=checkout, env=environment, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        quality = _file_gain(folder, target) if case == "file:one" else float("nan")
        return seconds, quality
    done = subprocess.run([sys.executable, "-c", FIT, case, str(data_dir)], cwd=checkout, env=environment,
                          check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["quality"]


def _file_gain(folder, target):
    """The dB gain of the denoised one-channel CSV over the noisy one, against the clean recording."""
    noisy, clean = np.load(folder / "one_noisy.npy"), np.load(folder / "one_clean.npy")
    denoised = np.loadtxt(target, delimiter=",", skiprows=1, usecols=1)
    return float(10 * np.log10(np.mean((noisy - clean) ** 2) / np.mean((denoised - clean) ** 2)))


def write_files(data_dir, folder):
    """The files of ``bench_files.py``'s speed part, and the one-channel recording's noisy and clean versions."""
    pickup, pickup_clean = long_recording(data_dir / f"{REAL_SETS[2]}.npz", "white", 0.5)
    motions, _ = long_recording(data_dir / f"{REAL_SETS[1]}.npz", "white", 0.5)
    one = np.resize(pickup, (1, 7500))
    np.save(folder / "one_noisy.npy", one[0])
    np.save(folder / "one_clean.npy", np.resize(pickup_clean, (1, 7500))[0])
    write_csv(folder / "one.csv", one)
    write_csv(folder / "nine.csv", np.concatenate([np.resize(motions, (6, 7000)), np.resize(pickup, (3, 7000))]))
    t = np.arange(10 ** 7)
    np.save(folder / "long.npy", np.sin(2 * np.pi * t / 500) + 0.3 * np.random.default_rng(3).standard_normal(t.shape))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=BASELINE, help=f"the commit to compare with (default {BASELINE})")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR)
    cases = ["seed", *(f"real:{s}" for s in REAL_SETS), *(f"race:{s}" for s in REAL_SETS), "file:one",
             "file:nine", "file:npy"]
    parser.add_argument("--cases", nargs="+", default=cases, choices=cases)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder, baseline = pathlib.Path(tmp), pathlib.Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            write_files(args.data_dir.resolve(), folder)
            rows = [measure(case, baseline, args, folder) for case in args.cases]
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False)
    which = " (the code when the speed issue was filed)" if args.baseline == BASELINE else ""
    print(f"\nSpeed against {args.baseline}{which}, one process at a time, "
          f"{args.repeats} run(s) each, medians; ratio: this checkout's seconds over the baseline's")
    print(f"{'case':34s}{'target':>8s}{'before s':>10s}{'after s':>9s}{'ratio':>7s}{'quality before':>16s}"
          f"{'after':>8s}")
    for case, before, after in rows:
        target = TARGETS.get(case, TARGETS.get(case.split(":")[0]))
        unit = "x oracle" if case == "seed" else " dB"
        print(f"{case:34s}{target:>7d}s{before[0]:10.1f}{after[0]:9.1f}{after[0] / before[0]:7.2f}"
              f"{_quality(before[1], unit):>16s}{_quality(after[1], unit):>8s}")


def measure(case, baseline, args, folder):
    """(case, (baseline seconds, quality), (this checkout's seconds, quality)), medians over the repeats."""
    runs = {"before": [], "after": []}
    for repeat in range(args.repeats):
        order = [("before", baseline), ("after", ROOT)]
        for side, checkout in (order if repeat % 2 == 0 else order[::-1]):
            runs[side].append(run_case(case, checkout, args.data_dir.resolve(), folder))
            print(f"  {case} {side}: {runs[side][-1][0]:.1f} s", file=sys.stderr, flush=True)
    return case, *(tuple(statistics.median(values) for values in zip(*runs[side])) for side in ("before", "after"))


def _quality(value, unit):
    if np.isnan(value):
        return "-"
    return f"{value:.3f}x" if unit == "x oracle" else f"{value:+.2f}"


if __name__ == "__main__":
    main()
