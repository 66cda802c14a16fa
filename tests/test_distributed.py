"""Data-parallel fit: two CPU processes under torchrun (gloo) train as one process does."""

import json
import os
import pathlib
import socket
import subprocess
import sys

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder

SCRIPT = pathlib.Path(__file__).with_name("distributed_fit.py")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(tmp_path, name, command):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    subprocess.run(command + [str(SCRIPT), str(tmp_path / name), *ARGS[name]], check=True, env=env, timeout=120,
                   capture_output=True)
    return [json.loads(path.read_text()) for path in sorted(tmp_path.glob(f"{name}.*.json"))]


ARGS = {"one": ["0", "auto", "400"], "two": ["1", "auto", "400"]}


@pytest.mark.slow  # CI runs it (pytest -m slow); the README's pytest does not
def test_two_processes_train_as_one_and_agree(tmp_path):
    (one,) = run(tmp_path, "one", [sys.executable])
    ranks = run(tmp_path, "two", [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node=2",
                                  f"--master-port={free_port()}"])
    assert len(ranks) == 2
    assert ranks[0] == ranks[1]  # identical weights, epochs, race and held-out errors on both ranks
    assert ranks[0]["architecture"] == one["architecture"] and ranks[0]["n_iter"] == one["n_iter"]
    assert ranks[0]["test_mse"] <= 1.2 * one["test_mse"]


def test_distributed_without_a_launcher_is_refused_before_training(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    model = DenoisingAutoencoder(distributed=True, device="cpu")
    with pytest.raises(ValueError, match="torchrun --nproc-per-node=2"):
        model.fit(np.zeros((10, 32)), np.zeros((10, 32)))
    assert not hasattr(model, "net_")


def test_distributed_must_be_a_bool():
    with pytest.raises(ValueError, match="'distributed' parameter of DenoisingAutoencoder must be"):
        DenoisingAutoencoder(distributed="yes").fit(np.zeros((10, 32)), np.zeros((10, 32)))
