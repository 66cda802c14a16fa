"""
A recording larger than memory, denoised on a Dask cluster
==========================================================

``predict`` on a dask array returns a lazy dask array of the same shape and chunks. Here a long recording
lies in an ``.npy`` file; each task reads its chunk from the file, the cluster denoises the chunks (with
overlaps beyond the network's receptive field, so no seam shows and the result equals the in-memory
``predict``), and each task writes its denoised chunk into an output file: the recording is never whole in
any process's memory. The cluster is a ``LocalCluster`` of two worker processes; against a real cluster,
pass the scheduler's address to ``Client``. Needs ``pip install "skdenoise[dask]"``.
"""

import os
import pathlib
import tempfile

import dask
import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from dask.distributed import Client, LocalCluster

from skdenoise import DenoisingAutoencoder
from skdenoise.recordings import load_pickup_gestures, train_test_pairs

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
LENGTH, CHUNK = (200_000, 50_000) if SMALL else (2_048_000, 300_000)


def read_chunk(path, start, stop):
    """One chunk of the recording, read on the worker from the file."""
    return np.array(np.load(path, mmap_mode="r")[:, :, start:stop])


def write_chunk(block, path, block_info=None):
    """Write a denoised chunk where it belongs in the output file; return a token."""
    start, stop = block_info[0]["array-location"][2]
    np.load(path, mmap_mode="r+")[:, :, start:stop] = block
    return np.zeros((1, 1, 1), dtype=np.float32)


def lazy_recording(path, chunk):
    length = np.load(path, mmap_mode="r").shape[-1]
    return da.concatenate([
        da.from_delayed(dask.delayed(read_chunk)(path, start, min(start + chunk, length)),
                        shape=(1, 1, min(start + chunk, length) - start), dtype=np.float32)
        for start in range(0, length, chunk)], axis=2)


# %%
# A model fitted on the bundled gesture recordings (noise of standard deviation 0.5), and a long noisy
# recording of the same kind of signal on disk: the gestures one after another.


def fit_and_write(workdir):
    X, y, _, _ = train_test_pairs(load_pickup_gestures(), n_copies=3 if SMALL else 10)
    model = DenoisingAutoencoder(max_epochs=3 if SMALL else "auto", random_state=0).fit(X, y)
    source, target = str(workdir / "noisy.npy"), str(workdir / "denoised.npy")
    clean = np.resize(np.concatenate(list(y[::10, 0])), (1, 1, LENGTH)).astype(np.float32)
    noisy = np.lib.format.open_memmap(source, mode="w+", dtype=np.float32, shape=clean.shape)
    noisy[:] = clean + np.random.default_rng(0).normal(0, 0.5, clean.shape).astype(np.float32)
    noisy.flush()
    np.lib.format.open_memmap(target, mode="w+", dtype=np.float32, shape=clean.shape).flush()
    return model, clean, source, target


# %%
# The cluster denoises the chunks and writes them; then the result is compared with the in-memory
# ``predict``, and a stretch around a chunk boundary is drawn: no seam where the chunks meet. Worker
# processes import this file again, so all of it runs under the main guard.


def main():
    model, clean, source, target = fit_and_write(pathlib.Path(tempfile.mkdtemp()))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster):
        denoised = model.predict(lazy_recording(source, CHUNK))  # lazy: nothing computed yet
        print(f"{denoised.numblocks[2]} chunks of {CHUNK:,} samples")
        denoised.map_blocks(write_chunk, target, dtype=np.float32, chunks=(1, 1, 1)).compute()
    noisy, result = np.load(source, mmap_mode="r"), np.load(target, mmap_mode="r")
    print(f"max |cluster - in memory| = {np.max(np.abs(result - model.predict(np.load(source)))):.1e}")
    gain = 10 * np.log10(np.mean((noisy - clean) ** 2) / np.mean((result - clean) ** 2))
    print(f"SNR gain over the noisy recording: {gain:+.2f} dB")

    around = np.arange(CHUNK - 400, CHUNK + 400)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(around, noisy[0, 0, around], color="0.75", lw=0.8, label="noisy")
    ax.plot(around, clean[0, 0, around], color="k", lw=1.2, label="clean")
    ax.plot(around, result[0, 0, around], color="tab:red", lw=1.2, label="denoised on the cluster")
    ax.axvline(CHUNK, color="tab:blue", ls=":", label="chunk boundary")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_xlabel("sample")
    fig.tight_layout()
    plt.show()


if __name__ == "__main__":
    main()
