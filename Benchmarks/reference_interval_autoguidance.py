#!/usr/bin/env python3
"""An independent NumPy reference for autoguidance with a guidance interval on the 1D preset.

Written from W2SD-NOTES (not from the Swift sources): the variance-exploding noise process
p(x; sigma) = p * N(0, sigma^2), so a mixture stays a mixture with variances v_k + sigma^2; the exact
score by log-sum-exp; the Karras schedule (sigma_max 80, sigma_min 0.002, rho 7) with sigma_T = 0; the
Euler step x <- x + h_i s(x; sigma_i), h_i = sigma_i (sigma_i - sigma_{i+1}) (Heun as EDM's trapezoid,
plain Euler on the last step); the prior N(0, sigma_max^2).

Guidance in a limited interval (Kynkaanniemi et al. 2024): step i is guided iff LO <= sigma_i <= HI (its
starting noise level, both ends included), with the autoguided score s_w + w (s_s - s_w) (two mixture
evaluations per stage); otherwise it takes the strong score s_s alone (one). The choice is made once per
step, so with Heun both stages of a guided step are guided.

Models (the 1D preset, modes -4 and +4, std 0.8): ideal 0.5 / 0.5, strong 0.3 / 0.7, weak 0.1 / 0.9,
or with --missing-left weak 0 / 1 (the left component absent).

W1 to the ideal is exact for the sample: W1 = int |F_n(x) - F(x)| dx, with F the ideal mixture CDF,
integrated in closed form between consecutive order statistics (G(x) = int F = sum_k w_k s_k (z Phi(z) +
phi(z)), split at the crossing F(x*) = i/n found by bisection). The W1 of an exact i.i.d. ideal sample of
the same size is printed beside it as the finite-sample floor.

The sampler is a deterministic map of the prior draw, so the population W1 (infinitely many particles)
is also computed without sampling noise: the prior's quantiles x0_j = sigma_max Phi^-1((j + 1/2) / N) on a
grid of N = 2,000,000 levels are sampled, sorted (the quantile function of the output), and compared with
the ideal quantile function at the same levels: W1 = mean_j |Q_out(u_j) - Q_ideal(u_j)|.

Prior draws: NumPy's generator (default; an independent sample), or with --prior toy-streams the draws
toy-w2sd makes (particle i: stream i of the seed, xoshiro256** seeded through SplitMix64, Box-Muller; as
documented in Sources/Toy/Random/SeededGenerator.swift), so that the two runs can be compared particle by
particle and differ only by the sampling computation.

Usage:
  python3 Benchmarks/reference_interval_autoguidance.py [--missing-left] [--guidance 2.25]
      [--interval 7.3:80] [--steps 36] [--samples 100000] [--seed 0] [--solver euler|heun]
      [--prior numpy|toy-streams] [--population] [--toy .build/release/toy-w2sd]
With --toy, the same configuration is run by toy-w2sd (its samples exported to a temporary CSV) and both
W1 values, both evaluation counts and the two-sample W1 between the two sample sets are printed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.special import erf, logsumexp

MEANS = np.array([-4.0, 4.0])
STD = 0.8


def karras(steps, sigma_max=80.0, sigma_min=0.002, rho=7.0):
    i = np.arange(steps)
    a, b = sigma_max ** (1 / rho), sigma_min ** (1 / rho)
    return np.append((a + i / (steps - 1) * (b - a)) ** rho, 0.0)


def score(x, weights, sigma):
    """Exact score of sum_k w_k N(mu_k, STD^2 + sigma^2) at x (components of weight 0 are absent)."""
    keep = weights > 0
    w, mu = weights[keep], MEANS[keep]
    var = STD ** 2 + sigma ** 2
    d = mu[None, :] - x[:, None]
    logs = np.log(w)[None, :] - 0.5 * d ** 2 / var - 0.5 * np.log(2 * np.pi * var)
    r = np.exp(logs - logsumexp(logs, axis=1, keepdims=True))
    return (r * d).sum(axis=1) / var


def toy_stream_normals(seed, n):
    """The first normal variate of streams 0 ..< n of `seed`, as toy-w2sd draws its prior."""
    m = np.uint64

    def mix(z):
        z = (z ^ (z >> m(30))) * m(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> m(27))) * m(0x94D049BB133111EB)
        return z ^ (z >> m(31))

    with np.errstate(over="ignore"):
        state = mix(m(seed) ^ mix(np.arange(n, dtype=np.uint64) + m(0x632BE59BD9B4E019)))
        s = []
        for _ in range(4):
            state = state + m(0x9E3779B97F4A7C15)
            s.append(mix(state))

        def nxt():
            s0, s1, s2, s3 = s
            r = ((s1 * m(5)) << m(7) | (s1 * m(5)) >> m(57)) * m(9)
            t = s1 << m(17)
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
            s3 = (s3 << m(45)) | (s3 >> m(19))
            s[:] = [s0, s1, s2, s3]
            return r

        u1 = ((nxt() >> m(11)) + m(1)).astype(float) * 2.0 ** -53
        u2 = ((nxt() >> m(11)) + m(1)).astype(float) * 2.0 ** -53
    return np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)


def ideal_quantiles(u, weights):
    lo, hi = np.full_like(u, -60.0), np.full_like(u, 60.0)
    for _ in range(90):
        mid = 0.5 * (lo + hi)
        below = mixture_cdf(mid, weights) < u
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def population_w1(args, levels=2_000_000):
    from scipy.special import ndtri
    u = (np.arange(levels) + 0.5) / levels
    out = np.concatenate([sample(args, 80.0 * ndtri(part))[0] for part in np.array_split(u, 20)])
    ideal = np.array([0.5, 0.5])
    return float(np.mean(np.abs(np.sort(out) - ideal_quantiles(u, ideal))))


def sample(args, start):
    ideal = np.array([0.5, 0.5])
    strong = np.array([0.3, 0.7])
    weak = np.array([0.0, 1.0]) if args.missing_left else np.array([0.1, 0.9])
    lo, hi = args.interval
    sigmas = karras(args.steps)
    x = np.array(start, dtype=float)
    evaluations = 0  # per particle

    def field(guided):
        def f(y, sigma):
            if guided:
                s_w = score(y, weak, sigma)
                return s_w + args.guidance * (score(y, strong, sigma) - s_w), 2
            return score(y, strong, sigma), 1
        return f

    guided_steps = []
    for i in range(args.steps):
        sigma, nxt = sigmas[i], sigmas[i + 1]
        guided = lo <= sigma <= hi
        if guided:
            guided_steps.append(i)
        f = field(guided)
        s, cost = f(x, sigma)
        evaluations += cost
        h = sigma * (sigma - nxt)
        if args.solver == "euler" or nxt == 0:
            x = x + h * s
        else:
            xe = x + h * s
            s2, cost = f(xe, nxt)
            evaluations += cost
            x = x + 0.5 * (sigma - nxt) * (sigma * s + nxt * s2)
    return x, evaluations, guided_steps, sigmas, ideal


def mixture_cdf(x, weights):
    z = (x[:, None] - MEANS[None, :]) / STD
    return (weights[None, :] * 0.5 * (1 + erf(z / np.sqrt(2)))).sum(axis=1)


def mixture_cdf_integral(x, weights):
    """G(x) = int_{-inf}^x F = sum_k w_k s (z Phi(z) + phi(z))."""
    z = (x[:, None] - MEANS[None, :]) / STD
    phi = np.exp(-0.5 * z ** 2) / np.sqrt(2 * np.pi)
    big_phi = 0.5 * (1 + erf(z / np.sqrt(2)))
    return (weights[None, :] * STD * (z * big_phi + phi)).sum(axis=1)


def w1_to_mixture(samples, weights):
    """int |F_n - F| dx exactly (closed form per interval between order statistics)."""
    x = np.sort(samples)
    n = len(x)
    G = lambda t: mixture_cdf_integral(np.asarray(t, dtype=float), weights)
    total = G(x[:1])[0]  # (-inf, x_1]: F_n = 0
    # [x_n, inf): F_n = 1; int (1 - F) = lim (t - G(t)) - (x_n - G(x_n)); with t far right, t - G(t) -> const
    far = x[-1] + 60 * STD + 60
    total += (far - G([far])[0]) - (x[-1] - G(x[-1:])[0])
    a, b = x[:-1], x[1:]
    c = np.arange(1, n) / n
    Fa, Fb = mixture_cdf(a, weights), mixture_cdf(b, weights)
    Ga, Gb = G(a), G(b)
    # No crossing: |int_a^b (F - c)|.
    plain = np.abs(Gb - Ga - c * (b - a))
    cross = (Fa < c) & (Fb > c)
    if cross.any():
        lo_, hi_, cc = a[cross].copy(), b[cross].copy(), c[cross]
        for _ in range(80):
            mid = 0.5 * (lo_ + hi_)
            below = mixture_cdf(mid, weights) < cc
            lo_ = np.where(below, mid, lo_)
            hi_ = np.where(below, hi_, mid)
        xs = 0.5 * (lo_ + hi_)
        Gs = G(xs)
        left = np.abs(Gs - Ga[cross] - cc * (xs - a[cross]))
        right = np.abs(Gb[cross] - Gs - cc * (b[cross] - xs))
        plain[cross] = left + right
    return total + plain.sum()


def two_sample_w1(a, b):
    """W1 between two equal-size samples: the mean of |sorted a - sorted b|."""
    return float(np.mean(np.abs(np.sort(a) - np.sort(b))))


def exact_ideal(n, rng, weights):
    left = rng.random(n) < weights[0]
    return np.where(left, MEANS[0], MEANS[1]) + STD * rng.standard_normal(n)


def run_toy(args):
    with tempfile.TemporaryDirectory() as tmp:
        csv, report = os.path.join(tmp, "samples.csv"), os.path.join(tmp, "report.json")
        command = [args.toy, "1d", "--methods", "autoguidance", "--guidance", repr(args.guidance),
                   "--guidance-interval", f"{args.interval[0]!r}:{args.interval[1]!r}", "--steps", str(args.steps),
                   "--samples", str(args.samples), "--seed", str(args.seed), "--solver", args.solver,
                   "--samples-out", csv, "--json", report]
        if args.missing_left:
            command.insert(2, "--missing-left")
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"toy-w2sd failed (status {done.returncode}): {done.stderr.strip()}")
        values = np.loadtxt(csv, delimiter=",", skiprows=1, usecols=-1)
        with open(report) as f:
            doc = json.load(f)
    return values, doc


def find_number(doc, key):
    """The first value of `key` anywhere in a JSON document (None when absent)."""
    if isinstance(doc, dict):
        if key in doc and isinstance(doc[key], (int, float)):
            return doc[key]
        children = doc.values()
    elif isinstance(doc, list):
        children = doc
    else:
        return None
    for child in children:
        found = find_number(child, key)
        if found is not None:
            return found
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--missing-left", action="store_true")
    p.add_argument("--guidance", type=float, default=2.25)
    p.add_argument("--interval", type=lambda t: tuple(float(v) for v in t.split(":")), default=(7.3, 80.0))
    p.add_argument("--steps", type=int, default=36)
    p.add_argument("--samples", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--solver", choices=["euler", "heun"], default="euler")
    p.add_argument("--prior", choices=["numpy", "toy-streams"], default="numpy")
    p.add_argument("--population", action="store_true", help="also the population W1 (2,000,000 quantile levels)")
    p.add_argument("--toy", help="a toy-w2sd binary to run the same configuration with")
    args = p.parse_args()

    rng = np.random.default_rng(args.seed)
    start = toy_stream_normals(args.seed, args.samples) * 80.0 if args.prior == "toy-streams" else rng.standard_normal(args.samples) * 80.0
    x, evaluations, guided, sigmas, ideal = sample(args, start)
    print(f"configuration: 1d{' --missing-left' if args.missing_left else ''}, autoguidance w = {args.guidance}, "
          f"interval [{args.interval[0]}, {args.interval[1]}], T = {args.steps}, {args.solver}, {args.samples} particles")
    print(f"guided steps: {guided[0]}...{guided[-1]} ({len(guided)} of {args.steps})" if guided else "guided steps: none")
    for i in sorted({0, *(guided[-1:] if guided else []), *([guided[-1] + 1] if guided and guided[-1] + 1 < args.steps else [])}):
        print(f"  sigma_{i} = {sigmas[i]:.6g}")
    print(f"reference evaluations per particle: {evaluations}")
    w1 = w1_to_mixture(x, ideal)
    floor = w1_to_mixture(exact_ideal(args.samples, np.random.default_rng(args.seed + 1), ideal), ideal)
    print(f"reference W1 to ideal: {w1:.4f}   (exact ideal sample of the same size: {floor:.4f})")
    print(f"reference left mass (x < 0): {np.mean(x < 0):.4f}")
    if args.population:
        print(f"population W1 to ideal (no sampling noise): {population_w1(args):.4f}")
    if args.toy:
        y, doc = run_toy(args)
        toy_w1 = w1_to_mixture(y, ideal)
        print(f"toy-w2sd evaluations per particle: {find_number(doc, 'evaluationsPerParticle')}")
        print(f"toy-w2sd W1 to ideal: {toy_w1:.4f} (by this script's exact W1; toy-w2sd reports {find_number(doc, 'wasserstein1'):.4f})")
        print(f"toy-w2sd left mass (x < 0): {np.mean(y < 0):.4f}")
        print(f"|W1 toy - W1 reference| = {abs(toy_w1 - w1):.4f}; two-sample W1(toy, reference) = {two_sample_w1(x, y):.4f}")
        if args.prior == "toy-streams":
            print(f"same prior draws: max |x_toy - x_reference| over particles = {np.max(np.abs(x - y)):.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
