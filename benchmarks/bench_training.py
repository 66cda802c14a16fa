"""Training and prediction throughput: a hand-written PyTorch loop, skorch's defaults, and ours, in one run.

Run: ``python benchmarks/bench_training.py [--device cpu|cuda] [--architectures mlp conv] [--epochs 3]``
     ``python benchmarks/bench_training.py --memory`` (peak memory of fit on 200,000 x 1,024 float32 signals)

All three train the same module (the package's MLP, z_dim 64, GELU; or its residual U-Net, z_dim 32) with
Adam on the same float32 data for the same number of epochs, with no validation split. Ratios are against
the hand-written loop, which uses ``torch.optim.Adam`` with its defaults, as one would write it; the
estimator uses the fused Adam where torch has one (part of what it does for you). The U-Net trains on
signals of 256 samples (``--conv-length``), cut from the same data. "epochs only" is the estimator's
best run counted by its epochs' durations alone: the batches, without the input validation, the
per-epoch collapse check and the noise-level calibration that fit does around them.
"""

import argparse
import subprocess
import sys
import time

import torch
from skorch import NeuralNetRegressor

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.nn import ARCHITECTURES

LR = 1e-3


def plain_config(architecture, device, batch_size, epochs):
    """Our estimator doing exactly the hand-written loop's work: raw I/O, whole signals, constant lr, no split."""
    return DenoisingAutoencoder(architecture=architecture, output=None, input_scaling=None, lr=LR,
                                lr_schedule=None, batch_size=batch_size, max_epochs=epochs, window_length=None,
                                validation_fraction=0.0, n_iter_no_change=None, on_collapse="ignore",
                                on_harm="ignore", device=device, random_state=0)


def hand_written(architecture, X, y, device, batch_size, epochs):
    torch.manual_seed(0)
    model = ARCHITECTURES[architecture]((1, X.shape[-1]), (1, X.shape[-1])).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    X_t = torch.from_numpy(X[:, None]).to(device)
    y_t = torch.from_numpy(y[:, None]).to(device)
    for _ in range(epochs):
        order = torch.randperm(len(X_t), device=device)
        for start in range(0, len(X_t), batch_size):
            rows = order[start:start + batch_size]
            loss = torch.nn.functional.mse_loss(model(X_t[rows]), y_t[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    _sync(device)
    return model


def skorch_defaults(architecture, X, y, device, batch_size, epochs):
    net = NeuralNetRegressor(ARCHITECTURES[architecture], module__in_shape=(1, X.shape[-1]),
                             module__out_shape=(1, X.shape[-1]),
                             optimizer=torch.optim.Adam, lr=LR, batch_size=batch_size, max_epochs=epochs,
                             train_split=None, iterator_train__shuffle=True, device=device, verbose=0)
    torch.manual_seed(0)
    net.fit(X[:, None], y[:, None])
    _sync(device)
    return net


def ours(architecture, X, y, device, batch_size, epochs):
    model = plain_config(architecture, device, batch_size, epochs).fit(X, y)
    _sync(device)
    return model


def _sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def predict_hand_written(model, X, device, batch_size=4096):
    outputs = []
    with torch.inference_mode():
        for start in range(0, len(X), batch_size):
            outputs.append(model(torch.from_numpy(X[start:start + batch_size, None]).to(device)).cpu())
    _sync(device)
    return torch.cat(outputs).numpy()


def throughput(args):
    X_full, y_full = CyclicSignalGenerator(random_state=0).generate(args.n_samples)
    print(f"{args.n_samples} signals, {args.epochs} epochs, device {args.device} "
          f"({torch.get_num_threads()} torch threads), best of {args.repeats} interleaved runs")
    print(f"{'module':>10s} {'batch':>6s} {'method':34s} {'samples/s':>11s} {'vs hand-written':>16s}")
    for architecture in args.architectures:
        length = X_full.shape[-1] if architecture == "mlp" else args.conv_length
        X, y = X_full[:, :length].copy(), y_full[:, :length].copy()
        work = len(X) * args.epochs
        for batch_size in args.batch_sizes:
            hand_written(architecture, X[:batch_size * 4], y[:batch_size * 4], args.device, batch_size, 1)  # warm-up
            methods = {"hand-written PyTorch loop": hand_written, "skorch defaults": skorch_defaults,
                       "DenoisingAutoencoder": ours}
            runs = {name: [] for name in methods}
            for _ in range(args.repeats):  # interleaved, so that a slow spell of the machine hits every method
                for name, function in methods.items():
                    runs[name].append(timed(function, architecture, X, y, args.device, batch_size, args.epochs))
            rows = {}
            for name, timings in runs.items():
                seconds, model = min(timings, key=lambda run: run[0])
                rows[name] = (work / seconds, model)
            # Its epochs alone (the sum of skorch's per-epoch "dur", which EpochTimer takes before the other
            # callbacks' end-of-epoch checks): the batches, without what fit does around them.
            epochs = min(sum(model.history_[:, "dur"]) for _, model in runs["DenoisingAutoencoder"])
            rows["DenoisingAutoencoder, epochs only"] = (work / epochs, None)
            base = rows["hand-written PyTorch loop"][0]
            for name, (speed, _) in rows.items():
                module = f"{architecture} x{length}"
                print(f"{module:>10s} {batch_size:6d} {name:34s} {speed:11.0f} {speed / base:16.2f}")
        hand_model, our_model = rows["hand-written PyTorch loop"][1], rows["DenoisingAutoencoder"][1]
        hand_s = min(timed(predict_hand_written, hand_model, X, args.device)[0] for _ in range(3))
        our_s = min(timed(our_model.predict, X)[0] for _ in range(3))
        print(f"{architecture} predict (best of 3): hand-written {len(X) / hand_s:.0f} samples/s, "
              f"DenoisingAutoencoder {len(X) / our_s:.0f} samples/s, ratio {hand_s / our_s:.2f}")


def memory(args):
    # A fresh process, so that the peak RSS belongs to this fit alone; defaults include a validation split.
    code = f"""
import resource
from skdenoise import CyclicSignalGenerator
from skdenoise import DenoisingAutoencoder
X, y = CyclicSignalGenerator(random_state=0).generate({args.memory_samples})
def rss():
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith('VmRSS'))
baseline = rss()
DenoisingAutoencoder(architecture='mlp', max_epochs=1, batch_size=1024, device='cpu', on_collapse='ignore').fit(X, y)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(X.nbytes + y.nbytes, baseline, peak)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    inputs, baseline, peak = map(int, out.stdout.split()[-3:])
    extra = max(peak - baseline, 0)
    print(f"fit on {args.memory_samples} x 1024 float32 (X and y: {inputs / 2**30:.2f} GiB)")
    print(f"process RSS before fit {baseline / 2**30:.2f} GiB, peak RSS of the process {peak / 2**30:.2f} GiB")
    print(f"peak / input size: {peak / inputs:.2f} (memory added by fit: {extra / inputs:.2f}x the input)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--n-samples", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[128, 1024])
    parser.add_argument("--architectures", nargs="+", choices=["mlp", "conv"], default=["mlp", "conv"])
    parser.add_argument("--conv-length", type=int, default=256, help="signal length for the U-Net rows")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many interleaved runs per method")
    parser.add_argument("--memory", action="store_true", help="measure peak memory of fit instead")
    parser.add_argument("--memory-samples", type=int, default=200_000)
    args = parser.parse_args()
    memory(args) if args.memory else throughput(args)


if __name__ == "__main__":
    main()
