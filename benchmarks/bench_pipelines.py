"""Denoise, then classify: skdenoise's adapters in aeon and sktime pipelines, against the classifier alone.

Run: ``python benchmarks/bench_pipelines.py [--draws 5] [--levels 0.5 1 2] [--frameworks aeon sktime]``

BasicMotions (bundled with aeon and with sktime: 40 training and 40 test series, 6 channels, 4 activities),
every series cut to a random length between 50 and 100 samples and given white noise of `level` times each
channel's standard deviation, anew for each draw (``default_rng(draw)``). The classifier is 1-NN under
dynamic time warping (aeon's ``KNeighborsTimeSeriesClassifier``; sktime's with ``LuckyDtwDist``, both for
unequal lengths). Each cell is the test accuracy averaged over the draws, the classifier alone first, then
with ``AeonDenoiser`` / ``SktimeDenoiser`` in front of it: the wavelet filter, Savitzky-Golay and the
default ``DenoisingAutoencoder(objective="self-supervised")``, none of which sees a clean series. ``wins``
counts the draws where the denoiser's accuracy is at least the classifier's alone. Every number is measured
in this run. Needs ``pip install "skdenoise[aeon,sktime]"``.
"""

import argparse
import time
import warnings

import numpy as np
from tqdm import tqdm

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import SavitzkyGolayDenoiser, WaveletDenoiser

DENOISERS = {
    "wavelet": WaveletDenoiser,
    "savitzky-golay": SavitzkyGolayDenoiser,
    "autoencoder": lambda: DenoisingAutoencoder(objective="self-supervised", random_state=0),
}


def cut_and_noisy(X, level, rng):
    """Each series ``(channels, length)`` cut to 50..100 samples, with white noise of `level` channel stds."""
    std = X.std(axis=(0, 2))[:, None]
    return [x[:, :n] + rng.normal(0, level, (x.shape[0], n)) * std for x, n in zip(X, rng.integers(50, 101, len(X)))]


def aeon_framework():
    from aeon.classification.compose import ClassifierPipeline
    from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier
    from aeon.datasets import load_basic_motions

    from skdenoise.aeon import AeonDenoiser

    def pipeline(denoiser):
        if denoiser is None:
            return KNeighborsTimeSeriesClassifier()
        return ClassifierPipeline([AeonDenoiser(denoiser)], KNeighborsTimeSeriesClassifier())

    return load_basic_motions, pipeline, lambda series: series


def sktime_framework():
    import pandas as pd
    from sktime.classification.distance_based import KNeighborsTimeSeriesClassifier
    from sktime.datasets import load_basic_motions
    from sktime.dists_kernels import LuckyDtwDist

    from skdenoise.sktime import SktimeDenoiser

    def load(split):
        return load_basic_motions(split=split, return_type="numpy3D")

    def pipeline(denoiser):
        classifier = KNeighborsTimeSeriesClassifier(distance=LuckyDtwDist())
        return classifier if denoiser is None else SktimeDenoiser(denoiser) * classifier

    return load, pipeline, lambda series: [pd.DataFrame(x.T) for x in series]  # sktime's df-list: time as rows


FRAMEWORKS = {"aeon": aeon_framework, "sktime": sktime_framework}


def run(framework, levels, draws, bar):
    load, pipeline, as_input = FRAMEWORKS[framework]()
    (X_train, y_train), (X_test, y_test) = load("train"), load("test")
    rows = []
    for level in levels:
        scores = {name: [] for name in ("alone", *DENOISERS)}
        seconds = {name: 0.0 for name in DENOISERS}
        for draw in range(draws):
            rng = np.random.default_rng(draw)
            train, test = as_input(cut_and_noisy(X_train, level, rng)), as_input(cut_and_noisy(X_test, level, rng))
            for name in scores:
                start = time.perf_counter()
                model = pipeline(None if name == "alone" else DENOISERS[name]())
                scores[name].append(model.fit(train, y_train).score(test, y_test))
                if name in seconds:
                    seconds[name] += time.perf_counter() - start
                bar.update()
        rows.append((framework, level, scores, seconds))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--levels", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    parser.add_argument("--frameworks", nargs="+", choices=sorted(FRAMEWORKS), default=sorted(FRAMEWORKS))
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the fallbacks' warnings, once per fit: the table says what they cost
    total = len(args.frameworks) * len(args.levels) * args.draws * (1 + len(DENOISERS))
    with tqdm(total=total, desc="fits", unit="fit") as bar:
        rows = [row for framework in args.frameworks for row in run(framework, args.levels, args.draws, bar)]
    print(f"\nTest accuracy of 1-NN (DTW) on noisy BasicMotions of unequal lengths, mean over {args.draws} draws; "
          f"wins: draws with the denoiser >= alone; s: mean seconds per pipeline fit and score")
    print(f"{'framework':>9} {'noise':>5} {'alone':>6}" + "".join(f" {name:>26}" for name in DENOISERS))
    for framework, level, scores, seconds in rows:
        alone = np.array(scores["alone"])
        cells = [f"{np.mean(scores[name]):.3f} wins {int(np.sum(np.array(scores[name]) >= alone))}/{len(alone)} "
                 f"{seconds[name] / len(alone):5.1f}s" for name in DENOISERS]
        print(f"{framework:>9} {level:5.1f} {alone.mean():6.3f}" + "".join(f" {cell:>26}" for cell in cells))


if __name__ == "__main__":
    main()
