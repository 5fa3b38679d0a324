/*
 * Conv2DBackpropInput for tfjs-backend-wasm, in WebAssembly SIMD, working in the backend's own memory.
 *
 * Paper: the gradient of a convolution with respect to its input (LeCun et al. 1989, "Backpropagation
 * applied to handwritten zip code recognition"); here in NHWC, dilation 1:
 *
 *   dx[b, y, x, c] = sum over p, q, o with y = i*sh + p - top, x = j*sw + q - left, 0 <= i < OH,
 *                    0 <= j < OW  of  dy[b, i, j, o] * W[p, q, c, o]
 *
 * Shapes: dy [B, OH, OW, O], W [KH, KW, C, O], dx [B, H, W, C], float32, row-major, each at a byte
 * offset into the one linear memory the module imports (tfjs-backend-wasm's heap); scratch holds
 * KH*KW*O*C + O floats (W with its channels swapped, then a row of O zeros).
 *
 * Direct, register-blocked gather: 4 output pixels of one row that share a column residue (x, x + sw,
 * x + 2sw, x + 3sw: for each tap they read 4 consecutive dy columns) x 8 input channels sit in 8 v128
 * accumulators; dy values are splatted, rows of the swapped filter are loaded as vectors. A pixel whose
 * dy column is outside dy reads the zero row, so the block needs no branch. Channel blocks are the
 * outer loop so that one block's filter rows stay in cache while every pixel passes. Every dx value is
 * written once. No linear-memory stack and no data segment (the build script checks both).
 */
#include <wasm_simd128.h>

typedef unsigned int u32;

#define INLINE static inline __attribute__((always_inline))

/* dy row of tap (p, q) for pixel m of the block at (bb, y, x0), or the zero row. */
INLINE const float *dy_row(const float *dy, const float *zero, int bb, int i, int j, int oh, int ow,
                           int o, int valid) {
  return valid && j >= 0 && j < ow ? dy + ((bb * oh + i) * ow + j) * o : zero;
}

#define DEFINE_BLOCK(NV)                                                                              \
  INLINE void block_##NV(const float *dy, const float *wt, const float *zero, float *dx, int bb,     \
                         int y, int x0, int np, int c0, int h, int w, int c, int oh, int ow, int o,  \
                         int kh, int kw, int sh, int sw, int top, int left) {                         \
    v128_t acc[4][NV];                                                                                \
    for (int m = 0; m < 4; m++)                                                                       \
      for (int v = 0; v < NV; v++) acc[m][v] = wasm_f32x4_splat(0.0f);                                \
    for (int p = 0; p < kh; p++) {                                                                    \
      int t = y + top - p;                                                                            \
      if (t < 0 || t % sh != 0) continue;                                                             \
      int i = t / sh;                                                                                 \
      if (i >= oh) continue;                                                                          \
      for (int q = 0; q < kw; q++) {                                                                  \
        int u = x0 + left - q;                                                                        \
        int um = ((u % sw) + sw) % sw;                                                                \
        if (um != 0) continue;                                                                        \
        int j0 = (u - um) / sw;                                                                       \
        const float *r0 = dy_row(dy, zero, bb, i, j0, oh, ow, o, 1);                                  \
        const float *r1 = dy_row(dy, zero, bb, i, j0 + 1, oh, ow, o, np > 1);                         \
        const float *r2 = dy_row(dy, zero, bb, i, j0 + 2, oh, ow, o, np > 2);                         \
        const float *r3 = dy_row(dy, zero, bb, i, j0 + 3, oh, ow, o, np > 3);                         \
        const float *wv = wt + (p * kw + q) * o * c + c0;                                             \
        for (int oo = 0; oo < o; oo++) {                                                              \
          v128_t f[NV];                                                                               \
          for (int v = 0; v < NV; v++) f[v] = wasm_v128_load(wv + 4 * v);                             \
          v128_t d0 = wasm_v128_load32_splat(r0 + oo);                                                \
          v128_t d1 = wasm_v128_load32_splat(r1 + oo);                                                \
          v128_t d2 = wasm_v128_load32_splat(r2 + oo);                                                \
          v128_t d3 = wasm_v128_load32_splat(r3 + oo);                                                \
          for (int v = 0; v < NV; v++) {                                                              \
            acc[0][v] = wasm_f32x4_add(acc[0][v], wasm_f32x4_mul(d0, f[v]));                          \
            acc[1][v] = wasm_f32x4_add(acc[1][v], wasm_f32x4_mul(d1, f[v]));                          \
            acc[2][v] = wasm_f32x4_add(acc[2][v], wasm_f32x4_mul(d2, f[v]));                          \
            acc[3][v] = wasm_f32x4_add(acc[3][v], wasm_f32x4_mul(d3, f[v]));                          \
          }                                                                                           \
          wv += c;                                                                                    \
        }                                                                                             \
      }                                                                                               \
    }                                                                                                 \
    /* Constant indices only (a runtime index would put acc in linear memory). */                   \
    float *out = dx + ((bb * h + y) * w + x0) * c + c0;                                               \
    for (int v = 0; v < NV; v++) wasm_v128_store(out + 4 * v, acc[0][v]);                             \
    if (np > 1)                                                                                       \
      for (int v = 0; v < NV; v++) wasm_v128_store(out + sw * c + 4 * v, acc[1][v]);                  \
    if (np > 2)                                                                                       \
      for (int v = 0; v < NV; v++) wasm_v128_store(out + 2 * sw * c + 4 * v, acc[2][v]);              \
    if (np > 3)                                                                                       \
      for (int v = 0; v < NV; v++) wasm_v128_store(out + 3 * sw * c + 4 * v, acc[3][v]);              \
  }

DEFINE_BLOCK(2)
DEFINE_BLOCK(1)

/* Channels c0 .. c-1 (fewer than 4) of one pixel, scalar, from W in its own layout. */
INLINE void pixel_scalar(const float *dy, const float *wgt, float *dx, int bb, int y, int x, int c0,
                         int h, int w, int c, int oh, int ow, int o, int kh, int kw, int sh, int sw,
                         int top, int left) {
  for (int cc = c0; cc < c; cc++) {
    float sum = 0.0f;
    for (int p = 0; p < kh; p++) {
      int t = y + top - p;
      if (t < 0 || t % sh != 0 || t / sh >= oh) continue;
      for (int q = 0; q < kw; q++) {
        int u = x + left - q;
        if (u < 0 || u % sw != 0 || u / sw >= ow) continue;
        const float *d = dy + ((bb * oh + t / sh) * ow + u / sw) * o;
        const float *f = wgt + ((p * kw + q) * c + cc) * o;
        for (int oo = 0; oo < o; oo++) sum += d[oo] * f[oo];
      }
    }
    dx[((bb * h + y) * w + x) * c + cc] = sum;
  }
}

__attribute__((export_name("conv2d_backprop_input"))) void conv2d_backprop_input(
    u32 dy_at, u32 w_at, u32 scratch_at, u32 dx_at, int b, int h, int w, int c, int oh, int ow, int o,
    int kh, int kw, int sh, int sw, int top, int left) {
  const float *dy = (const float *)dy_at;
  const float *wgt = (const float *)w_at;
  float *wt = (float *)scratch_at;
  float *dx = (float *)dx_at;
  for (int pq = 0; pq < kh * kw; pq++)
    for (int cc = 0; cc < c; cc++)
      for (int oo = 0; oo < o; oo++) wt[(pq * o + oo) * c + cc] = wgt[(pq * c + cc) * o + oo];
  float *zero = wt + kh * kw * o * c;
  for (int oo = 0; oo < o; oo++) zero[oo] = 0.0f;

  /* Every pixel of the image, in blocks of up to 4 that share a column residue mod sw. */
#define EACH_BLOCK(CALL)                                        \
  for (int bb = 0; bb < b; bb++)                                \
    for (int y = 0; y < h; y++)                                 \
      for (int r = 0; r < sw && r < w; r++)                     \
        for (int x0 = r; x0 < w; x0 += 4 * sw) {                \
          int np = (w - x0 + sw - 1) / sw;                      \
          if (np > 4) np = 4;                                   \
          CALL(dy, wt, zero, dx, bb, y, x0, np, c0, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left); \
        }
  int c0 = 0;
  for (; c0 + 8 <= c; c0 += 8) EACH_BLOCK(block_2)
  if (c0 + 4 <= c) {
    EACH_BLOCK(block_1)
    c0 += 4;
  }
  if (c0 < c) {
    for (int bb = 0; bb < b; bb++)
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          pixel_scalar(dy, wgt, dx, bb, y, x, c0, h, w, c, oh, ow, o, kh, kw, sh, sw, top, left);
  }
}
