"""A fixed-length network for signals of other lengths: the same architecture, trained to slide.

A network of fixed length (the MLP) trained on whole signals has only ever seen them from their first
sample: aligned signals are what it is best at, but a window of a longer signal starts anywhere, and there
it can be far worse than returning the input (a random sum of cosines fitted on 256 samples, denoised at
4,096: 165x its MSE at 256 and 2.3x the input's). So when such a network wins, ``fit`` also trains the
same architecture on random windows of half the signals' length (every shift the training signals hold)
and ``predict`` uses it for every other length, overlap-adding its windows; the training length keeps the
aligned network. Its held-out MSE, through the same overlap-add, is ``validation_mse_["other lengths"]``.
"""


from ..inference import predict_signals
from ..training.data import training_data
from ..windows import auto_window_length
from .architectures import train_network

__all__ = ["needs_sliding", "train_sliding"]


def needs_sliding(fitted, data):
    """Whether predict at other lengths needs a sliding network besides the `fitted` model.

    Only for a fixed-length network trained on whole 3-D signals with targets of their shape (what predicts
    at other lengths) long enough to halve; not for min-max outputs, whose windows are not min-max scaled.
    """
    return (not fitted.network.fully_convolutional and data.window_length is None and fitted.output != "minmax"
            and fitted.any_length and auto_window_length(data.shape[-1]) is not None)


def train_sliding(plan, architecture, signals, *, targets, groups, check):
    """Train `architecture` on random windows of half the signals' length, with fit's validation split.

    `check` holds fit's held-out pairs of whole signals, on which the objective judges the network, denoising
    them whole through overlap-added windows; a blind-spot network (with a blend to fit) is judged on its
    own held-out windows.

    Returns
    -------
    trained : Trained
        Its windows are ``auto_window_length(signals.shape[-1])`` long.
    verdict : Verdict
    """
    window = auto_window_length(signals.shape[-1])
    if plan.verbose:
        print(f"Training architecture={architecture!r} on windows of {window} time steps, for other lengths.")
    data = training_data(signals, targets, window, fraction=plan.validation_fraction, seed=plan.seed + 2, groups=groups)
    trained = train_network(plan, architecture, data, seed=plan.seed + 3)
    network = trained.net.module_
    if network.blend is not None:
        return trained, plan.objective.judge(plan, network, data.check)
    return trained, plan.objective.judge(
        plan, network, check, denoise=lambda X: predict_signals(network, X, window, out_channels=targets.shape[1]))
