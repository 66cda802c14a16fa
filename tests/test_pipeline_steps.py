"""Denoisers as steps of scikit-learn pipelines: transform, feature names and pandas output, dtypes, class
labels as y, filters without clean signals, metadata routing of groups."""

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.utils import get_tags

from skdenoise import ClassLabelWarning, DenoisingAutoencoder
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)
from skdenoise.datasets import make_cyclic_signals

from test_collections import collection

FAST = dict(max_epochs=2, device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore")
FILTERS = [IdentityDenoiser(), ProjectionDenoiser(), PCADenoiser(), SavitzkyGolayDenoiser(), WaveletDenoiser()]
ANY_LENGTH = [IdentityDenoiser(), SavitzkyGolayDenoiser(), WaveletDenoiser()]


@pytest.fixture(scope="module")
def signals():
    noisy, clean = make_cyclic_signals(120, samples_per_period=16, random_state=0)
    labels = (clean[:, :8].mean(axis=1) > np.median(clean[:, :8].mean(axis=1))).astype(int)
    return noisy, clean, labels


def frame(noisy):
    return pd.DataFrame(noisy, columns=[f"t{i}" for i in range(noisy.shape[1])])


# ---------------------------------------------------------------- feature names and pandas output
def test_a_pipeline_with_the_denoiser_gives_pandas_output_named_after_the_input_columns(signals):
    noisy, _, labels = signals
    denoiser = DenoisingAutoencoder(objective="self-supervised", **FAST)
    pipeline = make_pipeline(denoiser, RidgeClassifier()).set_output(transform="pandas").fit(frame(noisy), labels)
    denoised = pipeline[0].transform(frame(noisy[:5]))
    assert isinstance(denoised, pd.DataFrame)
    assert list(denoised.columns) == list(frame(noisy).columns)
    assert pipeline[:-1].get_feature_names_out().tolist() == list(frame(noisy).columns)


@pytest.mark.parametrize("estimator", [DenoisingAutoencoder(**FAST)] + FILTERS, ids=lambda e: type(e).__name__)
def test_the_global_pandas_output_is_honoured(estimator, signals):
    noisy, clean, _ = signals
    with sklearn.config_context(transform_output="pandas"):
        denoised = estimator.fit(noisy, clean).transform(noisy[:4])
    assert isinstance(denoised, pd.DataFrame) and denoised.shape == (4, noisy.shape[1])
    assert list(denoised.columns) == [f"x{i}" for i in range(noisy.shape[1])]


def test_scalar_targets_come_out_of_transform_as_one_named_column(signals):
    noisy, clean, _ = signals
    model = DenoisingAutoencoder(architecture="mlp", **FAST).fit(noisy, clean.mean(axis=1))
    assert model.predict(noisy[:3]).shape == (3,)
    assert model.transform(noisy[:3]).shape == (3, 1)
    assert model.get_feature_names_out().tolist() == ["denoisingautoencoder0"]


@pytest.mark.parametrize("estimator", [DenoisingAutoencoder(**FAST), WaveletDenoiser()],
                         ids=lambda e: type(e).__name__)
def test_a_model_fitted_on_3d_signals_says_that_a_table_cannot_hold_its_output(estimator, signals):
    noisy, clean, _ = signals
    estimator.fit(noisy[:, None], clean[:, None])
    with pytest.raises(ValueError, match="3-D signals .* a table cannot hold"):
        estimator.get_feature_names_out()
    with pytest.raises(ValueError, match="a table cannot hold"):
        estimator.set_output(transform="pandas").transform(noisy[:2, None])


@pytest.mark.parametrize("estimator", [DenoisingAutoencoder(**FAST)] + FILTERS, ids=lambda e: type(e).__name__)
def test_float32_signals_come_out_float32_and_the_tags_say_so(estimator, signals):
    noisy, clean, _ = signals
    assert "float32" in get_tags(estimator).transformer_tags.preserves_dtype
    assert estimator.fit(noisy, clean).transform(noisy[:3].astype(np.float32)).dtype == np.float32


# ---------------------------------------------------------------- class labels as y
def test_class_labels_for_a_supervised_denoiser_warn_and_continuous_targets_do_not(signals):
    noisy, clean, labels = signals
    with pytest.warns(ClassLabelWarning, match="objective='self-supervised'"):
        DenoisingAutoencoder(architecture="mlp", **FAST).fit(noisy, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ClassLabelWarning)
        DenoisingAutoencoder(architecture="mlp", **FAST).fit(noisy, clean.mean(axis=1))
        DenoisingAutoencoder(architecture="mlp", **FAST).fit(noisy, clean)


def test_string_class_labels_for_a_supervised_denoiser_are_a_clear_error_before_training(signals):
    noisy, _, labels = signals
    model = DenoisingAutoencoder(**FAST)
    with pytest.raises(ValueError, match="y holds class labels, not signals"):
        model.fit(noisy, np.array(["calm", "moving"])[labels])
    assert not hasattr(model, "model_")


@pytest.mark.parametrize("objective", ["noise2self", "recorrupted", "self-supervised"])
def test_objectives_without_clean_signals_ignore_class_labels_and_say_y_is_not_required(objective, signals):
    noisy, _, labels = signals
    params = dict(objective=objective, architecture="mlp", noise_std=0.1, **FAST)
    assert not get_tags(DenoisingAutoencoder(**params)).target_tags.required
    with warnings.catch_warnings():
        warnings.simplefilter("error", ClassLabelWarning)
        with_labels = DenoisingAutoencoder(**params).fit(noisy, np.array(["a", "b"])[labels]).transform(noisy)
    without = DenoisingAutoencoder(**params).fit(noisy).transform(noisy)
    np.testing.assert_array_equal(with_labels, without)
    assert get_tags(DenoisingAutoencoder(objective="noise2noise")).target_tags.required


# ---------------------------------------------------------------- classical filters without clean signals
@pytest.mark.parametrize("estimator", FILTERS, ids=lambda e: type(e).__name__)
def test_filters_that_learn_nothing_from_clean_signals_fit_without_them(estimator, signals):
    noisy, clean, _ = signals
    assert not get_tags(estimator).target_tags.required
    without = estimator.fit(noisy).transform(noisy)
    assert without.shape == noisy.shape and np.all(np.isfinite(without))
    if not isinstance(estimator, SavitzkyGolayDenoiser):  # its window is chosen from the targets when given
        np.testing.assert_allclose(without, estimator.fit(noisy, 2 * clean + 1).transform(noisy),
                                   atol=1e-6)


def test_pca_fitted_on_clean_signals_still_requires_them(signals):
    noisy, _, _ = signals
    assert get_tags(PCADenoiser(fit_on="clean")).target_tags.required
    with pytest.raises(ValueError, match="requires y"):
        PCADenoiser(fit_on="clean").fit(noisy)


@pytest.mark.parametrize("estimator", FILTERS, ids=lambda e: type(e).__name__)
def test_a_filter_fitted_on_class_labels_still_denoises_in_transform(estimator, signals):
    noisy, _, labels = signals
    estimator.fit(noisy, labels)
    assert estimator.predict(noisy).shape == (len(noisy),)  # the regressor's prediction of its targets
    np.testing.assert_allclose(estimator.transform(noisy), clone_fit(estimator, noisy).transform(noisy), atol=1e-6)


def clone_fit(estimator, X):
    return sklearn.base.clone(estimator).fit(X)


@pytest.mark.parametrize("estimator", ANY_LENGTH, ids=lambda e: type(e).__name__)
def test_filters_of_any_length_denoise_other_lengths_and_lists(estimator):
    X, _ = collection([200, 260, 150], seed=1)
    fitted_on_3d = sklearn.base.clone(estimator).fit(np.stack([x[:, :150] for x in X]))
    assert fitted_on_3d.transform(np.stack([x[:, :120] for x in X])).shape == (3, 2, 120)
    assert [x.shape for x in fitted_on_3d.transform(X)] == [(2, 200), (2, 260), (2, 150)]
    fitted_on_list = sklearn.base.clone(estimator).fit(X)
    for single, whole in zip(fitted_on_list.transform(X), fitted_on_3d.transform(X)):
        if not isinstance(estimator, SavitzkyGolayDenoiser):  # the window is chosen from what fit saw
            np.testing.assert_allclose(single, whole, atol=1e-6)
    with pytest.raises(ValueError, match="needs a filter of any length"):
        sklearn.base.clone(estimator).fit(X[0][0][None, :100]).transform(X)


def test_savitzky_golay_chooses_its_window_without_clean_signals_nearly_as_well_as_with_them():
    X, clean = collection([400] * 40, seed=2, channels=1, noise=0.4)
    X, clean = np.stack(X), np.stack(clean)

    def error(model):
        return float(np.mean((model.transform(X) - clean) ** 2))

    with_clean = SavitzkyGolayDenoiser().fit(X, clean)
    without = SavitzkyGolayDenoiser().fit(X)
    assert error(without) <= 1.25 * error(with_clean)
    assert error(without) < 0.5 * float(np.mean((X - clean) ** 2))


# ---------------------------------------------------------------- metadata routing
def test_groups_reach_both_the_splitter_and_fit_through_metadata_routing(signals, monkeypatch):
    noisy, _, labels = signals
    groups = np.repeat(np.arange(12), 10)
    seen = []
    original_fit = DenoisingAutoencoder.fit

    def recording_fit(self, X, y=None, groups=None):
        seen.append(None if groups is None else np.unique(groups))
        return original_fit(self, X, y, groups=groups)

    monkeypatch.setattr(DenoisingAutoencoder, "fit", recording_fit)
    with sklearn.config_context(enable_metadata_routing=True):
        denoiser = DenoisingAutoencoder(objective="self-supervised", **FAST).set_fit_request(groups=True)
        pipeline = make_pipeline(denoiser, RidgeClassifier())
        result = cross_validate(pipeline, noisy, labels, cv=GroupKFold(3), params={"groups": groups})
    assert len(result["test_score"]) == 3
    assert len(seen) == 3 and all(len(fold) == 8 for fold in seen)  # 8 of the 12 recordings trained each fold


@pytest.mark.parametrize("estimator", ANY_LENGTH, ids=lambda e: type(e).__name__)
def test_denoised_recordings_are_contiguous_arrays_as_numba_classifiers_need(estimator):
    X, _ = collection([99, 101, 150], seed=3)
    assert all(out.flags.c_contiguous for out in sklearn.base.clone(estimator).fit(X).transform(X))
