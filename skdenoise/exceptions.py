"""Warnings and errors raised by skdenoise."""

import os
import sys
import warnings

#: Where frames are ours (or scikit-learn's wrapper of ``transform``): a warning points past them, at the code
#: that called into skdenoise, however many frames lie between.
_OUR_FILES = (os.path.dirname(os.path.abspath(__file__)) + os.sep,)
_WRAPPERS = (os.path.join("sklearn", "utils", "_set_output.py"),)


class CollapseWarning(UserWarning):
    """A model's predictions collapsed to (nearly) a constant instead of following the targets.

    Silence it with ``warnings.filterwarnings("ignore", category=CollapseWarning)``, turn it into an error
    with ``warnings.filterwarnings("error", category=CollapseWarning)`` or ``on_collapse="raise"``.
    """


class HarmWarning(UserWarning):
    """A fitted model denoises worse than doing nothing: its validation MSE is above that of returning the
    noisy input unchanged.

    Emitted by ``fit`` when X and y have the same shape; control it with ``on_harm`` or Python's warning
    filters, like :class:`CollapseWarning`.
    """


class NoiseLevelWarning(HarmWarning):
    """Noise2Self cannot know that it beats the noisy input: the signals do not tell their noise level (they
    vary like noise at the finest scales, or the noise is correlated), or the given ``noise_std`` is more
    than the blind-spot loss allows (too high, or the noise is correlated). Also where ``noise="auto"`` took
    the noise as pink, which a signal of the same spectrum would look like: ``noise="pink"`` confirms it.

    Without clean signals the one measure of the input's error is the noise variance; ``fit`` estimates it
    (:func:`~skdenoise.noise.estimate_white_noise_variance`) unless ``noise_std`` gives it. A
    :class:`HarmWarning`: ``on_harm`` controls it.
    """


class UnfamiliarNoiseWarning(UserWarning):
    """``predict`` got signals whose noise level lies outside the levels at which the model was found to denoise.

    ``fit`` records the noise levels of its training inputs (``noise_level_range_``: robust estimates from
    the finest wavelet details) and, with clean targets, measures the levels at which the model still beats
    returning its input: its held-out pairs with their noise rescaled from 1/16 to 16 times
    (``safe_noise_levels_``). ``predict`` estimates the median level of what it gets the same way, at no
    cost of the network, and warns outside that range. Control it with ``on_unfamiliar_noise`` or Python's
    warning filters.
    """


class ClassLabelWarning(UserWarning):
    """``fit`` of a model that learns from clean targets got class labels as ``y`` (a 1-D column of a few
    distinct values), as a pipeline hands every step before a classifier: it learns to predict the labels
    instead of denoising.

    As a denoising step before a classifier, use ``objective="self-supervised"`` (which ignores ``y``) or a
    classical filter; where ``y`` holds numeric targets of a regression, silence it with
    ``warnings.filterwarnings("ignore", category=ClassLabelWarning)``.
    """


class TrainingInterruptedWarning(UserWarning):
    """``fit`` or ``partial_fit`` was interrupted (Ctrl-C) before its training ended.

    As skorch does, the estimator keeps the network as it was when training stopped: fitted and usable, not
    trained to the end. A candidate of a race that did not finish is never kept over one that did.
    ``interrupted_`` records it.
    """


class TrainingDivergedError(FloatingPointError):
    """The training loss became NaN or infinite; the estimator keeps no diverged weights."""


def report(action, category, message):
    """Act on a finding as an ``on_*`` parameter says: ``"warn"`` with `category`, ``"raise"`` it, or
    ``"ignore"``. A warning points at the first line outside skdenoise that led to it (the user's call of
    ``fit`` or ``predict``, or the scikit-learn meta-estimator that called them)."""
    if action == "raise":
        raise category(message)
    if action == "warn":
        warnings.warn(message, category, stacklevel=_outside_stacklevel())


def _outside_stacklevel():
    """The ``stacklevel`` of ``warnings.warn`` called in :func:`report` that names the first frame outside skdenoise."""
    frame, level = sys._getframe(2), 2  # the caller of report
    while frame is not None and (frame.f_code.co_filename.startswith(_OUR_FILES)
                                 or frame.f_code.co_filename.endswith(_WRAPPERS)):
        frame, level = frame.f_back, level + 1
    return level
