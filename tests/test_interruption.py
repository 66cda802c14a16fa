"""Ctrl-C inside training: skorch keeps a usable network, and fit says so; a race never keeps an unfinished
candidate over a finished one. Interrupted by a real SIGINT sent from inside the training loop."""

import os
import signal
import warnings

import numpy as np
import pytest
from skorch.callbacks import Callback

from skdenoise import DenoisingAutoencoder, TrainingInterruptedWarning, make_cyclic_signals


class SendsInterrupt(Callback):
    """Sends SIGINT to this process at the end of epoch `epoch` of the network whose core is `core`."""

    def __init__(self, epoch=2, core=None):
        self.epoch = epoch
        self.core = core

    def on_epoch_end(self, net, **kwargs):
        core = type(getattr(net.module_, "core", net.module_)).__name__
        if len(net.history) == self.epoch and self.core in (None, core):
            os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture(autouse=True)
def interactive_session(interactive):
    """SIGINT handled as Python does in a terminal (see conftest's ``interactive``)."""


@pytest.fixture(scope="module")
def signals():
    noisy, clean = make_cyclic_signals(256, samples_per_period=32, random_state=0)
    return noisy[:, None], clean[:, None]


def fit_caught(model, *data):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(*data)
    return [w for w in caught if issubclass(w.category, TrainingInterruptedWarning)]


def test_an_interrupted_candidate_is_dropped_behind_one_that_finished(signals):
    model = DenoisingAutoencoder(max_epochs=20, device="cpu", random_state=0,  # the cut-off after 6 epochs
                                 net_params={"callbacks": [SendsInterrupt(core="ResidualUNet")]})
    caught = fit_caught(model, *signals)
    assert len(caught) == 1 and "interrupted (Ctrl-C)" in str(caught[0].message)
    assert model.interrupted_ and model.architecture_ == "mlp" and "conv" not in model.validation_mse_
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_first_network_interrupted_is_kept_usable_and_said(signals):
    model = DenoisingAutoencoder(architecture="conv", max_epochs=6, device="cpu", random_state=0,
                                 net_params={"callbacks": [SendsInterrupt()]})
    caught = fit_caught(model, *signals)
    assert len(caught) == 1 and model.interrupted_ and len(model.history_) == 2
    assert np.all(np.isfinite(model.predict(signals[0][:4])))


def test_without_clean_signals_an_interrupted_network_gives_way_to_a_filter(signals):
    model = DenoisingAutoencoder(objective="self-supervised", max_epochs=6, device="cpu", random_state=0,
                                 net_params={"callbacks": [SendsInterrupt(epoch=1)]})
    caught = fit_caught(model, signals[0])
    assert len(caught) == 1 and model.interrupted_
    assert model.method_ in ("wavelet", "savitzky-golay", "identity", "mixture")
    if model.method_ == "mixture":  # of the filters and the input alone: the unfinished network has no part
        assert "network" not in model.model_.mixture.members


def test_early_stopping_is_not_an_interruption(signals):
    model = DenoisingAutoencoder(architecture="mlp", max_epochs=40, n_iter_no_change=1, lr_schedule=None,
                                 device="cpu", random_state=0)
    assert fit_caught(model, *signals) == [] and not model.interrupted_ and model.n_iter_ < 40
