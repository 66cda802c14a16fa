"""What tells sharp signal from spikes and from a level that changes, where Stein's estimate fails: the evidence
for :data:`~skdenoise._fit.noise_level.SPIKE_PAIRS` and :data:`~skdenoise._fit.selection.methods.LEVEL_STEADY`.

Run: ``python benchmarks/bench_level_reads.py`` (seconds: no training)

Each synthetic cell of the corpus (``benchmarks/corpus.py``) with white noise of one level (0.2, 0.5, 1.0),
spikes, or a level that ramps or jumps along each series, joined end to end into one recording as the file
command reads one: the share of its large jumps that come in spikes' pairs (:func:`spike_pairs`), how much
its level changes along time (:func:`~skdenoise.noise.level_change`), and the level read
(``noise="auto"``) and the finest details' read (:func:`~skdenoise.noise.estimate_noise_variance`) over the
true noise variance, per channel (their median). Per half (the constants were set on the tuning half): the
range of the spike pairs with spikes and without, and of the level's change, where the finest details read
lower, under white noise of one level and under ramps and jumps.
"""

import pathlib
import sys

import numpy as np

from skdenoise._fit.noise_level import SPIKE_PAIRS, resolve_noise_level, spike_pairs
from skdenoise._fit.selection.methods import LEVEL_STEADY
from skdenoise.noise import level_change, noise_level_profile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import corpus  # noqa: E402  (a sibling module)

KINDS = ("white0.2", "white0.5", "white1.0", "spikes", "ramp", "jump")


def measure(cell):
    """(spike pairs, level change, read / true, finest read / true) of `cell`'s recording."""
    noisy, clean = cell.recording()
    signals = noisy[None].astype(np.float32)
    level = resolve_noise_level("auto", signals)
    true = np.var(noisy - clean, axis=-1)
    return (spike_pairs(signals), level_change(noise_level_profile(signals)),
            float(np.median(level.variance / true)), float(np.median(level.core_variance / true)))


def span(values):
    return f"{min(values):.2f} to {max(values):.2f} ({len(values)})" if values else "none"


def report(name, cells):
    rows = []
    print(f"\n{name} half")
    print(f"{'cell':30s}{'spike pairs':>12s}{'change':>8s}{'read':>7s}{'finest':>8s}")
    for cell in cells:
        if cell.kind not in KINDS:
            continue
        pairs, change, read, finest = measure(cell)
        rows.append((cell.kind, pairs, change, read, finest))
        print(f"{cell.name:30s}{pairs:12.2f}{change:8.2f}{read:7.2f}{finest:8.2f}", flush=True)
        print(f"  {cell.name}", file=sys.stderr, flush=True)
    spikes = [pairs for kind, pairs, *_ in rows if kind == "spikes"]
    others = [pairs for kind, pairs, *_ in rows if kind != "spikes"]
    lower = [(kind, change) for kind, _, change, read, finest in rows if finest < read and kind != "spikes"]
    print(f"spike pairs: with spikes {span(spikes)}, without {span(others)} (SPIKE_PAIRS = {SPIKE_PAIRS})")
    print(f"level change where the finest details read lower: white of one level "
          f"{span([c for k, c in lower if k.startswith('white')])}, ramps and jumps "
          f"{span([c for k, c in lower if k in ('ramp', 'jump')])} (LEVEL_STEADY = {LEVEL_STEADY})")


def main():
    tuning, held_out = corpus.split()
    print("Where Stein's estimate fails: the share of large jumps in spikes' pairs, the level's change along time, "
          "and the level read and the finest details' read over the true noise variance")
    report("tuning", tuning)
    report("held-out", [cell for cell in held_out if cell.family in corpus.FAMILIES])


if __name__ == "__main__":
    main()
