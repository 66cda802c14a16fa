"""
Grid search on a Dask cluster
=============================

scikit-learn's searches run on a Dask cluster through joblib's ``dask`` backend. Here the cluster is a
``LocalCluster`` of two single-threaded worker processes; against a real cluster, pass the scheduler's
address to ``Client`` instead. The same search also runs sequentially, for timing and to show that the
results agree.
"""

import os
import time

import numpy as np
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder

SMALL = os.environ.get("SKDENOISE_EXAMPLES_SMALL") == "1"
noisy, clean = CyclicSignalGenerator(samples_per_period=64, random_state=0).generate(400 if SMALL else 4000)


def make_search():
    model = DenoisingAutoencoder(max_epochs=3 if SMALL else 20, device="cpu", random_state=0)
    return GridSearchCV(model, {"z_dim": [16, 64], "lr": [1e-3, 3e-3]}, cv=2)


# %%
# Worker processes import this file again, so the cluster is only started under the main guard.


def compare():
    start = time.perf_counter()
    sequential = make_search().fit(noisy, clean)
    sequential_s = time.perf_counter() - start
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pip install "skdenoise[dask]"
        print("dask.distributed is not installed")
        return
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster):
        start = time.perf_counter()
        with parallel_config(backend="dask"):
            on_cluster = make_search().fit(noisy, clean)
        cluster_s = time.perf_counter() - start
    same = np.allclose(on_cluster.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"],
                       rtol=1e-5)
    print(f"sequential: {sequential_s:.1f} s; 2-worker LocalCluster: {cluster_s:.1f} s "
          f"(speed-up {sequential_s / cluster_s:.2f}x); same results: {same}")
    print("best:", on_cluster.best_params_)


if __name__ == "__main__":
    compare()
