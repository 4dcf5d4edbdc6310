"""scikit-learn's side of `npm run bench`: runs the same workloads on the same data, in the same run.

Started by bench/sklearn.ts as `/usr/bin/python3 bench/sklearn_bench.py DATA_DIR BIG_DIR`, with the
thread settings of its column in the environment (OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 for the
single-thread column, nothing for scikit-learn's defaults). It reads one JSON request per line on
stdin and answers one JSON line on stdout:

  {"op": "info"}                         -> versions and threadpoolctl's view of the BLAS/OpenMP pools
  {"op": "initrows", "n": N, "k": K}     -> RandomState(0).choice(N, K, replace=False), as init_rows.json
  {"op": "run", "w": WORKLOAD, "repeats": R, "warmup": W}
                                         -> the workload's result summary (from the first run), then,
                                            when R > 0, W untimed runs and R timed ones (wall and CPU)

Workloads are described in bench/workloads.ts; the summaries have the same fields as the
TypeScript side's so that bench/check.ts can compare them.
"""
import hashlib
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN, KMeans, MiniBatchKMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.mixture import GaussianMixture

warnings.filterwarnings("ignore")
DATA_DIR, BIG_DIR = sys.argv[1], sys.argv[2]
_cache = {}


def load(name):
    """The same matrices as bench/data.ts, by the same names."""
    if name in _cache:
        return _cache[name]
    raw = {
        "blobs100k": ("blobs100k_f64.bin", np.float64, 2),
        "moons100k": ("moons100k_f64.bin", np.float64, 2),
        "faces": ("faces280x199_f64.bin", np.float64, 199),
        "blobs100k_labels": ("blobs100k_labels_i32.bin", np.int32, 1),
        "mix64_labels": ("mix64_20k_labels_i32.bin", np.int32, 1),
    }
    big = {"mix784_f64": ("mix784_f64.bin", np.float64, 784), "mix784_f32": ("mix784_f32.bin", np.float32, 784),
           "mix64": ("mix64_20k_f64.bin", np.float64, 64)}
    if name in raw:
        f, dt, d = raw[name]
        X = np.fromfile(os.path.join(DATA_DIR, "bench_data", f), dtype=dt)
        X = X if d == 1 else X.reshape(-1, d)
    elif name in big:
        f, dt, d = big[name]
        X = np.fromfile(os.path.join(BIG_DIR, f), dtype=dt).reshape(-1, d)
    elif name in ("blobs5", "digits"):
        t = np.loadtxt(os.path.join(DATA_DIR, "datasets", name + ".csv"), delimiter=",", skiprows=1)
        X = np.ascontiguousarray(t[:, :-1])
    else:
        raise ValueError("unknown dataset " + name)
    _cache[name] = X
    return X


def data_of(w):
    X = load(w["data"])
    n = w.get("n")
    return X[:n] if n else X


def labels_digest(labels):
    return hashlib.sha256(np.ascontiguousarray(labels, dtype=np.int32).tobytes()).hexdigest()[:16]


def sizes_of(labels, k):
    return np.bincount(labels, minlength=k).tolist()


def kmeans(w):
    X = data_of(w)
    p = w["params"]
    init = X[w["initRows"]].astype(X.dtype)
    km = KMeans(n_clusters=p["k"], init=init, n_init=1, algorithm=p["algorithm"], tol=p.get("tol", 1e-4), max_iter=p.get("maxIter", 300)).fit(X)
    return dict(nIter=int(km.n_iter_), inertia=float(km.inertia_), sizes=sizes_of(km.labels_, p["k"]))


def kmeans_ninit(w):
    X = data_of(w)
    p = w["params"]
    km = KMeans(n_clusters=p["k"], init="k-means++", n_init=p["nInit"], algorithm=p.get("algorithm", "lloyd"), random_state=p["seed"]).fit(X)
    return dict(inertia=float(km.inertia_))


def minibatch(w):
    X = data_of(w)
    p = w["params"]
    init = X[w["initRows"]].astype(X.dtype)
    mb = MiniBatchKMeans(n_clusters=p["k"], init=init, n_init=1, batch_size=p["batchSize"], max_iter=p["maxIter"], random_state=p["seed"]).fit(X)
    return dict(inertia=float(-mb.score(X)), nSteps=int(mb.n_steps_))


def silhouette(w):
    X = data_of(w)
    labels = load(w["labels"])[: X.shape[0]]
    return dict(score=float(silhouette_score(X, labels)))


def dbscan(w):
    X = data_of(w)
    p = w["params"]
    db = DBSCAN(eps=p["eps"], min_samples=p["minSamples"]).fit(X)
    labels = db.labels_
    return dict(nClusters=int(labels.max() + 1), nNoise=int((labels == -1).sum()), nCore=int(len(db.core_sample_indices_)),
                labels=labels_digest(labels), core=labels_digest(db.core_sample_indices_))


def gmm(w):
    X = data_of(w)
    p = w["params"]
    k, d = p["k"], X.shape[1]
    means = X[w["initRows"]]
    precisions = np.repeat((np.eye(d) * p["precision"])[None], k, axis=0)
    gm = GaussianMixture(n_components=k, covariance_type="full", init_params="random", random_state=0, weights_init=np.full(k, 1.0 / k),
                         means_init=means, precisions_init=precisions, max_iter=p.get("maxIter", 100), tol=p.get("tol", 1e-3)).fit(X)
    labels = gm.predict(X)
    return dict(nIter=int(gm.n_iter_), lowerBound=float(gm.lower_bound_), converged=bool(gm.converged_), sizes=sizes_of(labels, k))


def sweep(w):
    """What the app's sweep computes per k: KMeans(k, n_init) + silhouette (sampled above 10,000 rows) + CH + DB."""
    X = data_of(w)
    p = w["params"]
    points = []
    for k in range(p["kMin"], p["kMax"] + 1):
        km = KMeans(n_clusters=k, n_init=p["nInit"], random_state=p["seed"]).fit(X)
        sample = 10000 if X.shape[0] > 10000 else None
        points.append(dict(k=k, inertia=float(km.inertia_),
                           silhouette=float(silhouette_score(X, km.labels_, sample_size=sample, random_state=p["seed"])),
                           calinskiHarabasz=float(calinski_harabasz_score(X, km.labels_)),
                           daviesBouldin=float(davies_bouldin_score(X, km.labels_))))
    return dict(points=points)


KINDS = dict(kmeans=kmeans, ninit=kmeans_ninit, minibatch=minibatch, silhouette=silhouette, dbscan=dbscan, gmm=gmm, sweep=sweep)


def info():
    out = dict(sklearn=sklearn.__version__, numpy=np.__version__, python=sys.version.split()[0])
    try:
        from threadpoolctl import threadpool_info

        out["threadpools"] = [dict(api=t["internal_api"], threads=t["num_threads"], arch=t.get("architecture")) for t in threadpool_info()]
    except ImportError:
        out["threadpools"] = None
    return out


def handle(req):
    op = req["op"]
    if op == "info":
        return info()
    if op == "initrows":
        return dict(rows=np.random.RandomState(0).choice(req["n"], req["k"], replace=False).tolist())
    if op == "run":
        w = req["w"]
        fn = KINDS[w["kind"]]
        load(w["data"])
        result = None if req.get("noResult") else fn(w)
        walls, cpus = [], []
        if req.get("repeats", 0) > 0:
            for _ in range(req.get("warmup", 0)):
                fn(w)
            for _ in range(req["repeats"]):
                t0, c0 = time.perf_counter(), time.process_time()
                fn(w)
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
        return dict(result=result, wall=walls, cpu=cpus)
    raise ValueError("unknown op " + op)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = dict(ok=True, **handle(json.loads(line)))
        except Exception as e:  # reported to the TypeScript side, which shows it in the table
            out = dict(ok=False, error=f"{type(e).__name__}: {e}")
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
