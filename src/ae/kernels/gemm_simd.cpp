// gemm_simd.cpp — C = α op(A) op(B) + β C with packing and register blocking, 4-lane SIMD
// (wasm_simd128.h in WebAssembly; vector extensions natively, see simd.h).
//
// The GotoBLAS/BLIS structure, sized for V8's 128-bit SIMD without fused multiply-add:
//
//   for each block of NC columns of C                         (jc)
//     for each block of KC of the inner dimension             (pc)   β applies only on the first
//       pack op(B)[pc:pc+KC, jc:jc+NC] into NR-wide panels           (later blocks accumulate)
//       for each block of MC rows of C                        (ic)
//         pack op(A)[ic:ic+MC, pc:pc+KC] into MR-tall panels
//         for each NR-wide panel, for each MR-tall panel:  micro-kernel  (MR × NR tile of C)
//
// Packing turns every form (NN, NT, TN, and any leading dimension) into the same contiguous
// streams: an A panel holds, for p = 0..kc−1, the MR values op(A)(i0..i0+MR−1, p); a B panel holds
// the NR values op(B)(p, j0..j0+NR−1). Panels are zero-padded at the edges, so the micro-kernel
// never branches; edge tiles are written through a small buffer.
//
// Micro-kernel 8 × 4: per p, two vector loads of A (8 rows), four broadcast loads of B, eight
// multiplies and eight adds into 8 accumulators — 11 live vector registers, under the 16 that
// V8 has on x86-64 (taller kernels spilled registers and got slower in V8, measured on these machines). Column-
// major C makes a tile's column a contiguous 8 floats, two vector stores.
//
// Blocking: KC = 256 (A panel 8 KB + B panel 4 KB stay in L1 across the kc loop), MC = 128 (packed
// A block 128 KB, L2), NC = 512 (packed B block ≤ 512 KB).
#include "kernels.h"
#include "simd.h"

#include <algorithm>
#include <cstdlib>

namespace ae::kernels {

namespace {

using namespace simd;

constexpr int MR = 8, NR = 4;
constexpr int KC = 256, MC = 128, NC = 512;

// Packing buffers, grown on demand and kept (no allocation per call after the first).
struct Buffer {
  float* data = nullptr;
  size_t size = 0;
  float* get(size_t n) noexcept {
    if (n > size) {
      std::free(data);
      data = static_cast<float*>(std::aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64));
      size = data ? n : 0;
    }
    return data;
  }
  ~Buffer() { std::free(data); }
};
thread_local Buffer packed_a, packed_b;

// op(A)(i, p) for rows [i0, i0+mc) and inner [p0, p0+kc) into MR-tall panels, zero-padded.
void pack_a(Trans ta, const float* A, int lda, int i0, int mc, int p0, int kc, float* out) noexcept {
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = std::min(MR, mc - ir);
    float* panel = out + std::ptrdiff_t(ir) * kc;
    if (ta == Trans::no) {
      // column p of A holds op(A)(·, p) contiguously: copy MR values per p
      const float* src = A + (i0 + ir) + std::ptrdiff_t(p0) * lda;
      if (rows == MR) {
        for (int p = 0; p < kc; ++p, src += lda) {
          store(panel + p * MR, load(src));
          store(panel + p * MR + 4, load(src + 4));
        }
      } else {
        for (int p = 0; p < kc; ++p, src += lda) {
          for (int r = 0; r < rows; ++r) panel[p * MR + r] = src[r];
          for (int r = rows; r < MR; ++r) panel[p * MR + r] = 0.0f;
        }
      }
    } else {
      // op(A)(i, p) = A(p, i): row i of op(A) is column i of A, contiguous in p
      for (int r = 0; r < rows; ++r) {
        const float* src = A + p0 + std::ptrdiff_t(i0 + ir + r) * lda;
        for (int p = 0; p < kc; ++p) panel[p * MR + r] = src[p];
      }
      for (int r = rows; r < MR; ++r)
        for (int p = 0; p < kc; ++p) panel[p * MR + r] = 0.0f;
    }
  }
}

// op(B)(p, j) for inner [p0, p0+kc) and columns [j0, j0+nc) into NR-wide panels, zero-padded.
void pack_b(Trans tb, const float* B, int ldb, int p0, int kc, int j0, int nc, float* out) noexcept {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = std::min(NR, nc - jr);
    float* panel = out + std::ptrdiff_t(jr) * kc;
    if (tb == Trans::no) {
      // op(B)(p, j) = B(p, j): column j contiguous in p
      for (int c = 0; c < cols; ++c) {
        const float* src = B + p0 + std::ptrdiff_t(j0 + jr + c) * ldb;
        for (int p = 0; p < kc; ++p) panel[p * NR + c] = src[p];
      }
      for (int c = cols; c < NR; ++c)
        for (int p = 0; p < kc; ++p) panel[p * NR + c] = 0.0f;
    } else {
      // op(B)(p, j) = B(j, p): NR consecutive j are contiguous in column p of B
      const float* src = B + (j0 + jr) + std::ptrdiff_t(p0) * ldb;
      if (cols == NR) {
        for (int p = 0; p < kc; ++p, src += ldb) store(panel + p * NR, load(src));
      } else {
        for (int p = 0; p < kc; ++p, src += ldb) {
          for (int c = 0; c < cols; ++c) panel[p * NR + c] = src[c];
          for (int c = cols; c < NR; ++c) panel[p * NR + c] = 0.0f;
        }
      }
    }
  }
}

// The 8 × 4 tile: acc = Σ_p a_p b_pᵀ, then C = α acc + β C (β = 0: C is not read).
inline void micro_kernel(int kc, const float* __restrict Ap, const float* __restrict Bp, float alpha, float beta,
                         float* C, int ldc) noexcept {
  f4 c00 = splat(0.0f), c10 = c00, c01 = c00, c11 = c00, c02 = c00, c12 = c00, c03 = c00, c13 = c00;
  for (int p = 0; p < kc; ++p) {
    const f4 a0 = load(Ap), a1 = load(Ap + 4);
    f4 b = load_splat(Bp);
    c00 = add(c00, mul(a0, b));
    c10 = add(c10, mul(a1, b));
    b = load_splat(Bp + 1);
    c01 = add(c01, mul(a0, b));
    c11 = add(c11, mul(a1, b));
    b = load_splat(Bp + 2);
    c02 = add(c02, mul(a0, b));
    c12 = add(c12, mul(a1, b));
    b = load_splat(Bp + 3);
    c03 = add(c03, mul(a0, b));
    c13 = add(c13, mul(a1, b));
    Ap += MR;
    Bp += NR;
  }
  const f4 va = splat(alpha);
  f4 acc[2][NR] = {{c00, c01, c02, c03}, {c10, c11, c12, c13}};
  if (beta == 0.0f) {
    for (int j = 0; j < NR; ++j) {
      store(C + j * ldc, mul(va, acc[0][j]));
      store(C + j * ldc + 4, mul(va, acc[1][j]));
    }
  } else if (beta == 1.0f) {
    for (int j = 0; j < NR; ++j) {
      store(C + j * ldc, add(load(C + j * ldc), mul(va, acc[0][j])));
      store(C + j * ldc + 4, add(load(C + j * ldc + 4), mul(va, acc[1][j])));
    }
  } else {
    const f4 vb = splat(beta);
    for (int j = 0; j < NR; ++j) {
      store(C + j * ldc, add(mul(vb, load(C + j * ldc)), mul(va, acc[0][j])));
      store(C + j * ldc + 4, add(mul(vb, load(C + j * ldc + 4)), mul(va, acc[1][j])));
    }
  }
}

// An edge tile (rows < MR or cols < NR): compute into a buffer, then copy the valid part.
void edge_kernel(int kc, const float* Ap, const float* Bp, float alpha, float beta, float* C, int ldc, int rows,
                 int cols) noexcept {
  alignas(16) float tile[MR * NR];
  micro_kernel(kc, Ap, Bp, 1.0f, 0.0f, tile, MR);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) {
      float& c = C[i + std::ptrdiff_t(j) * ldc];
      c = beta == 0.0f ? alpha * tile[i + j * MR] : alpha * tile[i + j * MR] + beta * c;
    }
}

}  // namespace

void gemm_simd(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
               float beta, float* C, int ldc) noexcept {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0.0f) {  // C = β C (β = 0: zeros, whatever C held)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) {
        float& c = C[i + std::ptrdiff_t(j) * ldc];
        c = beta == 0.0f ? 0.0f : beta * c;
      }
    return;
  }
  const int nc_max = std::min(NC, (n + NR - 1) / NR * NR), kc_max = std::min(KC, k);
  const int mc_max = std::min(MC, (m + MR - 1) / MR * MR);
  float* Bpack = packed_b.get(size_t(nc_max) * kc_max);
  float* Apack = packed_a.get(size_t(mc_max) * kc_max);
  if (!Bpack || !Apack) {  // out of memory for 640 KB of panels: fall back to the oracle
    reference_gemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = std::min(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = std::min(KC, k - pc);
      const float beta_here = pc == 0 ? beta : 1.0f;
      pack_b(tb, B, ldb, pc, kc, jc, nc, Bpack);
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = std::min(MC, m - ic);
        pack_a(ta, A, lda, ic, mc, pc, kc, Apack);
        for (int jr = 0; jr < nc; jr += NR) {
          const int cols = std::min(NR, nc - jr);
          const float* Bp = Bpack + std::ptrdiff_t(jr) * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            const int rows = std::min(MR, mc - ir);
            const float* Ap = Apack + std::ptrdiff_t(ir) * kc;
            float* Ct = C + (ic + ir) + std::ptrdiff_t(jc + jr) * ldc;
            if (rows == MR && cols == NR)
              micro_kernel(kc, Ap, Bp, alpha, beta_here, Ct, ldc);
            else
              edge_kernel(kc, Ap, Bp, alpha, beta_here, Ct, ldc, rows, cols);
          }
        }
      }
    }
  }
}

}  // namespace ae::kernels
