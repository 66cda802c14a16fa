"""The seed question's model and training configuration, restated from the facts the question gives.

The question trains a fully connected autoencoder (three ReLU layers down to ``z_dim``, three back up, a
Tanh output) with MSE loss and SGD (learning rate 0.01, momentum 0.9) for 200 steps, each on a fresh batch
of 64 signals, and finds it outputs a constant. :func:`make_seed_autoencoder` builds that configuration as a
:class:`~skdenoise.DenoisingAutoencoder`, so it can be compared with the defaults and watched by the
collapse monitor.
"""

from torch import nn

from .autoencoder import DenoisingAutoencoder

__all__ = ["SeedAutoencoder", "make_seed_autoencoder", "SEED_STEPS", "SEED_BATCH_SIZE"]

#: Gradient steps and signals per step of the seed's training loop.
SEED_STEPS, SEED_BATCH_SIZE = 200, 64


class SeedAutoencoder(nn.Module):
    """The seed's layers: ``L -> 2z -> z -> z`` and ``z -> z -> 2z -> L``, ReLU between, Tanh at the end.

    Parameters
    ----------
    in_shape, out_shape : (int, int)
        ``(channels, length)`` of one input and one output signal.
    z_dim : int, default=64
        The seed's ``z_dim``.
    """

    def __init__(self, in_shape, out_shape, z_dim=64):
        super().__init__()
        self.out_shape = tuple(out_shape)
        n_in, n_out = in_shape[0] * in_shape[1], out_shape[0] * out_shape[1]
        self.encoder = nn.Sequential(
            nn.Linear(n_in, 2 * z_dim), nn.ReLU(), nn.Linear(2 * z_dim, z_dim), nn.ReLU(),
            nn.Linear(z_dim, z_dim), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.Linear(z_dim, z_dim), nn.ReLU(), nn.Linear(z_dim, 2 * z_dim), nn.ReLU(),
            nn.Linear(2 * z_dim, n_out), nn.Tanh())

    def forward(self, x):
        return self.decoder(self.encoder(x.flatten(1))).view(x.shape[0], *self.out_shape)


def make_seed_autoencoder(**params):
    """The seed's configuration as an estimator; fit it on ``SEED_STEPS * SEED_BATCH_SIZE`` signals.

    One epoch over 12,800 signals in batches of 64 is the seed's 200 steps on fresh batches of 64: every
    signal is seen once. Raw inputs and outputs, plain SGD with momentum, no schedule, no validation split.

    Parameters
    ----------
    **params
        Overrides of any :class:`~skdenoise.DenoisingAutoencoder` parameter (e.g. ``random_state``).

    Returns
    -------
    DenoisingAutoencoder

    Examples
    --------
    >>> from skdenoise.seed import make_seed_autoencoder
    >>> model = make_seed_autoencoder(random_state=0)
    >>> model.optimizer, model.lr, model.batch_size, model.max_epochs
    ('sgd', 0.01, 64, 1)
    """
    config = dict(architecture=SeedAutoencoder, z_dim=64, optimizer="sgd", lr=0.01, lr_schedule=None,
                  batch_size=SEED_BATCH_SIZE, max_epochs=1, validation_fraction=0.0, n_iter_no_change=None,
                  output=None, input_scaling=None)
    config.update(params)
    return DenoisingAutoencoder(**config)
