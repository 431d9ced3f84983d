/* W2SD peer in C + OpenMP: the same loop as toy-w2sd (W2SD-NOTES sections 2-4): Euler, the paper's
 * inversion, Karras schedule (sigma_max 80, sigma_min 0.002, rho 7), T = 50, lambda = T - 1, gamma = 1,
 * prior N(0, 80^2 I), on the 1D or 2D preset (strong and weak models; ideal only for the mode masses).
 *
 * Build: gcc -O3 -march=native -ffast-math -fopenmp -DMAXK=2 w2sd_omp.c -o w2sd_omp_1d -lm  (2d: -DMAXK=4)
 * (-ffast-math lets gcc call glibc's vectorised exp, libmvec, in the particle loop.)
 * Usage: w2sd_omp_1d 1d PARTICLES THREADS (w2sd_omp_2d 2d ...)  -> prints "kernel_seconds S" and "mass k M" lines.
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MAXK
#define MAXK 4 /* components per model: 2 for the 1D preset, 4 for the 2D one (-DMAXK=2) */
#endif
typedef struct { int k; double w[MAXK], mu[MAXK][2], var; } Mixture; /* isotropic components, variance var */
typedef struct { int k; double c[MAXK], mu[MAXK][2], p; } Noisy;     /* log-coefficients, means, precision */

static Noisy noisy(const Mixture *m, double sigma, int d) {
    Noisy n;
    double v = m->var + sigma * sigma;
    for (int c = 0; c < MAXK; c++) {
        n.c[c] = m->w[c] > 0 ? log(m->w[c]) - 0.5 * d * log(2 * M_PI * v) : -1e300; /* absent: weight 0 */
        n.mu[c][0] = m->mu[c][0]; n.mu[c][1] = m->mu[c][1];
    }
    n.k = MAXK; n.p = 1 / v;
    return n;
}

/* out = x + h s(x; sigma) for all particles (h < 0 inverts), with K = MAXK components in d = 1 or 2:
 * an absent component has log-coefficient -1e300, whose exp underflows to 0 through the clamp at -700
 * (the clamp also keeps glibc's vectorised exp off its slow underflow path). */
#define SCORE_LOOP(D)                                                                                  \
    for (long i = 0; i < n; i++) {                                                                     \
        double xi = x[D * i], yi = D == 2 ? x[D * i + 1] : 0, a[MAXK], gx[MAXK], gy[MAXK], top = -1e308; \
        _Pragma("GCC unroll 4") for (int c = 0; c < MAXK; c++) {                                       \
            double dx = m->mu[c][0] - xi, dy = D == 2 ? m->mu[c][1] - yi : 0;                          \
            gx[c] = p * dx; gy[c] = p * dy; a[c] = m->c[c] - 0.5 * (dx * gx[c] + dy * gy[c]);          \
            top = a[c] > top ? a[c] : top;                                                             \
        }                                                                                              \
        double s = 0, nx = 0, ny = 0;                                                                  \
        _Pragma("GCC unroll 4") for (int c = 0; c < MAXK; c++) {                                       \
            double t = a[c] - top; double e = exp(t > -700 ? t : -700);                                \
            s += e; nx += e * gx[c]; ny += e * gy[c];                                                  \
        }                                                                                              \
        out[D * i] = xi + h * nx / s;                                                                  \
        if (D == 2) out[D * i + 1] = yi + h * ny / s;                                                  \
    }

static void step1(double *restrict out, const double *restrict x, long n, const Noisy *m, double h) {
    const double p = m->p;
    #pragma omp parallel for simd schedule(static)
    SCORE_LOOP(1)
}

static void step2(double *restrict out, const double *restrict x, long n, const Noisy *m, double h) {
    const double p = m->p;
    #pragma omp parallel for simd schedule(static)
    SCORE_LOOP(2)
}

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: w2sd_omp 1d|2d PARTICLES THREADS\n"); return 2; }
    int d = strcmp(argv[1], "2d") == 0 ? 2 : 1;
    long n = atol(argv[2]);
    omp_set_num_threads(atoi(argv[3]));
    Mixture ideal, strong, weak;
    if ((d == 1) != (MAXK == 2)) { fprintf(stderr, "build with -DMAXK=2 for 1d, MAXK=4 for 2d\n"); return 2; }
#if MAXK == 2
    {
        Mixture i = {2, {0.5, 0.5}, {{-4, 0}, {4, 0}}, 0.64}, s = {2, {0.3, 0.7}, {{-4, 0}, {4, 0}}, 0.64},
                w = {2, {0.1, 0.9}, {{-4, 0}, {4, 0}}, 0.64};
        ideal = i; strong = s; weak = w;
    }
#else
    {
        Mixture i = {4, {0.25, 0.25, 0.25, 0.25}, {{-4, 4}, {4, 4}, {-4, -4}, {4, -4}}, 0.64},
                s = {4, {0.3, 0.3, 0.1, 0.3}, {{-4, 4}, {4, 4}, {-4, -4}, {4, -4}}, 0.64},
                w = {4, {1.0 / 3, 1.0 / 3, 0, 1.0 / 3}, {{-4, 4}, {4, 4}, {-4, -4}, {4, -4}}, 0.64};
        ideal = i; strong = s; weak = w;
    }
#endif
    const int T = 50;
    double sig[T + 1];
    double a = pow(80, 1 / 7.0), b = pow(0.002, 1 / 7.0);
    for (int i = 0; i < T; i++) sig[i] = pow(a + (double)i / (T - 1) * (b - a), 7);
    sig[T] = 0;
    double *x = malloc(sizeof(double) * n * d), *y = malloc(sizeof(double) * n * d);
    /* Prior N(0, 80^2 I) by Box-Muller from a per-index SplitMix64 stream (not timed). */
    for (long i = 0; i < n * d; i++) {
        uint64_t s = 0x5eed + (uint64_t)i * 0x632be59bd9b4e019ULL;
        double u1 = ((splitmix(&s) >> 11) + 0.5) * 0x1p-53, u2 = (splitmix(&s) >> 11) * 0x1p-53;
        x[i] = 80 * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    }
    double start = omp_get_wtime();
    for (int i = 0; i < T; i++) {
        double h = sig[i] * (sig[i] - sig[i + 1]);
        Noisy ns = noisy(&strong, sig[i], d), nw = noisy(&weak, sig[i], d);
        if (i < T - 1) {
            /* reflection: y = M_strong(x); x = y - h s_weak(y; sigma_i) */
            if (d == 1) { step1(y, x, n, &ns, h); step1(x, y, n, &nw, -h); }
            else { step2(y, x, n, &ns, h); step2(x, y, n, &nw, -h); }
        }
        if (d == 1) step1(y, x, n, &ns, h); else step2(y, x, n, &ns, h);
        double *t = x; x = y; y = t;
    }
    double seconds = omp_get_wtime() - start;
    /* nearest-mode masses against the ideal model (equal isotropic components: the nearest mean) */
    long counts[MAXK] = {0};
    for (long i = 0; i < n; i++) {
        int best = 0; double bd = INFINITY;
        for (int c = 0; c < ideal.k; c++) {
            double q = 0;
            for (int j = 0; j < d; j++) q += (x[i * d + j] - ideal.mu[c][j]) * (x[i * d + j] - ideal.mu[c][j]);
            if (q < bd) { bd = q; best = c; }
        }
        counts[best]++;
    }
    printf("kernel_seconds %.6f\n", seconds);
    for (int c = 0; c < ideal.k; c++) printf("mass %d %.4f\n", c, (double)counts[c] / n);
    free(x); free(y);
    return 0;
}
