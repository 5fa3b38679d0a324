/*
 * 3x3 stride-1 convolutions for tfjs-backend-wasm by Winograd's minimal filtering F(2x2, 3x3), in
 * WebAssembly SIMD, working in the backend's own memory.
 *
 * Paper: A. Lavin and S. Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR 2016). Each
 * 2x2 block of outputs ("tile") of a 3x3 correlation is
 *
 *   Y = A^T [ (G g G^T) (.) (B^T d B) ] A        (.) elementwise, summed over input channels
 *
 * with d the 4x4 input patch the tile reads, g the 3x3 filter of one (input, output) channel pair and
 *
 *   B^T = | 1  0 -1  0 |    G = | 1    0    0  |    A^T = | 1  1  1  0 |
 *         | 0  1  1  0 |        | 1/2  1/2  1/2|          | 0  1 -1 -1 |
 *         | 0 -1  1  0 |        | 1/2 -1/2  1/2|
 *         | 0  1  0 -1 |        | 0    0    1  |
 *
 * so the sum over input channels becomes 16 matrix products (one per position xi of the 4x4 transform
 * domain), M_xi [tiles x O] = V_xi [tiles x C] . U_xi [C x O]: 16 multiplies per tile and channel pair
 * where the direct convolution needs 36 (2.25x fewer). The transforms are additions only (and halves
 * for the filter), O(C + O) per tile.
 *
 * The filter gradient follows by the chain rule through the same identity (exact, not a second
 * approximation): dL/dU_xi = sum over tiles of V_xi^T . (A dY A^T)_xi, and dL/dg = G^T (dL/dU) G.
 *
 * Shapes (NHWC, float32, row-major, byte offsets into the one linear memory this module imports):
 *   x [B, H, W, C], filter [3, 3, C, O], y [B, OH, OW, O]; output pixel (i, j) reads input
 *   (i + p - top, j + q - left) for taps p, q in 0..2; reads outside the image are zeros.
 * Tiles are numbered t = (b * TH + ti) * TW + tj with TH = ceil(OH / 2), TW = ceil(OW / 2); a tile's
 * outputs outside OH x OW are computed and dropped (forward) or taken as zero gradient (filter
 * gradient). Tiles are processed in chunks of `tc` so that the transformed chunk stays in cache.
 *
 * Layouts of the scratch buffers (all inside `scratch`, floats):
 *   U  [16][OP / 8][C][8]   transformed filter, output channels padded to OP = ceil(O / 8) * 8 and
 *                          packed in panels of 8 (zeros in the padding)
 *   V  [16][tc][C]          transformed input chunk
 *   M  [16][tc][OP]         products (forward) / transformed dy chunk (filter gradient)
 *   dU [16][C][OP]          accumulated filter-domain gradient (filter gradient only)
 *
 * The functions use no linear-memory stack and no data segment (the build script checks both), so they
 * never write outside their outputs and the scratch buffer the caller allocated.
 */
#include <wasm_simd128.h>

typedef unsigned int u32;

#define INLINE static inline __attribute__((always_inline))

INLINE int pad8(int n) { return (n + 7) & ~7; }

/* ---- filter transform ------------------------------------------------------------------------- */

/*
 * U (packed, see above) from the filter. flip = 0: the convolution's filter is w [3][3][I][J] as given
 * (I = input channels, J = output channels). flip = 1 (the input gradient): the filter is w rotated by
 * 180 degrees with its channels swapped, F[p][q][i][j] = w[2 - p][2 - q][j][i], w being [3][3][J][I].
 */
__attribute__((export_name("winograd_filter"))) void winograd_filter(u32 w_at, u32 u_at, int ci, int co, int flip) {
  const float *w = (const float *)w_at;
  float *u = (float *)u_at;
  int op = pad8(co);
  long panels = op / 8;
  v128_t half = wasm_f32x4_splat(0.5f);
  /* Four output channels j..j+3 at a time (lanes beyond co are zero, as are the padded channels). */
  for (int i = 0; i < ci; i++) {
    for (int j = 0; j < op; j += 4) {
      int lanes = co - j < 4 ? (co - j > 0 ? co - j : 0) : 4;
      v128_t g[9];
#pragma clang loop unroll(full)
      for (int pq = 0; pq < 9; pq++) {
        int p = pq / 3, q = pq % 3;
        if (flip) {
          const float *src = w + (long)((2 - p) * 3 + (2 - q)) * co * ci + (long)j * ci + i;
          g[pq] = wasm_f32x4_make(lanes > 0 ? src[0] : 0.0f, lanes > 1 ? src[ci] : 0.0f, lanes > 2 ? src[2 * ci] : 0.0f,
                                  lanes > 3 ? src[3 * ci] : 0.0f);
        } else {
          const float *src = w + (long)(p * 3 + q) * ci * co + (long)i * co + j;
          g[pq] = lanes == 4 ? wasm_v128_load(src)
                             : wasm_f32x4_make(lanes > 0 ? src[0] : 0.0f, lanes > 1 ? src[1] : 0.0f,
                                               lanes > 2 ? src[2] : 0.0f, 0.0f);
        }
      }
      v128_t t[12]; /* G g: rows 0..3, three columns each */
#pragma clang loop unroll(full)
      for (int q = 0; q < 3; q++) {
        v128_t a = g[q], b = g[3 + q], c = g[6 + q];
        t[q] = a;
        t[3 + q] = wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_add(a, b), c));
        t[6 + q] = wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_sub(a, b), c));
        t[9 + q] = c;
      }
#pragma clang loop unroll(full)
      for (int r = 0; r < 4; r++) { /* (G g) G^T */
        v128_t a = t[r * 3], b = t[r * 3 + 1], c = t[r * 3 + 2];
        v128_t v0 = a, v1 = wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_add(a, b), c));
        v128_t v2 = wasm_f32x4_mul(half, wasm_f32x4_add(wasm_f32x4_sub(a, b), c)), v3 = c;
        float *dst = u + (((long)(r * 4) * panels + j / 8) * ci + i) * 8 + (j & 7);
        long step = panels * ci * 8;
        wasm_v128_store(dst, v0);
        wasm_v128_store(dst + step, v1);
        wasm_v128_store(dst + 2 * step, v2);
        wasm_v128_store(dst + 3 * step, v3);
      }
    }
  }
}

/* ---- tile transforms -------------------------------------------------------------------------- */

/* The 4x4 input patch of tile t, channels c0..c0+3 (lanes beyond c are zero), transformed: v = B^T d B. */
INLINE void input_tile(const float *x, int h, int w, int c, int c0, int bb, int r0, int s0, v128_t v[16]) {
  int lanes = c - c0 < 4 ? c - c0 : 4;
  v128_t d[4][4];
  #pragma clang loop unroll(full)
  for (int i = 0; i < 4; i++) {
    int r = r0 + i;
    #pragma clang loop unroll(full)
    for (int j = 0; j < 4; j++) {
      int s = s0 + j;
      if (r < 0 || r >= h || s < 0 || s >= w) {
        d[i][j] = wasm_f32x4_splat(0.0f);
      } else {
        const float *src = x + ((bb * h + r) * w + s) * c + c0;
        if (lanes == 4) d[i][j] = wasm_v128_load(src);
        else d[i][j] = wasm_f32x4_make(src[0], lanes > 1 ? src[1] : 0.0f, lanes > 2 ? src[2] : 0.0f, 0.0f);
      }
    }
  }
  v128_t t[4][4]; /* B^T d */
  #pragma clang loop unroll(full)
  for (int j = 0; j < 4; j++) {
    t[0][j] = wasm_f32x4_sub(d[0][j], d[2][j]);
    t[1][j] = wasm_f32x4_add(d[1][j], d[2][j]);
    t[2][j] = wasm_f32x4_sub(d[2][j], d[1][j]);
    t[3][j] = wasm_f32x4_sub(d[1][j], d[3][j]);
  }
  #pragma clang loop unroll(full)
  for (int i = 0; i < 4; i++) { /* (B^T d) B */
    v[i * 4 + 0] = wasm_f32x4_sub(t[i][0], t[i][2]);
    v[i * 4 + 1] = wasm_f32x4_add(t[i][1], t[i][2]);
    v[i * 4 + 2] = wasm_f32x4_sub(t[i][2], t[i][1]);
    v[i * 4 + 3] = wasm_f32x4_sub(t[i][1], t[i][3]);
  }
}

/* Store lanes 0..lanes-1 of a vector. */
INLINE void store_lanes(float *dst, v128_t value, int lanes) {
  if (lanes == 4) {
    wasm_v128_store(dst, value);
    return;
  }
  dst[0] = wasm_f32x4_extract_lane(value, 0);
  if (lanes > 1) dst[1] = wasm_f32x4_extract_lane(value, 1);
  if (lanes > 2) dst[2] = wasm_f32x4_extract_lane(value, 2);
}

/* Where tile t starts: batch bb, first output row oi, first output column oj. */
INLINE void tile_origin(int t, int th, int tw, int *bb, int *oi, int *oj) {
  int per_image = th * tw;
  *bb = t / per_image;
  int rest = t - *bb * per_image;
  int ti = rest / tw;
  *oi = 2 * ti;
  *oj = 2 * (rest - ti * tw);
}

/* V [16][n][c] for tiles t0..t0+n-1. */
static void input_transform(const float *x, float *v, int t0, int n, int h, int w, int c, int th, int tw, int top,
                            int left) {
  for (int k = 0; k < n; k++) {
    int bb, oi, oj;
    tile_origin(t0 + k, th, tw, &bb, &oi, &oj);
    for (int c0 = 0; c0 < c; c0 += 4) {
      v128_t tv[16];
      input_tile(x, h, w, c, c0, bb, oi - top, oj - left, tv);
      int lanes = c - c0 < 4 ? c - c0 : 4;
#pragma clang loop unroll(full)
      for (int xi = 0; xi < 16; xi++) store_lanes(v + ((long)xi * n + k) * c + c0, tv[xi], lanes);
    }
  }
}

/* y from M [16][n][op] for tiles t0..t0+n-1: Y = A^T m A, outputs outside oh x ow dropped. */
static void output_transform(const float *m, float *y, int t0, int n, int oh, int ow, int o, int op, int th, int tw) {
  long step = (long)n * op;
  for (int k = 0; k < n; k++) {
    int bb, oi, oj;
    tile_origin(t0 + k, th, tw, &bb, &oi, &oj);
    int rows = oh - oi < 2 ? 1 : 2, cols = ow - oj < 2 ? 1 : 2;
    for (int o0 = 0; o0 < o; o0 += 4) {
      const float *src = m + (long)k * op + o0;
      /* A^T m: row 0 = m0 + m1 + m2, row 1 = m1 - m2 - m3 (rows of the 4x4, four columns each). */
      v128_t a0 = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(src), wasm_v128_load(src + 4 * step)), wasm_v128_load(src + 8 * step));
      v128_t a1 = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(src + step), wasm_v128_load(src + 5 * step)), wasm_v128_load(src + 9 * step));
      v128_t a2 = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(src + 2 * step), wasm_v128_load(src + 6 * step)), wasm_v128_load(src + 10 * step));
      v128_t a3 = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(src + 3 * step), wasm_v128_load(src + 7 * step)), wasm_v128_load(src + 11 * step));
      v128_t b0 = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(src + 4 * step), wasm_v128_load(src + 8 * step)), wasm_v128_load(src + 12 * step));
      v128_t b1 = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(src + 5 * step), wasm_v128_load(src + 9 * step)), wasm_v128_load(src + 13 * step));
      v128_t b2 = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(src + 6 * step), wasm_v128_load(src + 10 * step)), wasm_v128_load(src + 14 * step));
      v128_t b3 = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(src + 7 * step), wasm_v128_load(src + 11 * step)), wasm_v128_load(src + 15 * step));
      int lanes = o - o0 < 4 ? o - o0 : 4;
      /* (A^T m) A: column 0 = c0 + c1 + c2, column 1 = c1 - c2 - c3. */
      float *dst = y + ((bb * oh + oi) * ow + oj) * o + o0;
      store_lanes(dst, wasm_f32x4_add(wasm_f32x4_add(a0, a1), a2), lanes);
      if (cols == 2) store_lanes(dst + o, wasm_f32x4_sub(wasm_f32x4_sub(a1, a2), a3), lanes);
      if (rows == 2) {
        dst += (long)ow * o;
        store_lanes(dst, wasm_f32x4_add(wasm_f32x4_add(b0, b1), b2), lanes);
        if (cols == 2) store_lanes(dst + o, wasm_f32x4_sub(wasm_f32x4_sub(b1, b2), b3), lanes);
      }
    }
  }
}

/* Z [16][n][op] = A dY A^T for tiles t0..t0+n-1 (dY outside oh x ow is zero; padded channels zero). */
static void dy_transform(const float *dy, float *z, int t0, int n, int oh, int ow, int o, int op, int th, int tw) {
  for (int k = 0; k < n; k++) {
    int bb, oi, oj;
    tile_origin(t0 + k, th, tw, &bb, &oi, &oj);
    for (int o0 = 0; o0 < op; o0 += 4) {
      int lanes = o - o0 < 4 ? (o - o0 > 0 ? o - o0 : 0) : 4;
      v128_t g[2][2];
      #pragma clang loop unroll(full)
      for (int i = 0; i < 2; i++) {
        #pragma clang loop unroll(full)
        for (int j = 0; j < 2; j++) {
          int r = oi + i, s = oj + j;
          if (lanes == 0 || r >= oh || s >= ow) {
            g[i][j] = wasm_f32x4_splat(0.0f);
          } else {
            const float *src = dy + ((bb * oh + r) * ow + s) * o + o0;
            if (lanes == 4) g[i][j] = wasm_v128_load(src);
            else g[i][j] = wasm_f32x4_make(src[0], lanes > 1 ? src[1] : 0.0f, lanes > 2 ? src[2] : 0.0f, 0.0f);
          }
        }
      }
      v128_t r[4][2]; /* A dY */
      #pragma clang loop unroll(full)
      for (int j = 0; j < 2; j++) {
        r[0][j] = g[0][j];
        r[1][j] = wasm_f32x4_add(g[0][j], g[1][j]);
        r[2][j] = wasm_f32x4_sub(g[0][j], g[1][j]);
        r[3][j] = wasm_f32x4_neg(g[1][j]);
      }
      #pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++) { /* (A dY) A^T */
        float *dst = z + ((long)(i * 4) * n + k) * op + o0;
        long step = (long)n * op;
        wasm_v128_store(dst, r[i][0]);
        wasm_v128_store(dst + step, wasm_f32x4_add(r[i][0], r[i][1]));
        wasm_v128_store(dst + 2 * step, wasm_f32x4_sub(r[i][0], r[i][1]));
        wasm_v128_store(dst + 3 * step, wasm_f32x4_neg(r[i][1]));
      }
    }
  }
}

/* ---- products --------------------------------------------------------------------------------- */

/*
 * Forward product block: MR rows (tiles) x 8 output channels, over k = C input channels.
 * a: MR rows of V (row stride lda), b: one packed panel of U ([C][8]), c: MR rows of M (row stride ldc).
 */
#define DEFINE_GEMM(MR)                                                                                  \
  INLINE void gemm_##MR(const float *a, int lda, const float *b, float *c, int ldc, int k) {             \
    v128_t acc[MR][2];                                                                                   \
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0.0f);                          \
    for (int kk = 0; kk < k; kk++) {                                                                     \
      v128_t b0 = wasm_v128_load(b + kk * 8), b1 = wasm_v128_load(b + kk * 8 + 4);                         \
      for (int r = 0; r < MR; r++) {                                                                     \
        v128_t s = wasm_v128_load32_splat(a + r * lda + kk);                                              \
        acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(s, b0));                                     \
        acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(s, b1));                                     \
      }                                                                                                  \
    }                                                                                                    \
    for (int r = 0; r < MR; r++) {                                                                       \
      wasm_v128_store(c + r * ldc, acc[r][0]);                                                           \
      wasm_v128_store(c + r * ldc + 4, acc[r][1]);                                                       \
    }                                                                                                    \
  }

DEFINE_GEMM(4)
DEFINE_GEMM(3)
DEFINE_GEMM(2)
DEFINE_GEMM(1)

/* M_xi [n x op] = V_xi [n x c] . U_xi for every xi. */
static void products(const float *v, const float *u, float *m, int n, int c, int op) {
  #pragma clang loop unroll(full)
  for (int xi = 0; xi < 16; xi++) {
    const float *vx = v + (long)xi * n * c;
    const float *ux = u + (long)xi * op * c;
    float *mx = m + (long)xi * n * op;
    for (int p = 0; p < op / 8; p++) {
      const float *panel = ux + (long)p * c * 8;
      int r = 0;
      for (; r + 4 <= n; r += 4) gemm_4(vx + (long)r * c, c, panel, mx + (long)r * op + p * 8, op, c);
      switch (n - r) {
        case 3: gemm_3(vx + (long)r * c, c, panel, mx + (long)r * op + p * 8, op, c); break;
        case 2: gemm_2(vx + (long)r * c, c, panel, mx + (long)r * op + p * 8, op, c); break;
        case 1: gemm_1(vx + (long)r * c, c, panel, mx + (long)r * op + p * 8, op, c); break;
        default: break;
      }
    }
  }
}

/*
 * Filter-gradient product block: dU_xi[c0..c0+CB, o0..o0+8] += sum over the n tiles of V_xi[t, c] Z_xi[t, o];
 * the accumulators live in dU between chunks.
 */
#define DEFINE_GEMM_TN(CB)                                                                               \
  INLINE void gemm_tn_##CB(const float *v, int ldv, const float *z, int ldz, float *du, int ldu, int n) { \
    v128_t acc[CB][2];                                                                                   \
    for (int r = 0; r < CB; r++) {                                                                       \
      acc[r][0] = wasm_v128_load(du + r * ldu);                                                          \
      acc[r][1] = wasm_v128_load(du + r * ldu + 4);                                                      \
    }                                                                                                    \
    for (int t = 0; t < n; t++) {                                                                        \
      v128_t z0 = wasm_v128_load(z + (long)t * ldz), z1 = wasm_v128_load(z + (long)t * ldz + 4);           \
      for (int r = 0; r < CB; r++) {                                                                     \
        v128_t s = wasm_v128_load32_splat(v + (long)t * ldv + r);                                         \
        acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(s, z0));                                     \
        acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(s, z1));                                     \
      }                                                                                                  \
    }                                                                                                    \
    for (int r = 0; r < CB; r++) {                                                                       \
      wasm_v128_store(du + r * ldu, acc[r][0]);                                                          \
      wasm_v128_store(du + r * ldu + 4, acc[r][1]);                                                      \
    }                                                                                                    \
  }

DEFINE_GEMM_TN(4)
DEFINE_GEMM_TN(3)
DEFINE_GEMM_TN(2)
DEFINE_GEMM_TN(1)

/* dU_xi [c x op] += V_xi^T [c x n] . Z_xi [n x op] for every xi. */
static void products_tn(const float *v, const float *z, float *du, int n, int c, int op) {
  #pragma clang loop unroll(full)
  for (int xi = 0; xi < 16; xi++) {
    const float *vx = v + (long)xi * n * c;
    const float *zx = z + (long)xi * n * op;
    float *dux = du + (long)xi * c * op;
    for (int c0 = 0; c0 < c; c0 += 4) {
      int cb = c - c0 < 4 ? c - c0 : 4;
      for (int o0 = 0; o0 < op; o0 += 8) {
        float *acc = dux + (long)c0 * op + o0;
        switch (cb) {
          case 4: gemm_tn_4(vx + c0, c, zx + o0, op, acc, op, n); break;
          case 3: gemm_tn_3(vx + c0, c, zx + o0, op, acc, op, n); break;
          case 2: gemm_tn_2(vx + c0, c, zx + o0, op, acc, op, n); break;
          default: gemm_tn_1(vx + c0, c, zx + o0, op, acc, op, n); break;
        }
      }
    }
  }
}

/* ---- the exported convolutions ---------------------------------------------------------------- */

/*
 * y = conv(x, filter) for a 3x3 stride-1 filter given transformed (winograd_filter, flip or not) at u_at.
 * scratch: 16 * tc * (c + OP) floats.
 */
__attribute__((export_name("winograd_conv2d"))) void winograd_conv2d(u32 x_at, u32 u_at, u32 y_at, u32 scratch_at,
                                                                      int b, int h, int w, int c, int oh, int ow,
                                                                      int o, int top, int left, int tc) {
  const float *x = (const float *)x_at;
  const float *u = (const float *)u_at;
  float *y = (float *)y_at;
  int op = pad8(o);
  int th = (oh + 1) / 2, tw = (ow + 1) / 2;
  int tiles = b * th * tw;
  float *v = (float *)scratch_at;
  float *m = v + (long)16 * tc * c;
  for (int t0 = 0; t0 < tiles; t0 += tc) {
    int n = tiles - t0 < tc ? tiles - t0 : tc;
    input_transform(x, v, t0, n, h, w, c, th, tw, top, left);
    products(v, u, m, n, c, op);
    output_transform(m, y, t0, n, oh, ow, o, op, th, tw);
  }
}

/*
 * dw [3][3][c][o] = the filter gradient of y = conv(x, w) (3x3, stride 1) given dy.
 * scratch: 16 * tc * (c + OP) + 16 * c * OP floats.
 */
__attribute__((export_name("winograd_filter_grad"))) void winograd_filter_grad(u32 x_at, u32 dy_at, u32 dw_at,
                                                                                u32 scratch_at, int b, int h, int w,
                                                                                int c, int oh, int ow, int o,
                                                                                int top, int left, int tc) {
  const float *x = (const float *)x_at;
  const float *dy = (const float *)dy_at;
  float *dw = (float *)dw_at;
  int op = pad8(o);
  int th = (oh + 1) / 2, tw = (ow + 1) / 2;
  int tiles = b * th * tw;
  float *v = (float *)scratch_at;
  float *z = v + (long)16 * tc * c;
  float *du = z + (long)16 * tc * op;
  long n_du = (long)16 * c * op;
  for (long k = 0; k < n_du; k++) du[k] = 0.0f;
  for (int t0 = 0; t0 < tiles; t0 += tc) {
    int n = tiles - t0 < tc ? tiles - t0 : tc;
    input_transform(x, v, t0, n, h, w, c, th, tw, top, left);
    dy_transform(dy, z, t0, n, oh, ow, o, op, th, tw);
    products_tn(v, z, du, n, c, op);
  }
  /* dw = G^T dU G for every channel pair, four output channels at a time;
     G^T = [[1, 1/2, 1/2, 0], [0, 1/2, -1/2, 0], [0, 1/2, 1/2, 1]]. */
  v128_t half = wasm_f32x4_splat(0.5f);
  long plane = (long)c * op;
  for (int ci = 0; ci < c; ci++) {
    for (int o0 = 0; o0 < o; o0 += 4) {
      const float *src = du + (long)ci * op + o0;
      v128_t e[12]; /* G^T dU: rows 0..2, four columns each */
#pragma clang loop unroll(full)
      for (int s = 0; s < 4; s++) {
        v128_t d0 = wasm_v128_load(src + s * plane), d1 = wasm_v128_load(src + (4 + s) * plane);
        v128_t d2 = wasm_v128_load(src + (8 + s) * plane), d3 = wasm_v128_load(src + (12 + s) * plane);
        v128_t mid = wasm_f32x4_mul(half, wasm_f32x4_add(d1, d2));
        e[s] = wasm_f32x4_add(d0, mid);
        e[4 + s] = wasm_f32x4_mul(half, wasm_f32x4_sub(d1, d2));
        e[8 + s] = wasm_f32x4_add(mid, d3);
      }
      int lanes = o - o0 < 4 ? o - o0 : 4;
      long step = (long)c * o;
#pragma clang loop unroll(full)
      for (int p = 0; p < 3; p++) { /* (G^T dU) G */
        v128_t a = e[p * 4], b = e[p * 4 + 1], cc = e[p * 4 + 2], d = e[p * 4 + 3];
        v128_t mid = wasm_f32x4_mul(half, wasm_f32x4_add(b, cc));
        float *dst = dw + ((long)(p * 3) * c + ci) * o + o0;
        store_lanes(dst, wasm_f32x4_add(a, mid), lanes);
        store_lanes(dst + step, wasm_f32x4_mul(half, wasm_f32x4_sub(b, cc)), lanes);
        store_lanes(dst + 2 * step, wasm_f32x4_add(mid, d), lanes);
      }
    }
  }
}
