"""scikit-learn's own estimator checks, on every estimator the package exports."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import (IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser,
                                 WaveletDenoiser)

ESTIMATORS = [
    DenoisingAutoencoder(max_epochs=20, batch_size=32, random_state=0, device="cpu"),
    DenoisingAutoencoder(architecture="mlp", max_epochs=20, batch_size=32, random_state=0, device="cpu"),
    DenoisingAutoencoder(architecture="conv", z_dim=8, max_epochs=20, batch_size=32, random_state=0,
                         device="cpu"),
    IdentityDenoiser(),
    ProjectionDenoiser(),
    PCADenoiser(),
    SavitzkyGolayDenoiser(),
    WaveletDenoiser(),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
