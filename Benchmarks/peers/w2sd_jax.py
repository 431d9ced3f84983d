"""W2SD peer in JAX (jit, CPU): the same loop as toy-w2sd (Euler, paper inversion, T = 50 Karras, lambda = 49,
gamma = 1, prior N(0, 80^2 I)) on the 1D or 2D preset; the whole 50-step loop is one jitted lax.fori_loop (the reflection is computed at the last step too and discarded by a select: 150 score evaluations per particle instead of 148).
Timed after a warm-up call (compilation excluded). Threads: XLA's CPU backend uses the process's cores;
THREADS is passed to XLA as --xla_cpu_multi_thread_eigen and intra-op parallelism where honoured.

Usage: python3 w2sd_jax.py 1d|2d PARTICLES THREADS -> "kernel_seconds S" and "mass k M" lines.
"""
import os
import sys
import time

threads = int(sys.argv[3])
os.environ.setdefault("XLA_FLAGS", f"--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={threads}")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_enable_x64", True)
from w2sd_numpy import PRESETS, VARIANCE, sigmas  # noqa: E402


def main():
    d = 2 if sys.argv[1] == "2d" else 1
    n = int(sys.argv[2])
    p = PRESETS[d]
    means = jnp.array(p["means"])
    s = jnp.array(sigmas())
    logw = {k: jnp.where(jnp.array(p[k]) > 0, jnp.log(jnp.maximum(jnp.array(p[k]), 1e-300)), -jnp.inf) for k in ("strong", "weak")}

    def score(x, lw, sigma):
        v = VARIANCE + sigma * sigma
        diff = means[:, None, :] - x[None, :, :]
        a = lw[:, None] - 0.5 * jnp.sum(diff * diff, axis=2) / v
        r = jax.nn.softmax(a, axis=0)
        return jnp.einsum("kn,knd->nd", r, diff) / v

    @jax.jit
    def run(x):
        def body(i, x):
            h = s[i] * (s[i] - s[i + 1])
            y = x + h * score(x, logw["strong"], s[i])
            reflected = y - h * score(y, logw["weak"], s[i])
            x = jnp.where(i < 49, reflected, x)
            return x + h * score(x, logw["strong"], s[i])
        return jax.lax.fori_loop(0, 50, body, x)

    x = jax.random.normal(jax.random.PRNGKey(0), (n, d), dtype=jnp.float64) * 80
    run(x).block_until_ready()  # compile
    start = time.perf_counter()
    final = run(x).block_until_ready()
    seconds = time.perf_counter() - start
    nearest = jnp.argmin(jnp.sum((final[:, None, :] - means[None]) ** 2, axis=2), axis=1)
    print(f"kernel_seconds {seconds:.6f}")
    for k in range(len(means)):
        print(f"mass {k} {float(jnp.mean(nearest == k)):.4f}")


if __name__ == "__main__":
    main()
