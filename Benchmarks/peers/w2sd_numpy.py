"""W2SD peer in NumPy: the same loop as toy-w2sd (W2SD-NOTES sections 2-4): Euler, the paper's inversion,
Karras schedule (80, 0.002, rho 7), T = 50, lambda = T - 1, gamma = 1, prior N(0, 80^2 I), on the 1D or 2D
preset. Tuned: in-place ufuncs on preallocated buffers, the particles split into one contiguous block per
thread (NumPy's ufuncs release the GIL, so the blocks run in parallel).

Usage: python3 w2sd_numpy.py 1d|2d PARTICLES THREADS -> "kernel_seconds S" and "mass k M" lines.
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

PRESETS = {
    1: dict(means=np.array([[-4.0], [4.0]]), ideal=[0.5, 0.5], strong=[0.3, 0.7], weak=[0.1, 0.9]),
    2: dict(means=np.array([[-4.0, 4.0], [4.0, 4.0], [-4.0, -4.0], [4.0, -4.0]]), ideal=[0.25] * 4,
            strong=[0.3, 0.3, 0.1, 0.3], weak=[1 / 3, 1 / 3, 0.0, 1 / 3]),
}
VARIANCE = 0.64


def sigmas(steps=50, smax=80.0, smin=0.002, rho=7.0):
    i = np.arange(steps)
    s = (smax ** (1 / rho) + i / (steps - 1) * (smin ** (1 / rho) - smax ** (1 / rho))) ** rho
    return np.append(s, 0.0)


class Block:
    """Buffers for one block of particles, reused by every step."""

    def __init__(self, x, k):
        n, d = x.shape
        self.x, self.y = x, np.empty_like(x)
        self.diff = np.empty((k, n, d))
        self.a = np.empty((k, n))
        self.top = np.empty(n)
        self.s = np.empty(n)
        self.num = np.empty((n, d))

    def step(self, out, x, means, logc, precision, h):
        """out = x + h s(x; sigma) (h < 0: the paper's inversion of the weak model)."""
        np.subtract(means[:, None, :], x[None, :, :], out=self.diff)          # mu_k - x
        np.einsum("knd,knd->kn", self.diff, self.diff, out=self.a)
        np.multiply(self.a, -0.5 * precision, out=self.a)
        self.a += logc[:, None]
        np.max(self.a, axis=0, out=self.top)
        self.a -= self.top
        np.exp(self.a, out=self.a)                                            # responsibilities (unnormalised)
        np.sum(self.a, axis=0, out=self.s)
        np.einsum("kn,knd->nd", self.a, self.diff, out=self.num)
        self.num *= (h * precision) / self.s[:, None]
        np.add(x, self.num, out=out)


def noisy(weights, d, sigma):
    v = VARIANCE + sigma * sigma
    w = np.array(weights)
    with np.errstate(divide="ignore"):
        logc = np.where(w > 0, np.log(np.where(w > 0, w, 1)) - 0.5 * d * np.log(2 * np.pi * v), -np.inf)
    return logc, 1.0 / v


def main():
    d = 2 if sys.argv[1] == "2d" else 1
    n, threads = int(sys.argv[2]), int(sys.argv[3])
    p = PRESETS[d]
    means = p["means"]
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 80.0, size=(n, d))
    blocks = [Block(part, len(means)) for part in np.array_split(x, threads)]
    s = sigmas()
    start = time.perf_counter()

    def run(block):
        for i in range(50):
            h = s[i] * (s[i] - s[i + 1])
            ls, ps = noisy(p["strong"], d, s[i])
            if i < 49:
                lw, pw = noisy(p["weak"], d, s[i])
                block.step(block.y, block.x, means, ls, ps, h)
                block.step(block.x, block.y, means, lw, pw, -h)
            block.step(block.y, block.x, means, ls, ps, h)
            block.x, block.y = block.y, block.x

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, blocks))
    seconds = time.perf_counter() - start
    final = np.concatenate([b.x for b in blocks])
    nearest = np.argmin(((final[:, None, :] - means[None, :, :]) ** 2).sum(axis=2), axis=1)
    print(f"kernel_seconds {seconds:.6f}")
    for k in range(len(means)):
        print(f"mass {k} {np.mean(nearest == k):.4f}")


if __name__ == "__main__":
    main()
