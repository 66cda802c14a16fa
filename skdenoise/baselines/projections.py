"""Denoisers that project signals onto a few directions: known functions (the seed task's oracle) or the
leading principal components."""

from numbers import Integral

import numpy as np
from sklearn.decomposition import PCA
from sklearn.utils._param_validation import Interval, StrOptions

from ..datasets import check_functions, resolve_functions
from ._template import BaseDenoiser

__all__ = ["PCADenoiser", "ProjectionDenoiser"]


class ProjectionDenoiser(BaseDenoiser):
    """Least-squares projection onto known functions plus a constant: the oracle for the seed task.

    Each signal (and channel) is projected onto ``span{f_1(x), ..., f_k(x), 1}`` with
    ``x = t * 2*pi / samples_per_period``, then the output step applies.

    Parameters
    ----------
    functions : list of callables, str or Wave, default=None
        As in :class:`~skdenoise.CyclicSignalGenerator`; None means the seed's three cosines.
    samples_per_period : int, default=512
        Samples per ``2*pi`` of x.
    add_constant : bool, default=True
        Include the constant function (min-max scaling shifts every signal).
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Attributes
    ----------
    basis_ : ndarray of shape (n_timesteps, n_functions)
        The functions sampled on the signals' x axis.

    Examples
    --------
    >>> from skdenoise import CyclicSignalGenerator
    >>> from skdenoise.baselines import ProjectionDenoiser
    >>> gen = CyclicSignalGenerator(random_state=0)
    >>> noisy, clean = gen.generate(200)
    >>> oracle = ProjectionDenoiser.from_generator(gen).fit(noisy, clean)
    >>> bool(oracle.score(noisy, clean) > 0.99)
    True
    """

    def __init__(self, functions=None, samples_per_period=512, add_constant=True, output="auto"):
        self.functions = functions
        self.samples_per_period = samples_per_period
        self.add_constant = add_constant
        self.output = output

    @classmethod
    def from_generator(cls, generator, **params):
        """The oracle for data from `generator`: its functions and its sampling."""
        return cls(functions=generator.functions, samples_per_period=generator.samples_per_period, **params)

    _parameter_constraints = {**BaseDenoiser._parameter_constraints, "functions": "no_validation",
                              "samples_per_period": [Interval(Integral, 1, None, closed="left")],
                              "add_constant": ["boolean"]}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Projecting arbitrary tabular features onto a few cosines discards most of them.
        tags.regressor_tags.poor_score = True
        return tags

    def _fit_denoiser(self, signals, targets, same_shape):
        length = signals.shape[-1]
        x = np.arange(length) * (2 * np.pi / self.samples_per_period)
        columns = check_functions(resolve_functions(self.functions), x)
        if self.add_constant:
            columns = np.vstack([columns, np.ones(length)])
        self.basis_ = columns.T
        self.projector_ = self.basis_ @ np.linalg.pinv(self.basis_)

    def _denoise(self, signals):
        return signals @ self.projector_.T


class PCADenoiser(BaseDenoiser):
    """Keep the `n_components` leading principal components of the signals (channels flattened).

    Parameters
    ----------
    n_components : int, default=4
        Components kept (at most ``min(n_samples, n_channels * n_timesteps)``).
    fit_on : {"noisy", "clean"}, default="noisy"
        Learn the components from the noisy inputs (usable without clean signals) or the clean targets.
    output : {"auto", "minmax", None}, default="auto"
        Output step.

    Attributes
    ----------
    pca_ : sklearn.decomposition.PCA

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.baselines import PCADenoiser
    >>> noisy, clean = make_cyclic_signals(300, random_state=0)
    >>> bool(PCADenoiser().fit(noisy, clean).score(noisy, clean) > 0.95)
    True
    """

    def __init__(self, n_components=4, fit_on="noisy", output="auto"):
        self.n_components = n_components
        self.fit_on = fit_on
        self.output = output

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Four components of arbitrary tabular features lose most of them.
        tags.regressor_tags.poor_score = True
        return tags

    def _needs_targets(self):
        return self.fit_on == "clean"

    _parameter_constraints = {**BaseDenoiser._parameter_constraints,
                              "n_components": [Interval(Integral, 1, None, closed="left")],
                              "fit_on": [StrOptions({"noisy", "clean"})]}

    def _fit_denoiser(self, signals, targets, same_shape):
        source = targets if self.fit_on == "clean" and same_shape else signals
        flat = source.reshape(len(source), -1)
        n_components = min(self.n_components, *flat.shape)
        self.pca_ = PCA(n_components=n_components, svd_solver="full").fit(flat)

    def _denoise(self, signals):
        flat = signals.reshape(len(signals), -1)
        return self.pca_.inverse_transform(self.pca_.transform(flat)).reshape(signals.shape)
