// The native counterpart of scripts/exp/peak.ts, one thread: the same GEMM micro-kernel (MR rows × 8 or 32
// columns of C in registers, A splatted, B loaded, operands in L1) in 128-bit SSE (mul + add, what
// WebAssembly SIMD maps to on x86) and in 512-bit AVX-512 with FMA (what oneDNN uses on this CPU).
// gcc -O2 -march=native -o /tmp/peak scripts/exp/peak.c && /tmp/peak
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#define K 256
static float A[K * 6] __attribute__((aligned(64)));
static float B[K * 32] __attribute__((aligned(64)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

// 6×8 with 128-bit vectors: 12 accumulators, mul then add (no FMA).
static float sse6x8(long reps) {
  __m128 c[6][2];
  for (int r = 0; r < 6; r++) c[r][0] = c[r][1] = _mm_setzero_ps();
  for (long rep = 0; rep < reps; rep++)
    for (int k = 0; k < K; k++) {
      __m128 b0 = _mm_load_ps(B + 8 * k), b1 = _mm_load_ps(B + 8 * k + 4);
      for (int r = 0; r < 6; r++) {
        __m128 a = _mm_set1_ps(A[6 * k + r]);
        c[r][0] = _mm_add_ps(c[r][0], _mm_mul_ps(a, b0));
        c[r][1] = _mm_add_ps(c[r][1], _mm_mul_ps(a, b1));
      }
    }
  __m128 s = _mm_setzero_ps();
  for (int r = 0; r < 6; r++) s = _mm_add_ps(s, _mm_add_ps(c[r][0], c[r][1]));
  return _mm_cvtss_f32(s);
}

// 6×32 with 512-bit vectors and FMA: 12 accumulators.
static float avx512fma6x32(long reps) {
  __m512 c[6][2];
  for (int r = 0; r < 6; r++) c[r][0] = c[r][1] = _mm512_setzero_ps();
  for (long rep = 0; rep < reps; rep++)
    for (int k = 0; k < K; k++) {
      __m512 b0 = _mm512_load_ps(B + 32 * (k % 8)), b1 = _mm512_load_ps(B + 32 * (k % 8) + 16);
      for (int r = 0; r < 6; r++) {
        __m512 a = _mm512_set1_ps(A[6 * k + r]);
        c[r][0] = _mm512_fmadd_ps(a, b0, c[r][0]);
        c[r][1] = _mm512_fmadd_ps(a, b1, c[r][1]);
      }
    }
  __m512 s = _mm512_setzero_ps();
  for (int r = 0; r < 6; r++) s = _mm512_add_ps(s, _mm512_add_ps(c[r][0], c[r][1]));
  return _mm512_reduce_add_ps(s);
}

int main(void) {
  for (int i = 0; i < K * 6; i++) A[i] = 1e-3f * (i % 7 - 3);
  for (int i = 0; i < K * 32; i++) B[i] = 1e-3f * (i % 5 - 2);
  long reps = 40000;
  double best1 = 0, best2 = 0, sink = 0;
  for (int t = 0; t < 5; t++) {
    double t0 = now();
    sink += sse6x8(reps);
    double g = 2.0 * 6 * 8 * K * reps / (now() - t0) / 1e9;
    if (g > best1) best1 = g;
    t0 = now();
    sink += avx512fma6x32(reps);
    g = 2.0 * 6 * 32 * K * reps / (now() - t0) / 1e9;
    if (g > best2) best2 = g;
  }
  printf("native 6x8 SSE mul + add, 1 thread: %.1f GFLOP/s\n", best1);
  printf("native 6x32 AVX-512 FMA, 1 thread: %.1f GFLOP/s\n", best2);
  return sink == 12345.0;
}
