"""Hypothesis explores new examples on developers' machines and replays a fixed set in CI; one Dask cluster
serves the tests that need one."""

import os

import signal

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def interactive():
    """Python's own Ctrl-C handling, as in a terminal: a process started in the background by a shell (as CI
    may be) has SIGINT ignored, and a Ctrl-C would never come."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="session")
def dask_cluster():
    """A local Dask cluster of two single-threaded worker processes, started once (each start costs seconds of
    imports in every worker); a test connects a ``distributed.Client`` to it."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster
