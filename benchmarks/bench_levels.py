"""How far the noise level read from a recording lies from the true one: what the printed gain's range rests on.

Run: ``python benchmarks/bench_levels.py``

Each synthetic cell of the corpus (``benchmarks/corpus.py``) with noise of one level (white 0.2, 0.5 and 1.0,
pink 0.5, brown 0.3), its training and test series joined end to end into one recording as the file command
reads one (coloured noise drawn over the whole recording: ``corpus.Cell.recording``); the level the
self-supervised race reads of it (``noise="auto"``), over the true noise variance, per channel. Per half
(tuning, held out) and noise kind found: quantiles of that ratio (5% to 95%), over the channels whose level
was trusted and gaussian (the others get no printed gain), and the lowest flatness of their noise floor. The
tuning half's (5%, 50%, 95%) set :data:`skdenoise._fit.selection.gain.LEVEL_RATIOS`, its lowest flatness
:data:`~skdenoise._fit.selection.gain.CALIBRATED_FLATNESS`; the held-out half says how well they carry over,
on all its channels and on those flat enough to get an estimate ("est.").

The file command estimates the gain on the whole recording, most of which the network trained on: Stein's
estimate holds the network fixed, blind to how training bent it towards the noise it saw, and reads
optimistic there even at the true level. So its ratios are measured end to end: each tuning cell of one level
(white or pink) joined into one recording, fitted and estimated as the command does, and the ratio that the
variance the estimate rests on would have to be divided by for the estimate to equal the gain measured against
the clean recording: on the command's basis (the finest details' lower read where the race kept one for a
level steady along time, else the level read), whose (5%, 50%, 95%) set
:data:`skdenoise._fit.selection.gain.RECORDING_RATIOS`, and on the level read, for comparison. Where filters
alone were kept (no network trained on the recording), the estimate holds them fixed as they are: the
command divides the level read by the level's own ratios (``LEVEL_RATIOS``), and the "filters" rows say how
well those fit; the corpus's
held-out half as files (``python benchmarks/bench_files.py --part held-out``) says how well they carry over.
Every number is measured in this run (the levels in seconds, the recordings in about ten minutes).
"""

import argparse
import pathlib
import sys
import warnings

import numpy as np

from skdenoise._file_command import Layout, fit_recording, gain_stretches
from skdenoise._fit.noise_level import resolve_noise_level
from skdenoise._fit.selection.gain import CALIBRATED_FLATNESS, LEVEL_RATIOS, RECORDING_RATIOS, stein_summary

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import corpus  # noqa: E402  (a sibling module)

KINDS = ("white0.2", "white0.5", "white1.0", "pink0.5", "brown0.3")
QUANTILES = (0.05, 0.1, 0.5, 0.9, 0.95)
#: The kinds of noise the file command prints a gain for (one level, white or pink), and its defaults.
PRINTED_KINDS = ("white0.2", "white0.5", "white1.0", "pink0.5")
COMMAND = argparse.Namespace(method="self-supervised", noise="auto", noise_std="auto", seed=0, device="cpu")


def ratios(cells):
    """``{exponent found: [(estimated / true variance, the floor's flatness) per trusted gaussian channel]}``, and
    how many channels in all."""
    found, n_channels = {}, 0
    for cell in cells:
        if cell.kind not in KINDS:
            continue
        noisy, truth = cell.recording()
        noisy, truth = noisy[None].astype(np.float32), truth[None]  # float32, as the race reads a file
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            level = resolve_noise_level("auto", noisy, "auto")
        n_channels += noisy.shape[1]
        if level.gaussian:
            true = np.mean(np.square(noisy.astype(np.float64) - truth), axis=(0, 2))
            found.setdefault(level.exponent, []).extend(zip(level.variance / true, level.flatness))
    return found, n_channels


def recording_ratios(cells):
    """``{(exponent found, basis): [the ratio the variance the estimate rests on would have to be divided by for
    the file command's printed gain to be the measured one, per recording that gets a printed gain]}``, the
    basis "read" (the level read) or "command" (what the command's estimate rests on: the finest details'
    lower read where the race kept one, else the read), where a network has a part in what was kept; "filters"
    (the level read) where filters alone were kept: each cell joined into one recording, fitted and estimated as
    the command does (without writing files)."""
    found = {}
    for cell in cells:
        if cell.kind not in PRINTED_KINDS:
            continue
        print(f"  {cell.name}", file=sys.stderr, flush=True)
        noisy, truth = cell.recording()
        pieces = Layout.of(noisy).pieces()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = fit_recording(pieces, COMMAND)
            evidence = model.model_.gain
            if evidence is None:
                continue
            denoised = model.predict(pieces)[0]
            measured = 10 * np.log10(np.mean(np.square(noisy - truth)) / np.mean(np.square(denoised - truth)))
            ratio = {}
            bases = ((("read", np.square(model.noise_std_)), ("command", evidence.steady_lower))
                     if model.model_.denoises_with_network else (("filters", np.square(model.noise_std_)),))
            for basis, variance in bases:
                ratio[basis] = ratio["read"] if variance is None else stein_summary(
                    model.predict, gain_stretches(pieces), variance, model.noise_exponent_).matching_ratio(measured)
                found.setdefault((model.noise_exponent_, basis), []).append(ratio[basis])
    return found


def main():
    tuning, held_out = corpus.split()
    print("The noise variance read from each recording over the true one (trusted gaussian channels only)")
    print(f"{'half':10s}{'noise found':13s}{'channels':>9s}" + "".join(f"{f'{q:.0%}':>8s}" for q in QUANTILES)
          + f"{'flatness':>10s}   set in the package")
    for name, cells in (("tuning", tuning), ("held-out", [c for c in held_out if c.family in corpus.FAMILIES])):
        found, n_channels = ratios(cells)
        for exponent in sorted(found):
            ratio, flatness = np.array(found[exponent]).T
            kind = {0.0: "white", 1.0: "pink"}.get(exponent, f"1/f**{exponent:g}")
            package = (LEVEL_RATIOS.get(exponent), CALIBRATED_FLATNESS.get(exponent)) if name == "tuning" else None
            print(f"{name:10s}{kind:13s}{len(ratio):9d}" + "".join(f"{v:8.3f}" for v in np.quantile(ratio, QUANTILES))
                  + f"{flatness.min():10.2f}" + (f"   {package[0]}, {package[1]}" if package else ""))
            calibrated = flatness >= CALIBRATED_FLATNESS.get(exponent, np.inf)
            if name != "tuning" and calibrated.any():  # those that get an estimate
                print(f"{name:10s}{kind + ' (est.)':13s}{calibrated.sum():9d}"
                      + "".join(f"{v:8.3f}" for v in np.quantile(ratio[calibrated], QUANTILES))
                      + f"{flatness[calibrated].min():10.2f}")
        untrusted = n_channels - sum(len(v) for v in found.values())
        print(f"{name:10s}{'(no estimate)':13s}{untrusted:9d}   of {n_channels} channels: not trusted or not gaussian")
    print("\nWhat the variance the file command's estimate rests on would have to be divided by for its printed "
          "gain to be the measured one (each recording fitted as the command does)")
    print(f"{'half':10s}{'noise found':13s}{'basis':9s}{'records':>8s}"
          + "".join(f"{f'{q:.0%}':>8s}" for q in QUANTILES) + "   set in the package")
    for (exponent, basis), ratio in sorted(recording_ratios(tuning).items()):
        kind = {0.0: "white", 1.0: "pink"}.get(exponent, f"1/f**{exponent:g}")
        print(f"{'tuning':10s}{kind:13s}{basis:9s}{len(ratio):8d}"
              + "".join(f"{v:8.3f}" for v in np.quantile(ratio, QUANTILES))
              + {"command": f"   {RECORDING_RATIOS.get(exponent)}",
                 "filters": f"   {LEVEL_RATIOS.get(exponent)} (the level's)"}.get(basis, ""))


if __name__ == "__main__":
    main()
