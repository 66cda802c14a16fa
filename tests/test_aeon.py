"""skdenoise.aeon: aeon's own estimator checks, and a denoise-then-classify pipeline on unequal lengths."""

import numpy as np
import pytest

pytest.importorskip("aeon")

from aeon.classification.compose import ClassifierPipeline  # noqa: E402
from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier  # noqa: E402
from aeon.datasets import load_basic_motions  # noqa: E402
from aeon.testing.estimator_checking import parametrize_with_checks  # noqa: E402

from skdenoise import DenoisingAutoencoder  # noqa: E402
from skdenoise.aeon import AeonDenoiser  # noqa: E402
from skdenoise.baselines import WaveletDenoiser  # noqa: E402


@parametrize_with_checks([AeonDenoiser])
def test_aeon_compatible(check):
    check()


def cut_and_noisy(X, rng, level):
    """Each multichannel series cut to a random length, with white noise of `level` times each channel's
    standard deviation."""
    std = X.std(axis=(0, 2))[:, None]
    lengths = rng.integers(50, 101, len(X))
    return [x[:, :n] + rng.normal(0, level, (x.shape[0], n)) * std for x, n in zip(X, lengths)]


@pytest.fixture(scope="module")
def basic_motions():
    rng = np.random.default_rng(0)
    (X_train, y_train), (X_test, y_test) = (load_basic_motions(split=split) for split in ("train", "test"))
    return cut_and_noisy(X_train, rng, 1.0), y_train, cut_and_noisy(X_test, rng, 1.0), y_test


def test_denoising_first_classifies_noisy_unequal_multichannel_series_at_least_as_well(basic_motions):
    X_train, y_train, X_test, y_test = basic_motions
    without = KNeighborsTimeSeriesClassifier().fit(X_train, y_train).score(X_test, y_test)
    pipeline = ClassifierPipeline([AeonDenoiser(WaveletDenoiser())], KNeighborsTimeSeriesClassifier())
    assert pipeline.fit(X_train, y_train).score(X_test, y_test) >= without


def test_the_autoencoder_learns_from_the_series_alone_in_an_aeon_pipeline(basic_motions):
    X_train, y_train, X_test, y_test = basic_motions
    denoiser = DenoisingAutoencoder(objective="self-supervised", max_epochs=3, device="cpu", random_state=0)
    pipeline = ClassifierPipeline([AeonDenoiser(denoiser)], KNeighborsTimeSeriesClassifier())
    assert pipeline.fit(X_train, y_train).predict(X_test).shape == (len(X_test),)
    fitted = AeonDenoiser(denoiser).fit(X_train, y_train)
    assert fitted.denoiser_.method_ in ("noise2self", "recorrupted", "wavelet", "savitzky-golay", "identity")
    assert [d.shape for d in fitted.transform(X_test[:3])] == [x.shape for x in X_test[:3]]


def test_a_denoiser_that_needs_clean_signals_is_refused_before_training(basic_motions):
    X_train, y_train, _, _ = basic_motions
    with pytest.raises(ValueError, match="denoiser=.* learns from clean signals"):
        AeonDenoiser(DenoisingAutoencoder()).fit(X_train, y_train)
    with pytest.raises(TypeError, match="denoiser must be a scikit-learn estimator"):
        AeonDenoiser("wavelet").fit(X_train)


def test_without_a_denoiser_it_trains_the_self_supervised_autoencoder_and_keeps_its_parameter():
    rng = np.random.default_rng(0)
    X = [np.sin(np.arange(n) / 9) + rng.normal(0, 0.3, (2, n)) for n in (150, 180, 120, 200, 160, 140)]
    transformer = AeonDenoiser().fit(X)
    assert transformer.denoiser is None
    assert isinstance(transformer.denoiser_, DenoisingAutoencoder)
    assert transformer.denoiser_.objective == "self-supervised"
    assert [x.shape for x in transformer.transform(X[:2])] == [(2, 150), (2, 180)]
