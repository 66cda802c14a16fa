"""Beyond one machine: dask predict on a LocalCluster, and data-parallel fit with torchrun (gloo).

Run: ``python benchmarks/bench_scale.py [--sizes 1e7 1e8] [--chunks 300000 3000000] [--skip-fit]``

1. Dask predict. A recording of each size is written to an ``.npy`` file; a dask array reads it chunk by
   chunk from the file on the workers (never whole in memory), the default model (fitted on the bundled
   gestures) denoises it on a ``LocalCluster`` of 1 and 2 single-threaded worker processes, and each block
   is written into an output ``.npy`` file on the worker. Samples per second, and the most memory a worker
   added while computing (peak resident memory above its level before, the model already loaded) over
   one chunk's bytes. The first size is also compared with the in-memory ``predict``: the max absolute
   difference.
2. Data-parallel fit: the default model on the bundled gestures (the data README's protocol), in one
   process and in two under ``torchrun`` (``distributed=True``): fit time and test MSE.

On a 2-core machine two workers or ranks share the two cores that one process uses with two threads: the
point is correctness and overhead, not speed-up. Every number is measured in this run.
"""

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

from skdenoise import DenoisingAutoencoder
from skdenoise.recordings import load_pickup_gestures, train_test_pairs


def read_chunk(path, start, stop):
    return np.array(np.load(path, mmap_mode="r")[:, :, start:stop])


def lazy_recording(path, chunk):
    """The recording in `path` as a dask array of time chunks, each read from the file by its task."""
    import dask
    import dask.array as da

    length = np.load(path, mmap_mode="r").shape[-1]
    pieces = [da.from_delayed(dask.delayed(read_chunk)(str(path), start, min(start + chunk, length)),
                              shape=(1, 1, min(start + chunk, length) - start), dtype=np.float32)
              for start in range(0, length, chunk)]
    return da.concatenate(pieces, axis=2)


def write_block(block, path, block_info=None):
    start, stop = block_info[0]["array-location"][2]
    np.load(path, mmap_mode="r+")[:, :, start:stop] = block
    return np.zeros((1, 1, 1), dtype=np.float32)


def memory(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field))


def reset_peak():
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return memory("VmRSS")


def peak():
    return memory("VmHWM")


def write_recording(path, size, seed):
    recording = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(1, 1, size))
    rng = np.random.default_rng(seed)
    t = np.arange(1 << 20)
    for start in range(0, size, 1 << 20):
        stop = min(start + (1 << 20), size)
        steps = t[:stop - start] + start
        clean = np.sin(2 * np.pi * steps / 90) + np.sign(np.sin(2 * np.pi * steps / 2000))
        recording[0, 0, start:stop] = clean + rng.normal(0, 0.5, stop - start)
    recording.flush()


def dask_predict(model, sizes, chunks, workdir):
    from dask.distributed import Client, LocalCluster

    print("Dask predict of one recording (default model, fitted on the gestures)")
    print(f"{'samples':>12s} {'chunk':>10s} {'workers':>8s} {'seconds':>8s} {'samples/s':>11s} "
          f"{'worker peak added MiB':>22s} {'/ chunk bytes':>14s} {'max |dask - memory|':>20s}")
    for size in sizes:
        source, target = workdir / f"in-{size}.npy", workdir / f"out-{size}.npy"
        write_recording(source, size, seed=size % 1000)
        np.lib.format.open_memmap(target, mode="w+", dtype=np.float32, shape=(1, 1, size)).flush()
        for chunk in chunks:
            for workers in (1, 2):
                with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, Client(cluster) as client:
                    lazy = model.predict(lazy_recording(source, chunk))
                    written = lazy.map_blocks(write_block, str(target), dtype=np.float32, chunks=(1, 1, 1))
                    model.predict(lazy_recording(source, chunk)[:, :, :chunk]).compute()  # warm-up: model on workers
                    before = client.run(reset_peak)
                    start = time.perf_counter()
                    written.compute()
                    seconds = time.perf_counter() - start
                    added = max(client.run(peak)[w] - before[w] for w in before)
                difference = "-"
                if size == sizes[0] and workers == 1:
                    in_memory = model.predict(np.load(source))
                    difference = f"{float(np.max(np.abs(np.load(target) - in_memory))):.2e}"
                print(f"{size:12,d} {chunk:10,d} {workers:8d} {seconds:8.1f} {size / seconds:11,.0f} "
                      f"{added / 2**20:22.1f} {added / (4 * chunk):14.2f} {difference:>20s}", flush=True)
        source.unlink()
        target.unlink()


def ddp_worker(out):
    """Under torchrun (or alone): fit the default model on the gestures, write time and test MSE."""
    X, y, X_test, y_test = train_test_pairs(load_pickup_gestures())
    distributed = "RANK" in os.environ
    start = time.perf_counter()
    model = DenoisingAutoencoder(random_state=0, distributed=distributed).fit(X, y)
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "test_mse": float(np.mean((model.predict(X_test) - y_test) ** 2)),
              "architecture": model.architecture_, "epochs": model.n_iter_}
    pathlib.Path(f"{out}.{os.environ.get('RANK', 0)}.json").write_text(json.dumps(result))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def data_parallel_fit(workdir):
    print("\nData-parallel fit: the default model on the gestures (600 training pairs), gloo")
    print(f"{'processes':>10s} {'fit s':>7s} {'test MSE':>9s} {'vs 1 process':>13s}  architecture, epochs")
    runs = {1: [sys.executable, __file__, "--ddp-worker", str(workdir / "one")],
            2: [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node=2", f"--master-port={free_port()}",
                __file__, "--ddp-worker", str(workdir / "two")]}
    base = None
    for processes, command in runs.items():
        subprocess.run(command, check=True, capture_output=True)
        result = json.loads((workdir / f"{'one' if processes == 1 else 'two'}.0.json").read_text())
        base = base or result["test_mse"]
        print(f"{processes:10d} {result['seconds']:7.1f} {result['test_mse']:9.4f} {result['test_mse'] / base:13.3f}  "
              f"{result['architecture']}, {result['epochs']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e7, 1e8])
    parser.add_argument("--chunks", type=int, nargs="+", default=[300_000, 3_000_000])
    parser.add_argument("--skip-fit", action="store_true")
    parser.add_argument("--ddp-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ddp_worker:
        return ddp_worker(args.ddp_worker)
    with tempfile.TemporaryDirectory() as directory:
        workdir = pathlib.Path(directory)
        X, y, _, _ = train_test_pairs(load_pickup_gestures())
        model = DenoisingAutoencoder(random_state=0).fit(X, y)
        dask_predict(model, [int(size) for size in args.sizes], args.chunks, workdir)
        if not args.skip_fit:
            data_parallel_fit(workdir)


if __name__ == "__main__":
    main()
