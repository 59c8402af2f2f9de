#!/usr/bin/env python3
"""Reference vectors for Cleave's statistics engine (packages/core/src/statistics).

Regenerate with:  python3 packages/core/vectors/statistics.py > packages/core/vectors/statistics.json

Independent of the code under test: every expected value comes from SciPy's distributions
(scipy.stats.norm, scipy.stats.t, scipy.stats.chi2, scipy.stats.chisquare, scipy.special
gammaln / betainc / gammaincc) or, for the normal linear loss whose direct form cancels, from
mpmath at 50 digits, applied to the formulas of the contract in docs/statistics.md. The
sufficient statistics are sums over concrete per-unit data simulated with NumPy (seeded), and
the per-arm moments are taken from that data (numpy mean/var/cov with ddof=1), not from the sums.
"""

import json
import math
import platform
import sys

import mpmath
import numpy as np
import scipy
from scipy import special, stats

mpmath.mp.dps = 50
rng = np.random.default_rng(20261129)


def f(value):
    """A plain float for JSON (numpy scalars are not JSON)."""
    value = float(value)
    assert math.isfinite(value), value
    return value


# ---------------------------------------------------------------- numeric functions

def linear_loss(z):
    """phi(z) - z * Phi(-z), in 50-digit arithmetic."""
    z = mpmath.mpf(z)
    return float(mpmath.npdf(z) - z * mpmath.ncdf(-z))


def function_vectors():
    out = []

    def add(name, args, expected, tolerance=1e-10):
        expected = float(expected)
        if math.isfinite(expected):
            out.append({"name": name, "args": [float(a) for a in args], "expected": expected,
                        "relativeTolerance": tolerance})

    for z in [-37, -30, -20, -12, -8, -5, -3, -2, -1.5, -1, -0.5, -0.1, -1e-9, 0, 1e-9, 0.3, 1, 1.96, 2.5, 4, 8.25]:
        add("normalCdf", [z], stats.norm.cdf(z))
        add("normalSurvival", [z], stats.norm.sf(z))
        add("normalPdf", [z], stats.norm.pdf(z))
    for p in [1e-300, 1e-100, 1e-20, 1e-12, 1e-6, 0.001, 0.01, 0.02425, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9,
              0.975, 0.99, 0.999999]:
        add("normalQuantile", [p], stats.norm.ppf(p))
    for df in [1, 1.0001, 1.5, 2, 2.7, 3, 4.5, 10, 30, 99.5, 1000, 1e5, 1e6]:
        for t in [0.001, 0.2, 1, 1.7, 2, 3, 5, 10, 30, 300]:
            add("studentTSurvival", [t, df], stats.t.sf(t, df))
            add("studentTSurvival", [-t, df], stats.t.sf(-t, df))
            add("studentTCdf", [t, df], stats.t.cdf(t, df))
            add("studentTPdf", [t, df], stats.t.pdf(t, df))
        for q in [1e-15, 1e-10, 1e-6, 0.0005, 0.005, 0.025, 0.05, 0.1, 0.25, 0.4]:
            add("studentTUpperQuantile", [q, df], stats.t.isf(q, df))
    # Welch degrees of freedom of experiments with millions of units, on both sides of the
    # switch to the Cornish-Fisher expansion at 1e6.
    for df in [999_999, 1e6, 3e6, 1e7, 2e8, 1e10]:
        for t in [0.001, 0.2, 1.7, 2, 3, 5, 10, 30, 39.9, 41]:
            add("studentTSurvival", [t, df], stats.t.sf(t, df))
            add("studentTSurvival", [-t, df], stats.t.sf(-t, df))
        for q in [1e-300, 1e-15, 1e-10, 0.0005, 0.025, 0.1, 0.4, 0.7]:
            add("studentTUpperQuantile", [q, df], stats.t.isf(q, df))
    for k in [1, 2, 3, 5, 10, 50]:
        for x in [0.01, 0.5, 1, 3, 10, 30, 60, 100, 200, 500, 1200]:
            add("chiSquareSurvival", [x, k], stats.chi2.sf(x, k))
    for x in [0.01, 0.3, 0.5, 1, 1.5, 2, 3, 7.5, 9.99, 10, 12, 100, 1e5, 1e8]:
        add("logGamma", [x], special.gammaln(x))
    for a, b, x in [(0.5, 0.5, 0.3), (2, 3, 0.4), (5, 0.5, 0.99), (50, 0.5, 0.999), (0.5, 40, 0.001),
                    (10, 10, 0.5), (3.3, 7.1, 0.8), (1000, 0.5, 0.995), (0.5, 1000, 0.002)]:
        add("regularizedBeta", [x, a, b], special.betainc(a, b, x))
    for a, x in [(0.5, 0.1), (0.5, 2), (0.5, 50), (1, 3), (2.5, 1), (5, 20), (20, 15), (20, 40)]:
        add("regularizedGammaQ", [a, x], special.gammaincc(a, x))
        add("regularizedGammaP", [a, x], special.gammainc(a, x))
    for z in [-6, -2, -0.5, 0, 0.5, 1, 2.9, 3, 3.1, 5, 10, 20, 35]:
        add("normalLinearLoss", [z], linear_loss(z))
    return out


# ---------------------------------------------------------------- simulated arms

def simulate_mean(n, mean, sd, covariate_correlation=None):
    """Per-unit values y (lognormal-ish skew mixed in) and optionally a correlated pre-period x."""
    noise = rng.normal(0.0, 1.0, n)
    y = mean + sd * noise
    if covariate_correlation is None:
        return {"y": y}
    other = rng.normal(0.0, 1.0, n)
    x = mean + sd * (covariate_correlation * noise + math.sqrt(1 - covariate_correlation ** 2) * other)
    return {"y": y, "x": x}


def shifted_to_t(control, treatment, t):
    """The treatment's units moved by a constant so that Welch's t against control is exactly `t`:
    how the vectors reach p-values like 1e-12 without depending on a lucky seed."""
    y0, y1 = control["y"], treatment["y"]
    se = math.sqrt(y0.var(ddof=1) / len(y0) + y1.var(ddof=1) / len(y1))
    return {"y": y1 - y1.mean() + y0.mean() + t * se}


def simulate_skewed(n, scale):
    """Revenue-like: mostly zero, some lognormal spend."""
    buys = rng.random(n) < 0.3
    return {"y": np.where(buys, rng.lognormal(math.log(scale), 0.8, n), 0.0)}


def simulate_proportion(n, rate, covariate_rate=None):
    y = (rng.random(n) < rate).astype(float)
    if covariate_rate is None:
        return {"y": y}
    # Pre-period conversion, correlated with the in-experiment one.
    x = np.where(rng.random(n) < 0.6, y, (rng.random(n) < covariate_rate).astype(float))
    return {"y": y, "x": x}


def simulate_ratio(n, sessions_mean, per_session):
    d = rng.poisson(sessions_mean, n).astype(float) + 1.0
    y = rng.poisson(per_session * d).astype(float)
    return {"y": y, "d": d}


def sums(metric, data):
    y = data["y"]
    variant = {"n": int(len(y)), "sum": f(y.sum())}
    if metric != "proportion":
        variant["sumSquares"] = f((y * y).sum())
    if "x" in data:
        x = data["x"]
        variant["covariate"] = {"sum": f(x.sum()), "sumSquares": f((x * x).sum()), "sumProduct": f((x * y).sum())}
    if "d" in data:
        d = data["d"]
        variant["denominator"] = {"sum": f(d.sum()), "sumSquares": f((d * d).sum()), "sumProduct": f((y * d).sum())}
    return variant


# ---------------------------------------------------------------- reference engine (the contract's formulas)

def arm_moments(metric, data):
    y = data["y"]
    n = len(y)
    if metric == "ratio":
        d = data["d"]
        m = y.sum() / d.sum()
        c = np.cov(y, d, ddof=1)
        v = (c[0, 0] - 2 * m * c[0, 1] + m * m * c[1, 1]) / (n * d.mean() ** 2)
        return {"n": n, "mean": m, "s2": n * v, "v": v}
    m = y.mean()
    s2 = m * (1 - m) if metric == "proportion" else y.var(ddof=1)
    return {"n": n, "mean": m, "s2": s2, "v": s2 / n}


def reference_analyze(request, moments, arms_data):
    """The contract's formulas on per-arm moments; CUPED reads the per-unit data in `arms_data`."""
    method = request.get("method", "frequentist")
    effect = request.get("effect", "relative")
    alpha = request.get("alpha", 0.05)
    direction = request.get("direction", "increase")
    tuning = request.get("sequentialTuning", 5000)
    # Each arm: adjusted mean a, its variance va, raw mean m, raw variance vm, cov(a, m).
    if request.get("cuped", False):
        x_all = np.concatenate([data["x"] for data in arms_data])
        y_all = np.concatenate([data["y"] for data in arms_data])
        theta = np.cov(x_all, y_all, ddof=1)[0, 1] / x_all.var(ddof=1)
        arms = []
        for data, mo in zip(arms_data, moments):
            n = mo["n"]
            sx2 = data["x"].var(ddof=1)
            sxy = np.cov(data["x"], data["y"], ddof=1)[0, 1]
            arms.append({"n": n, "a": mo["mean"] - theta * data["x"].mean(),
                         "va": (mo["s2"] + theta ** 2 * sx2 - 2 * theta * sxy) / n,
                         "m": mo["mean"], "vm": mo["v"], "c": (mo["s2"] - theta * sxy) / n})
    else:
        arms = [{"n": mo["n"], "a": mo["mean"], "va": mo["v"], "m": mo["mean"], "vm": mo["v"], "c": mo["v"]}
                for mo in moments]
    control = arms[0]
    comparisons = []
    for index, arm in enumerate(arms[1:], start=1):
        v0, v1, n0, n1 = control["va"], arm["va"], control["n"], arm["n"]
        df = (v0 + v1) ** 2 / (v0 ** 2 / (n0 - 1) + v1 ** 2 / (n1 - 1))
        diff = arm["a"] - control["a"]
        if effect == "absolute":
            delta, se = diff, math.sqrt(v0 + v1)
        else:
            m0 = control["m"]
            delta = diff / abs(m0)
            if request.get("cuped", False):
                var = (v0 + v1) / m0 ** 2 + diff ** 2 * control["vm"] / m0 ** 4 + 2 * diff * control["c"] / m0 ** 3
            else:
                var = v1 / m0 ** 2 + arm["m"] ** 2 * v0 / m0 ** 4
            se = math.sqrt(var)
        result = {"variant": index, "estimate": f(delta), "standardError": f(se)}
        if method == "frequentist":
            half = stats.t.isf(alpha / 2, df) * se
            result.update(ciLower=f(delta - half), ciUpper=f(delta + half),
                          pValue=f(2 * stats.t.sf(abs(delta / se), df)), chanceToWin=None, expectedLoss=None)
        elif method == "bayesian":
            half = stats.norm.isf(alpha / 2) * se
            z = (delta if direction == "increase" else -delta) / se
            result.update(ciLower=f(delta - half), ciUpper=f(delta + half), pValue=None,
                          chanceToWin=f(stats.norm.cdf(z)), expectedLoss=f(se * linear_loss(z)))
        else:
            N = n0 + n1
            s = se * math.sqrt(N)
            rho2 = (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning
            half = s * math.sqrt(2 * (N * rho2 + 1) / (N * N * rho2) * math.log(math.sqrt(N * rho2 + 1) / alpha))
            p = min(1.0, math.sqrt(N * rho2 + 1) * math.exp(-rho2 * N * delta ** 2 / (2 * se ** 2 * (N * rho2 + 1))))
            result.update(ciLower=f(delta - half), ciUpper=f(delta + half), pValue=f(p),
                          chanceToWin=None, expectedLoss=None)
        comparisons.append(result)
    return {"variants": [{"n": mo["n"], "mean": f(mo["mean"]), "variance": f(mo["s2"])} for mo in moments],
            "comparisons": comparisons}


def analyze_vectors():
    out = []

    def add(name, request, arms_data):
        request = dict(request)
        request["variants"] = [sums(request["metric"], data) for data in arms_data]
        moments = [arm_moments(request["metric"], data) for data in arms_data]
        out.append({"name": name, "request": request, "expected": reference_analyze(request, moments, arms_data)})

    methods = ["frequentist", "bayesian", "sequential"]
    effects = ["absolute", "relative"]
    for method in methods:
        for effect in effects:
            base = {"method": method, "effect": effect}
            add(f"mean, {method}, {effect}", {"metric": "mean", **base},
                [simulate_mean(2000, 10.0, 4.0), simulate_mean(2100, 10.3, 4.2)])
            add(f"proportion, {method}, {effect}", {"metric": "proportion", **base},
                [simulate_proportion(5000, 0.10), simulate_proportion(5000, 0.115)])
            add(f"ratio, {method}, {effect}", {"metric": "ratio", **base},
                [simulate_ratio(3000, 3.0, 0.5), simulate_ratio(3000, 3.0, 0.53)])
            add(f"mean with CUPED, {method}, {effect}", {"metric": "mean", "cuped": True, **base},
                [simulate_mean(1500, 20.0, 6.0, 0.7), simulate_mean(1500, 20.6, 6.0, 0.7)])
            add(f"proportion with CUPED, {method}, {effect}", {"metric": "proportion", "cuped": True, **base},
                [simulate_proportion(4000, 0.2, 0.2), simulate_proportion(4000, 0.22, 0.2)])
            add(f"mean, decreasing is better, {method}, {effect}",
                {"metric": "mean", "direction": "decrease", **base},
                [simulate_mean(800, 3.0, 1.0), simulate_mean(800, 2.85, 1.0)])
    add("defaults only (relative frequentist), skewed revenue", {"metric": "mean"},
        [simulate_skewed(5000, 40.0), simulate_skewed(5000, 42.0)])
    add("three arms, alpha 0.1", {"metric": "mean", "alpha": 0.1, "effect": "absolute"},
        [simulate_mean(1000, 5.0, 2.0), simulate_mean(1000, 5.1, 2.0), simulate_mean(1000, 4.8, 2.5)])
    add("four arms with CUPED, sequential tuned to 20000", {"metric": "mean", "cuped": True,
        "method": "sequential", "sequentialTuning": 20000},
        [simulate_mean(3000, 50.0, 10.0, 0.8) for _ in range(4)])
    control = simulate_mean(4000, 100.0, 10.0)
    add("tiny p-value near 1e-12 (frequentist, t = 7.1)", {"metric": "mean", "effect": "absolute"},
        [control, shifted_to_t(control, simulate_mean(4000, 100.0, 10.0), 7.1)])
    add("tiny p-value near 1e-12 (frequentist relative)", {"metric": "mean"},
        [control, shifted_to_t(control, simulate_mean(4000, 100.0, 10.0), -7.2)])
    add("tiny p-value, proportion, relative", {"metric": "proportion"},
        [simulate_proportion(20000, 0.10), simulate_proportion(20000, 0.1235)])
    control = simulate_mean(5000, 10.0, 1.0)
    add("very strong effect: p-value near 1e-130", {"metric": "mean", "effect": "absolute"},
        [control, shifted_to_t(control, simulate_mean(5000, 10.0, 1.0), 25.0)])
    add("very strong effect, sequential: p-value near 1e-125", {"metric": "mean", "method": "sequential"},
        [control, shifted_to_t(control, simulate_mean(5000, 10.0, 1.0), 25.0)])
    add("bayesian, a clear loss (expected loss large, chance tiny)", {"metric": "mean", "method": "bayesian"},
        [simulate_mean(3000, 10.0, 2.0), simulate_mean(3000, 9.7, 2.0)])
    add("bayesian, a clear win (expected loss needs the continued fraction)",
        {"metric": "mean", "method": "bayesian", "effect": "absolute"},
        [simulate_mean(3000, 10.0, 2.0), simulate_mean(3000, 10.5, 2.0)])
    add("two units per arm (df near 1-2)", {"metric": "mean", "effect": "absolute"},
        [simulate_mean(2, 5.0, 1.0), simulate_mean(2, 7.0, 3.0)])
    add("three units per arm, unequal spread", {"metric": "mean"},
        [simulate_mean(3, 5.0, 0.5), simulate_mean(3, 6.0, 2.0)])
    add("two and three units, bayesian", {"metric": "mean", "method": "bayesian", "effect": "absolute"},
        [simulate_mean(2, 5.0, 1.0), simulate_mean(3, 5.5, 1.0)])
    add("huge n: two million units per arm", {"metric": "mean"},
        [simulate_mean(2_000_000, 3.0, 1.5), simulate_mean(2_000_000, 3.003, 1.5)])
    add("huge n, sequential", {"metric": "mean", "method": "sequential", "effect": "absolute"},
        [simulate_mean(2_000_000, 3.0, 1.5), simulate_mean(2_000_000, 3.004, 1.5)])
    add("negative control mean, relative", {"metric": "mean"},
        [simulate_mean(1000, -4.0, 3.0), simulate_mean(1000, -3.6, 3.0)])
    add("ratio, decreasing is better, bayesian", {"metric": "ratio", "method": "bayesian",
                                                  "direction": "decrease"},
        [simulate_ratio(2500, 2.0, 0.3), simulate_ratio(2500, 2.0, 0.29)])
    add("proportion, alpha 0.01, sequential relative", {"metric": "proportion", "method": "sequential",
                                                        "alpha": 0.01},
        [simulate_proportion(30000, 0.05), simulate_proportion(30000, 0.056)])
    out.extend(huge_proportion_vectors())
    return out


def huge_proportion_vectors():
    """A billion units per arm: each arm's conversion count is a binomial draw, the exact
    distribution of the sum of per-unit 0/1 outcomes (a billion-element array would not fit);
    the moments of 0/1 data follow from the count alone."""
    out = []
    arms = [(1_000_000_000, 0.1), (1_000_000_000, 0.10003)]
    counts = [int(rng.binomial(n, p)) for n, p in arms]
    moments = []
    for (n, _), count in zip(arms, counts):
        mean = count / n
        moments.append({"n": n, "mean": mean, "s2": mean * (1 - mean), "v": mean * (1 - mean) / n})
    for method in ["frequentist", "bayesian", "sequential"]:
        request = {"metric": "proportion", "method": method,
                   "variants": [{"n": n, "sum": float(c)} for (n, _), c in zip(arms, counts)]}
        out.append({"name": f"huge n: a billion units per arm, proportion, {method}", "request": request,
                    "expected": reference_analyze(request, moments, None)})
    return out


# ---------------------------------------------------------------- SRM, corrections, sample size

def srm_vectors():
    out = []
    cases = [
        ("balanced, no mismatch", [5000, 5040], [0.5, 0.5]),
        ("balanced, a mismatch", [5000, 5300], [0.5, 0.5]),
        ("three arms, unequal weights", [2010, 3975, 4015], [0.2, 0.4, 0.4]),
        ("strong mismatch (p near 1e-40)", [50000, 52900], [0.5, 0.5]),
        ("five arms", [1000, 1012, 987, 1030, 960], [0.2, 0.2, 0.2, 0.2, 0.2]),
        ("a zero count", [0, 20], [0.5, 0.5]),
    ]
    # One from simulated assignment of 100000 units at 30/70.
    assigned = rng.random(100000) < 0.3
    cases.append(("simulated 30/70 assignment", [int(assigned.sum()), int((~assigned).sum())], [0.3, 0.7]))
    for name, counts, weights in cases:
        total = sum(counts)
        result = stats.chisquare(counts, [w * total for w in weights])
        out.append({"name": name, "request": {"counts": counts, "weights": weights},
                    "expected": {"chiSquare": f(result.statistic), "pValue": f(result.pvalue)}})
    return out


def holm(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted


def adjust_vectors():
    out = []
    families = [
        ("textbook family", [0.01, 0.04, 0.03, 0.005]),
        ("with ties and a 1", [0.02, 0.02, 0.5, 1.0, 0.001]),
        ("one p-value", [0.03]),
        ("tiny p-values", [1e-12, 3e-9, 0.2, 0.04]),
    ]
    families.append(("simulated p-values of 12 comparisons", [f(v) for v in rng.random(12) ** 3]))
    for name, p in families:
        out.append({"name": f"holm: {name}", "request": {"pValues": p, "method": "holm"},
                    "expected": {"adjusted": [f(v) for v in holm(p)]}})
        bh = stats.false_discovery_control(p, method="bh")
        out.append({"name": f"bh: {name}", "request": {"pValues": p, "method": "bh"},
                    "expected": {"adjusted": [f(v) for v in np.atleast_1d(bh)]}})
    return out


def sample_size_vectors():
    out = []
    cases = [
        {"metric": "proportion", "baseline": 0.1, "mde": 0.1, "alpha": 0.05, "power": 0.8},
        {"metric": "proportion", "baseline": 0.03, "mde": 0.05, "alpha": 0.05, "power": 0.9},
        {"metric": "proportion", "baseline": 0.5, "mde": -0.02, "alpha": 0.01, "power": 0.8},
        {"metric": "proportion", "baseline": 0.25, "mde": 0.2},
        {"metric": "mean", "baseline": 40.0, "standardDeviation": 25.0, "mde": 0.03, "alpha": 0.05, "power": 0.8},
        {"metric": "mean", "baseline": -2.0, "standardDeviation": 1.0, "mde": 0.1, "alpha": 0.1, "power": 0.95},
    ]
    for case in cases:
        alpha = case.get("alpha", 0.05)
        power = case.get("power", 0.8)
        z = stats.norm.isf(alpha / 2) + stats.norm.ppf(power)
        p0 = case["baseline"]
        p1 = p0 * (1 + case["mde"])
        if case["metric"] == "proportion":
            variance = p0 * (1 - p0) + p1 * (1 - p1)
        else:
            variance = 2 * case["standardDeviation"] ** 2
        n = z ** 2 * variance / (p1 - p0) ** 2
        out.append({"name": json.dumps(case), "request": case, "expected": {"nPerVariant": math.ceil(n)},
                    "unrounded": f(n)})
    return out


def main():
    vectors = {
        "specVersion": 1,
        "description": (
            "Reference values for the statistics engine, computed by statistics.py beside this file with "
            "SciPy's distributions (and mpmath for the normal linear loss), never with the code under test. "
            "functions: numeric functions, each with its relative tolerance. analyze/srm/adjust/sampleSize: "
            "request and expected response; compare with relative tolerance `tolerance.relative`, or "
            "absolute `tolerance.absolute` for expected values that small."
        ),
        "generator": {"script": "statistics.py", "python": platform.python_version(), "numpy": np.__version__,
                      "scipy": scipy.__version__, "mpmath": mpmath.__version__},
        "tolerance": {"relative": 1e-6, "absolute": 1e-12},
        "functions": function_vectors(),
        "analyze": analyze_vectors(),
        "srm": srm_vectors(),
        "adjust": adjust_vectors(),
        "sampleSize": sample_size_vectors(),
    }
    json.dump(vectors, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
