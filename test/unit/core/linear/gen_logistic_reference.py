"""Generates test/fixtures/reference-extra/logistic_*.json with the installed scikit-learn.

Run once from the repository root (single-threaded BLAS, so that iteration counts are
reproducible; they depend on the summation order in ill-conditioned problems):

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 test/unit/core/linear/gen_logistic_reference.py
"""
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss

warnings.simplefilter("ignore")
ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(ROOT, "../../../.."))
REF = os.path.normpath(os.path.join(REPO, "../shared/reference/datasets"))
OUT = os.path.join(REPO, "test/fixtures/reference-extra")

META = {
    "command": "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 test/unit/core/linear/gen_logistic_reference.py",
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "sklearn": sklearn.__version__,
    "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
}


def load(name):
    d = np.loadtxt(os.path.join(REF, name), delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1].astype(int)


def case(name, X, y, Xeval, **params):
    lr = LogisticRegression(**params).fit(X, y)
    return {
        "name": name,
        "params": params,
        "classes": lr.classes_.tolist(),
        "n_iter": lr.n_iter_.tolist(),
        "coef": lr.coef_.tolist(),
        "intercept": lr.intercept_.tolist(),
        "predict_proba": lr.predict_proba(Xeval).tolist(),
        "decision_function": np.atleast_2d(lr.decision_function(Xeval).T).T.tolist(),
        "predict": lr.predict(Xeval).tolist(),
    }


def loss_case(X, y, n_classes, l2, fit_intercept, seed):
    """LinearModelLoss.loss_gradient at a random point, in sklearn's parameter layout."""
    rng = np.random.RandomState(seed)
    dof = X.shape[1] + int(fit_intercept)
    if n_classes == 2:
        loss = LinearModelLoss(HalfBinomialLoss(), fit_intercept)
        coef = rng.normal(size=dof)
        target = (y == 1).astype(float)
    else:
        loss = LinearModelLoss(HalfMultinomialLoss(n_classes=n_classes), fit_intercept)
        coef = rng.normal(size=n_classes * dof)  # ravelled order 'F'
        target = y.astype(float)
    f, g = loss.loss_gradient(coef, X, target, None, l2)
    return {"n_classes": n_classes, "l2_reg_strength": l2, "fit_intercept": fit_intercept, "coef": coef.tolist(), "loss": float(f), "grad": g.tolist()}


def lbfgs_cases():
    """scipy's L-BFGS-B itself on smooth test functions (the optimizer under sklearn's lbfgs)."""
    from scipy.optimize import minimize, rosen, rosen_der

    out = []
    for x0 in ([-1.2, 1.0], [-1.2, 1.0, -0.5, 0.3, 2.0], [0.0] * 8):
        r = minimize(rosen, np.array(x0), jac=rosen_der, method="L-BFGS-B")
        out.append({"function": "rosen", "x0": x0, "options": {}, "x": r.x.tolist(), "fun": float(r.fun), "nit": int(r.nit), "nfev": int(r.nfev), "message": r.message})
    r = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_der, method="L-BFGS-B", options={"maxiter": 7})
    out.append({"function": "rosen", "x0": [-1.2, 1.0], "options": {"maxiter": 7}, "x": r.x.tolist(), "fun": float(r.fun), "nit": int(r.nit), "nfev": int(r.nfev), "message": r.message})
    return out


def main():
    with open(os.path.join(OUT, "logistic_lbfgs.json"), "w") as fh:
        json.dump({"description": "scipy.optimize.minimize(rosen, x0, jac=rosen_der, method='L-BFGS-B', options=...)", "meta": META, "cases": lbfgs_cases()}, fh, indent=1)

    X, y = load("iris.csv")
    E = X[::3]
    iris = {
        "dataset": "datasets/iris.csv (150x4); predict_proba/decision_function/predict on every third training row X[::3]",
        "meta": META,
        "cases": [
            case("multinomial default (stops at max_iter=100)", X, y, E),
            case("multinomial", X, y, E, max_iter=1000),
            case("multinomial tight", X, y, E, max_iter=10000, tol=1e-10),
            case("ovr", X, y, E, multi_class="ovr"),
            case("ovr tight", X, y, E, multi_class="ovr", max_iter=10000, tol=1e-10),
            case("binary y==2", X, (y == 2).astype(int), E),
            case("binary y==2 multinomial", X, (y == 2).astype(int), E, multi_class="multinomial"),
            case("binary y==1 sepal features, no penalty", X[:, :2], (y == 1).astype(int), E[:, :2], penalty="none"),
            case("multinomial C=0.1 without intercept", X, y, E, C=0.1, fit_intercept=False, max_iter=1000),
            case("ovr C=10 tight", X, y, E, C=10.0, multi_class="ovr", max_iter=10000, tol=1e-10),
        ],
        "loss": [
            loss_case(X, (y == 2).astype(int), 2, 1.0, True, 0),
            loss_case(X, (y == 2).astype(int), 2, 0.5, False, 1),
            loss_case(X, y, 3, 1.0, True, 2),
            loss_case(X, y, 3, 10.0, False, 3),
        ],
    }
    with open(os.path.join(OUT, "logistic_iris.json"), "w") as fh:
        json.dump(iris, fh, indent=1)

    Xd, yd = load("digits.csv")
    split = json.load(open(os.path.join(REF, "digits_split.json")))
    tr, te = split["train_idx"], split["test_idx"]
    Xtr, ytr, Xte, yte = Xd[tr], yd[tr], Xd[te], yd[te]
    raw = case("multinomial default (stops at max_iter=100)", Xtr, ytr, Xte[:40])
    lr = LogisticRegression().fit(Xtr, ytr)
    raw["test_predict"] = lr.predict(Xte).tolist()
    raw["test_score"] = lr.score(Xte, yte)
    digits = {
        "dataset": "datasets/digits.csv with datasets/digits_split.json; proba/decision/predict on the first 40 test rows, test_predict on all 450",
        "meta": META,
        "cases": [raw],
    }
    with open(os.path.join(OUT, "logistic_digits.json"), "w") as fh:
        json.dump(digits, fh, indent=1)

    # The book's semi-supervised flow with sklearn's own KMeans(50, random_state=42), so the
    # deterministic steps (label propagation, fits on given labels) can be checked exactly.
    ovr = dict(multi_class="ovr", solver="lbfgs", max_iter=5000, random_state=42)
    km = KMeans(n_clusters=50, random_state=42, n_init=10)
    dist = km.fit_transform(Xtr)
    rep = np.argmin(dist, axis=0)
    yrep = ytr[rep]
    prop = yrep[km.labels_]
    own = dist[np.arange(len(Xtr)), km.labels_]
    cutoffs = [float(np.percentile(own[km.labels_ == i], 20)) for i in range(50)]
    keep = np.array([own[i] <= cutoffs[km.labels_[i]] for i in range(len(Xtr))])
    semi = {
        "dataset": "datasets/digits.csv with datasets/digits_split.json (X_train, y_train, X_test, y_test)",
        "meta": META,
        "kmeans": "KMeans(n_clusters=50, n_init=10, random_state=42).fit_transform(X_train)",
        "logreg": "LogisticRegression(multi_class='ovr', solver='lbfgs', max_iter=5000, random_state=42)",
        "kmeans_labels": km.labels_.tolist(),
        "kmeans_centers": km.cluster_centers_.tolist(),
        "representative_idx": rep.tolist(),
        "propagated_labels": prop.tolist(),
        "percentile20_cutoffs": cutoffs,
        "percentile20_kept_idx": np.flatnonzero(keep).tolist(),
        "acc_full": LogisticRegression(**ovr).fit(Xtr, ytr).score(Xte, yte),
        "acc_representatives": LogisticRegression(**ovr).fit(Xtr[rep], yrep).score(Xte, yte),
        "acc_propagated": LogisticRegression(**ovr).fit(Xtr, prop).score(Xte, yte),
        "acc_percentile20": LogisticRegression(**ovr).fit(Xtr[keep], prop[keep]).score(Xte, yte),
        "percentile20_label_accuracy": float(np.mean(prop[keep] == ytr[keep])),
        "acc_pipeline_on_these_distances": LogisticRegression(**ovr).fit(dist, ytr).score(km.transform(Xte), yte),
    }
    with open(os.path.join(OUT, "logistic_semisupervised.json"), "w") as fh:
        json.dump(semi, fh, indent=1)


if __name__ == "__main__":
    sys.exit(main())
