"""Fit several denoisers on the same data and tabulate their scores side by side."""

import contextlib
import time
import warnings

import numpy as np

from .exceptions import CollapseWarning, HarmWarning, NoiseLevelWarning, UnfamiliarNoiseWarning
from .metrics import snr_gain_db

__all__ = ["compare_denoisers", "format_table"]

# The warnings of ours that compare_denoisers reports in its rows rather than on the console, by name, the
# most specific first (a NoiseLevelWarning is a HarmWarning).
REPORTED = {CollapseWarning: "collapse", NoiseLevelWarning: "noise level", HarmWarning: "harm",
            UnfamiliarNoiseWarning: "unfamiliar noise"}


def compare_denoisers(estimators, X_train, y_train, X_test, y_test, *, reference=None, fit_params=None):
    """Fit each estimator on the training pair and measure it on the test pair.

    Parameters
    ----------
    estimators : dict of str to estimator
        Denoisers by name, fitted in order.
    X_train, y_train, X_test, y_test : ndarray
        Noisy and clean signals.
    reference : str, optional
        Name of the row whose test MSE the others are divided by (e.g. the oracle).
    fit_params : dict, optional
        Passed to every ``fit`` (e.g. ``groups``).

    Returns
    -------
    list of dict
        One row per estimator: ``method``, ``mse``, ``ratio`` (MSE / reference MSE, NaN without one),
        ``snr_gain_db``, ``fit_s``, ``warnings`` (``"collapse"``, ``"noise level"``, ``"harm"``,
        ``"unfamiliar noise"``: the warnings fit and predict gave, which go into the table instead of the
        console), ``collapse_warning`` (whether fit warned of a collapse) and ``prediction`` (the test
        predictions).

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.baselines import IdentityDenoiser, PCADenoiser
    >>> noisy, clean = make_cyclic_signals(200, random_state=0)
    >>> rows = compare_denoisers({"pca": PCADenoiser(), "identity": IdentityDenoiser()},
    ...                          noisy[:150], clean[:150], noisy[150:], clean[150:], reference="pca")
    >>> [row["method"] for row in rows], rows[0]["ratio"]
    (['pca', 'identity'], 1.0)
    """
    rows = []
    for name, estimator in estimators.items():
        start = time.perf_counter()
        with _reported_warnings() as caught:
            estimator.fit(X_train, y_train, **(fit_params or {}))
        fit_seconds = time.perf_counter() - start
        with _reported_warnings() as predict_caught:
            prediction = estimator.predict(X_test)
        caught += predict_caught
        found = {next(name for category, name in REPORTED.items() if issubclass(w.category, category))
                 for w in caught}
        reported = [name for name in REPORTED.values() if name in found]
        rows.append({
            "method": name,
            "mse": float(np.mean((prediction - y_test) ** 2, dtype=np.float64)),
            "snr_gain_db": snr_gain_db(y_test, X_test, prediction),
            "fit_s": fit_seconds,
            "collapse_warning": "collapse" in reported,
            "warnings": reported,
            "prediction": prediction,
        })
    reference_mse = next((row["mse"] for row in rows if row["method"] == reference), np.nan)
    for row in rows:
        row["ratio"] = row["mse"] / reference_mse
    return rows


@contextlib.contextmanager
def _reported_warnings():
    """Record our warnings of :data:`REPORTED` into the yielded list; pass every other warning on."""
    with warnings.catch_warnings(record=True) as caught:
        for category in REPORTED:
            warnings.simplefilter("always", category)
        ours = []
        yield ours
    for warning in caught:
        if issubclass(warning.category, tuple(REPORTED)):
            ours.append(warning)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def format_table(rows, title=None, ratio="MSE/oracle"):
    """Render rows of :func:`compare_denoisers` as a plain-text table.

    The ratio column is headed `ratio` and left out when no row has a ratio (no reference).
    """
    with_ratio = any(np.isfinite(row["ratio"]) for row in rows)
    lines = [title] if title else []
    lines.append(f"{'method':44s} {'test MSE':>10s}" + (f" {ratio:>11s}" if with_ratio else "")
                 + f" {'SNR gain dB':>12s} {'fit s':>7s}  warnings")
    for row in rows:
        lines.append(f"{row['method']:44s} {row['mse']:10.3g}" + (f" {row['ratio']:11.3g}" if with_ratio else "")
                     + f" {row['snr_gain_db']:12.2f} {row['fit_s']:7.1f}  {', '.join(row['warnings']) or 'none'}")
    return "\n".join(lines)
