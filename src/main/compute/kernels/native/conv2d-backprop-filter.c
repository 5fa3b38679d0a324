/*
 * Conv2DBackpropFilter for tfjs-backend-wasm, in WebAssembly SIMD, working in the backend's own memory.
 *
 * Paper: the gradient of a convolution with respect to its filter (LeCun et al. 1989, "Backpropagation
 * applied to handwritten zip code recognition"); here in NHWC, dilation 1:
 *
 *   dW[p, q, c, o] = sum over b, i, j of  x[b, i*sh + p - top, j*sw + q - left, c] * dy[b, i, j, o]
 *
 * Shapes: x [B, H, W, C], dy [B, OH, OW, O], dW [KH, KW, C, O], all float32, row-major, each at a byte
 * offset into the one linear memory the module imports (tfjs-backend-wasm's heap). Taps reading outside
 * the image (padding) contribute zero.
 *
 * Direct, register-blocked, no packing: for each tap (p, q), dW[p, q] (C x O) is the sum over output
 * pixels k of the outer product x_row(k, p, q) (C) x dy_row(k) (O). A block of CB input channels x 8
 * output channels is held in 2*CB v128 accumulators; x values are splatted, dy rows are loaded as
 * vectors. Output pixels are walked in chunks of whole output rows (about ROWS_PER_CHUNK pixels) so the
 * chunk's dy rows and the x rows its taps read stay in cache while every tap and block passes over them;
 * the accumulators live in dW between chunks. dW is zeroed first.
 *
 * The function uses no linear-memory stack and no data segment (the build script checks both), so it
 * never writes outside dW.
 */
#include <wasm_simd128.h>

typedef unsigned int u32;

#define INLINE static inline __attribute__((always_inline))

/* Output pixels per chunk: enough to amortise loading and storing the accumulators. */
#define PIXELS_PER_CHUNK 64

/* Valid output columns [j0, j1) of tap column q: input column j*sw + q - left inside [0, w). */
INLINE void column_range(int ow, int w, int sw, int q, int left, int *j0, int *j1) {
  int lo = left - q;
  int a = lo <= 0 ? 0 : (lo + sw - 1) / sw;
  int hi = w - 1 - q + left; /* j*sw <= hi */
  int b = hi < 0 ? 0 : hi / sw + 1;
  if (a > ow) a = ow;
  if (b > ow) b = ow;
  if (b < a) b = a;
  *j0 = a;
  *j1 = b;
}

/*
 * One block: CB input channels (1..4) x NV vectors of 4 output channels (1 or 2), over the rows
 * [r0, r1) of the chunk (row index r = b*OH + i). acc lives at dw (row stride o floats).
 */
#define DEFINE_BLOCK(CB, NV)                                                                          \
  INLINE void block_##CB##_##NV(const float *x, const float *dy, float *dw, int r0, int r1, int oh,   \
                                int h, int w, int c, int ow, int o, int sh, int sw, int p, int top,  \
                                int j0, int j1, int xcol0) {                                          \
    v128_t acc[CB][NV];                                                                               \
    for (int cc = 0; cc < CB; cc++)                                                                   \
      for (int v = 0; v < NV; v++) acc[cc][v] = wasm_v128_load(dw + cc * o + 4 * v);                  \
    for (int r = r0; r < r1; r++) {                                                                   \
      int bb = r / oh, i = r - bb * oh;                                                               \
      int hh = i * sh + p - top;                                                                      \
      if (hh < 0 || hh >= h) continue;                                                                \
      const float *xr = x + ((bb * h + hh) * w + xcol0 + j0 * sw) * c;                                \
      const float *dr = dy + (r * ow + j0) * o;                                                       \
      for (int j = j0; j < j1; j++) {                                                                 \
        v128_t d[NV];                                                                                 \
        for (int v = 0; v < NV; v++) d[v] = wasm_v128_load(dr + 4 * v);                               \
        for (int cc = 0; cc < CB; cc++) {                                                             \
          v128_t s = wasm_v128_load32_splat(xr + cc);                                                 \
          for (int v = 0; v < NV; v++) acc[cc][v] = wasm_f32x4_add(acc[cc][v], wasm_f32x4_mul(s, d[v])); \
        }                                                                                             \
        xr += sw * c;                                                                                 \
        dr += o;                                                                                      \
      }                                                                                               \
    }                                                                                                 \
    for (int cc = 0; cc < CB; cc++)                                                                   \
      for (int v = 0; v < NV; v++) wasm_v128_store(dw + cc * o + 4 * v, acc[cc][v]);                 \
  }

DEFINE_BLOCK(4, 2)
DEFINE_BLOCK(3, 2)
DEFINE_BLOCK(2, 2)
DEFINE_BLOCK(1, 2)
DEFINE_BLOCK(4, 1)
DEFINE_BLOCK(3, 1)
DEFINE_BLOCK(2, 1)
DEFINE_BLOCK(1, 1)

/* The output channels o0.. o-1 (fewer than 4) of one input channel, scalar. */
INLINE void block_scalar(const float *x, const float *dy, float *dw, int r0, int r1, int oh, int h,
                         int w, int c, int ow, int o, int sh, int sw, int p, int top, int j0, int j1,
                         int xcol0, int o0) {
  for (int r = r0; r < r1; r++) {
    int bb = r / oh, i = r - bb * oh;
    int hh = i * sh + p - top;
    if (hh < 0 || hh >= h) continue;
    const float *xr = x + ((bb * h + hh) * w + xcol0 + j0 * sw) * c;
    const float *dr = dy + (r * ow + j0) * o;
    for (int j = j0; j < j1; j++) {
      float s = *xr;
      for (int oo = o0; oo < o; oo++) dw[oo] += s * dr[oo];
      xr += sw * c;
      dr += o;
    }
  }
}

#define CALL(CB, NV) block_##CB##_##NV(xc, dyo, dwc, r0, r1, oh, h, w, c, ow, o, sh, sw, p, top, j0, j1, xcol0)
/* The block of cb (1..4) input channels x NV vectors of output channels. */
#define BLOCKS(NV)                 \
  switch (cb) {                    \
    case 4: CALL(4, NV); break;    \
    case 3: CALL(3, NV); break;    \
    case 2: CALL(2, NV); break;    \
    default: CALL(1, NV); break;   \
  }

__attribute__((export_name("conv2d_backprop_filter"))) void conv2d_backprop_filter(
    u32 x_at, u32 dy_at, u32 dw_at, int b, int h, int w, int c, int oh, int ow, int o, int kh, int kw,
    int sh, int sw, int top, int left) {
  const float *x = (const float *)x_at;
  const float *dy = (const float *)dy_at;
  float *dw = (float *)dw_at;
  int n = kh * kw * c * o;
  for (int t = 0; t < n; t++) dw[t] = 0.0f;

  int rows = b * oh;
  int chunk = ow >= PIXELS_PER_CHUNK ? 1 : (PIXELS_PER_CHUNK + ow - 1) / ow;
  for (int r0 = 0; r0 < rows; r0 += chunk) {
    int r1 = r0 + chunk < rows ? r0 + chunk : rows;
    for (int p = 0; p < kh; p++) {
      for (int q = 0; q < kw; q++) {
        int j0, j1;
        column_range(ow, w, sw, q, left, &j0, &j1);
        if (j1 == j0) continue;
        int xcol0 = q - left;
        float *tap = dw + (p * kw + q) * c * o;
        for (int c0 = 0; c0 < c; c0 += 4) {
          int cb = c - c0 < 4 ? c - c0 : 4;
          const float *xc = x + c0;
          int o0 = 0;
          for (; o0 + 8 <= o; o0 += 8) {
            float *dwc = tap + c0 * o + o0;
            const float *dyo = dy + o0;
            BLOCKS(2);
          }
          if (o0 + 4 <= o) {
            float *dwc = tap + c0 * o + o0;
            const float *dyo = dy + o0;
            BLOCKS(1);
            o0 += 4;
          }
          if (o0 < o) {
            for (int cc = 0; cc < cb; cc++)
              block_scalar(xc + cc, dy, tap + (c0 + cc) * o, r0, r1, oh, h, w, c, ow, o, sh, sw, p,
                           top, j0, j1, xcol0, o0);
          }
        }
      }
    }
  }
}
