"""Hypothesis explores new examples on developers' machines and replays a fixed set in CI."""

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
