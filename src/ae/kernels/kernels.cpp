// kernels.cpp — the GEMM dispatch, Eigen's GEMM behind the kernels' interface, and the
// elementwise kernels (bias + activation, δ, row sums, losses, optimizer updates).
//
// Elementwise work is written as plain loops over contiguous arrays. Where a loop needs e^x or
// log x (sigmoid, softplus, the cross-entropy), WebAssembly gets explicit 4-lane code (simd.h):
// the scalar expf/logf calls would otherwise cost more than the matrix products around them.
// Natively the compiler vectorizes what it can and libm does the rest.
#include "kernels.h"

#include "../activations.h"
#include "parallel.h"
#include "simd.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ae::kernels {

namespace {
bool g_enabled = true;
// Where e^x and log x are needed (sigmoid, softplus, the cross-entropy), libm's scalar calls cost
// more than the matrix products around them. WebAssembly gets 4-lane code (simd.h); natively,
// float goes through Eigen's packet exp/log (as wide as the build's ISA: 16 lanes with AVX-512).
#if defined(__wasm_simd128__)
constexpr bool kSimdElementwise = true;
#else
constexpr bool kSimdElementwise = false;
#endif
constexpr bool kEigenElementwise = !kSimdElementwise;
using ArrayF = Eigen::Array<float, Eigen::Dynamic, 1>;
}  // namespace

bool enabled() { return g_enabled; }
void set_enabled(bool on) { g_enabled = on; }

const char* backend_name(Backend b) {
  switch (b) {
    case Backend::simd:
#if defined(__wasm_simd128__)
      return "wasm-simd128 packed 8x4";
#else
      return "vector-extension packed 8x4";
#endif
    case Backend::eigen: return "eigen";
    case Backend::reference: return "reference";
  }
  return "?";
}

// ---- GEMM -------------------------------------------------------------------------------------

namespace {
// Eigen's packing buffers for one thread's products, kept from one product to the next. Through the
// expression `c.noalias() += α a b`, Eigen allocates them (up to a few MB) for every product and
// frees them at its end; glibc hands blocks that large back to the kernel, so every product faulted
// its pages in again. How often depends on what else the heap holds: a one-thread M1 training step
// ran at less than half its speed in a process where nothing sat above the buffers.
template <typename T>
struct PackingBuffers {
  std::vector<T, Eigen::aligned_allocator<T>> lhs, rhs;
};
template <typename T>
PackingBuffers<T>& packing_buffers() {
  thread_local PackingBuffers<T> buffers;
  return buffers;
}

// The blocking Eigen's expression would use for an (m, n, k) product (the same block sizes, so the
// same sums in the same order), with the thread's kept buffers instead of fresh ones.
template <typename T>
class KeptBlocking : public Eigen::internal::level3_blocking<T, T> {
 public:
  KeptBlocking(int m, int n, int k) {
    this->m_mc = m;
    this->m_nc = n;
    this->m_kc = k;
    Eigen::internal::computeProductBlockingSizes<T, T, 1>(this->m_kc, this->m_mc, this->m_nc, Eigen::Index(1));
    PackingBuffers<T>& kept = packing_buffers<T>();
    const auto lhs_size = size_t(this->m_kc * this->m_mc), rhs_size = size_t(this->m_kc * this->m_nc);
    if (kept.lhs.size() < lhs_size) kept.lhs.resize(lhs_size);
    if (kept.rhs.size() < rhs_size) kept.rhs.resize(rhs_size);
    this->m_blockA = kept.lhs.data();
    this->m_blockB = kept.rhs.data();
  }
};

// C += α op(A) op(B) by Eigen's packed GEMM, called as its product expression calls it.
template <typename T, int LhsOrder, int RhsOrder>
void eigen_packed_product(int m, int n, int k, T alpha, const T* A, int lda, const T* B, int ldb, T* C, int ldc) {
  KeptBlocking<T> blocking(m, n, k);
  Eigen::internal::general_matrix_matrix_product<Eigen::Index, T, LhsOrder, false, T, RhsOrder, false, Eigen::ColMajor, 1>::run(
      m, n, k, A, lda, B, ldb, C, 1, ldc, alpha, blocking);
}
}  // namespace

template <typename T>
void gemm_eigen(Trans ta, Trans tb, int m, int n, int k, T alpha, const T* A, int lda, const T* B, int ldb, T beta,
                T* C, int ldc) noexcept {
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Stride = Eigen::OuterStride<>;
  using ConstMap = Eigen::Map<const Mat, 0, Stride>;
  if (m <= 0 || n <= 0) return;
  Eigen::Map<Mat, 0, Stride> c(C, m, n, Stride(ldc));
  if (k <= 0) {
    if (beta == T(0)) c.setZero(); else c *= beta;
    return;
  }
  if (beta == T(0)) c.setZero();          // β = 0 never reads C (it may hold NaN)
  else if (beta != T(1)) c *= beta;
  // Eigen's product expression computes a vector result by GEMV and a tiny one (m + n + k < 20)
  // by plain loops; every other shape goes to its packed GEMM, called here directly.
  if (m > 1 && n > 1 && m + n + k >= EIGEN_GEMM_TO_COEFFBASED_THRESHOLD) {
    constexpr int plain = Eigen::ColMajor, transposed = Eigen::RowMajor;  // Xᵀ is X's storage read row-major
    if (ta == Trans::no && tb == Trans::no) eigen_packed_product<T, plain, plain>(m, n, k, alpha, A, lda, B, ldb, C, ldc);
    else if (ta == Trans::no) eigen_packed_product<T, plain, transposed>(m, n, k, alpha, A, lda, B, ldb, C, ldc);
    else if (tb == Trans::no) eigen_packed_product<T, transposed, plain>(m, n, k, alpha, A, lda, B, ldb, C, ldc);
    else eigen_packed_product<T, transposed, transposed>(m, n, k, alpha, A, lda, B, ldb, C, ldc);
    return;
  }
  const ConstMap a(A, ta == Trans::no ? m : k, ta == Trans::no ? k : m, Stride(lda));
  const ConstMap b(B, tb == Trans::no ? k : n, tb == Trans::no ? n : k, Stride(ldb));
  if (ta == Trans::no && tb == Trans::no) c.noalias() += alpha * a * b;
  else if (ta == Trans::no) c.noalias() += alpha * a * b.transpose();
  else if (tb == Trans::no) c.noalias() += alpha * a.transpose() * b;
  else c.noalias() += alpha * a.transpose() * b.transpose();
}
template void gemm_eigen<float>(Trans, Trans, int, int, int, float, const float*, int, const float*, int, float, float*,
                                int) noexcept;
template void gemm_eigen<double>(Trans, Trans, int, int, int, double, const double*, int, const double*, int, double,
                                 double*, int) noexcept;

namespace {
void gemm_one_thread(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
                     float beta, float* C, int ldc) noexcept {
  if constexpr (kBackend == Backend::simd)
    gemm_simd(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  else
    gemm_eigen<float>(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

// Below this many multiply-adds a product stays on one thread (waking the workers costs more).
constexpr double kParallelMinMacs = 1 << 19;
// Blocks of C's rows or columns start at multiples of these: the heights and widths of the register
// blocks of the kernel that computes them. A row (column) must fall in a register block of the same
// size as when one thread computes the whole product: the micro-kernels for the full block and for
// the rest at the edge sum k in different orders (Eigen's mr = 24 rows with AVX2 against its 8-row
// kernel gave other roundings when rows were cut at multiples of 16). The packed kernels work in
// 8 × 4 blocks (gemm_simd.cpp); Eigen in mr × nr, mr = 3 packets (12, 24 or 48 floats for SSE,
// AVX or AVX-512), nr = 4.
constexpr int kSimdAlign = 16;
constexpr int kRowAlign = kBackend == Backend::simd ? kSimdAlign : int(Eigen::internal::gebp_traits<float, float>::mr);
constexpr int kColumnAlign = kBackend == Backend::simd ? kSimdAlign : std::lcm(kSimdAlign, int(Eigen::internal::gebp_traits<float, float>::nr));

// How C is cut for `threads` threads: one block of rows or of columns per thread, each starting at
// a multiple of `align`. Block p spans [start(p), start(p + 1)).
struct GemmSplit {
  bool by_rows = true;
  int side = 0, align = 1, parts = 1, blocks = 0;
  int start(int p) const { return std::min(side, blocks * p / parts * align); }
  int largest() const {
    int most = 0;
    for (int p = 0; p < parts; ++p) most = std::max(most, start(p + 1) - start(p));
    return most;
  }
};
GemmSplit split_side(bool by_rows, int side, int threads) {
  GemmSplit s;
  s.by_rows = by_rows;
  s.side = side;
  s.align = by_rows ? kRowAlign : kColumnAlign;
  s.parts = std::max(1, std::min(threads, side / s.align));
  s.blocks = (side + s.align - 1) / s.align;
  return s;
}
// Along the side whose largest block is the smaller share of it (the slowest thread has the least
// to do), the longer side when both are even: then each thread packs its own rows of op(A) (or
// columns of op(B)), the larger operand, and shares the other. Rows: m = 256 cut at multiples of
// 24 (Eigen, AVX2) gives 120 + 136, where its 128 columns give 64 + 64.
GemmSplit split_for_threads(int m, int n, int threads) {
  const GemmSplit rows = split_side(true, m, threads), columns = split_side(false, n, threads);
  if (rows.parts < 2) return columns;
  if (columns.parts < 2) return rows;
  const double row_share = double(rows.largest()) / m, column_share = double(columns.largest()) / n;
  if (row_share != column_share) return row_share < column_share ? rows : columns;
  return m >= n ? rows : columns;
}
}  // namespace

// With threads, C is cut into one block per thread (split_for_threads). Block p is computed by one
// thread exactly as the whole product computes those rows or columns (the same k order, the same
// register-block kernel), so the result does not depend on the thread count.
void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc) noexcept {
  const GemmSplit split = split_for_threads(m, n, threads());
  if (split.parts < 2 || double(m) * double(n) * double(k) < kParallelMinMacs) {
    gemm_one_thread(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  const bool by_rows = split.by_rows;
  parallel_for(split.parts, [&](int part) {
    const int i0 = split.start(part), i1 = split.start(part + 1);
    if (i1 <= i0) return;
    if (by_rows) {  // C(i0:i1, :) = α op(A)(i0:i1, :) op(B) + β C(i0:i1, :); op(A) row i is A's row i, or A's column i when transposed
      const float* Ai = ta == Trans::no ? A + i0 : A + std::ptrdiff_t(i0) * lda;
      gemm_one_thread(ta, tb, i1 - i0, n, k, alpha, Ai, lda, B, ldb, beta, C + i0, ldc);
    } else {        // C(:, i0:i1) = α op(A) op(B)(:, i0:i1) + β C(:, i0:i1); op(B) column j is B's column j, or B's row j
      const float* Bj = tb == Trans::no ? B + std::ptrdiff_t(i0) * ldb : B + i0;
      gemm_one_thread(ta, tb, m, i1 - i0, k, alpha, A, lda, Bj, ldb, beta, C + std::ptrdiff_t(i0) * ldc, ldc);
    }
  });
}
void gemm(Trans ta, Trans tb, int m, int n, int k, double alpha, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc) noexcept {
  gemm_eigen<double>(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

// ---- e^x, log x on arrays ---------------------------------------------------------------------

void exp_array(std::ptrdiff_t count, const float* x, float* out) noexcept {
  std::ptrdiff_t i = 0;
  for (; i + 4 <= count; i += 4) simd::store(out + i, simd::exp(simd::load(x + i)));
  for (; i < count; ++i) out[i] = std::exp(std::min(std::max(x[i], -87.3365447504f), 88.3762626647949f));
}
void log_array(std::ptrdiff_t count, const float* x, float* out) noexcept {
  std::ptrdiff_t i = 0;
  for (; i + 4 <= count; i += 4) simd::store(out + i, simd::log(simd::load(x + i)));
  for (; i < count; ++i) out[i] = std::log(x[i]);
}

// ---- Elementwise ------------------------------------------------------------------------------

namespace {

template <typename T> inline T act(Activation f, T v) {
  switch (f) {
    case Activation::linear: return v;
    case Activation::sigmoid: return sigmoid(v);
    case Activation::tanh: return std::tanh(v);
    case Activation::relu: return v > T(0) ? v : T(0);
    case Activation::leaky_relu: return v > T(0) ? v : T(kLeakyReluSlope) * v;
    case Activation::softplus: return softplus(v);
  }
  return v;
}

// The 4-lane activations used in WebAssembly (sigmoid, softplus; natively Eigen's are used); the
// others are cheap scalars.
[[maybe_unused]] inline simd::f4 sigmoid4(simd::f4 z) {  // 1 / (1 + e^(−z)), e^(−z) clamped: finite for any z
  using namespace simd;
  return div(splat(1.0f), add(splat(1.0f), exp(sub(splat(0.0f), z))));
}
[[maybe_unused]] inline simd::f4 log1p_exp_neg_abs4(simd::f4 z) {  // log(1 + e^(−|z|)), in (0, log 2]
  using namespace simd;
  return log(add(splat(1.0f), exp(sub(splat(0.0f), abs(z)))));
}

template <typename T>
void activation_range(Activation f, std::ptrdiff_t count, const T* z, T* a) {
  if constexpr (std::is_same<T, float>::value) {
    // tanh: Eigen's, as the reference path computes it (activations.h): a rational approximation,
    // within 7 ulp of tanh on [−12, 12] (5 natively; the worst near |z| = 6), ±1 beyond, NaN for NaN.
    // std::tanh took 12–15 ns a value in WebAssembly and natively; this takes 2 and 0.14 (vectorised),
    // and the toy view's forward passes are 64,000 of them a frame.
    if (f == Activation::tanh) {
      Eigen::Map<ArrayF>(a, count) = Eigen::Map<const ArrayF>(z, count).tanh();
      return;
    }
  }
  if constexpr (std::is_same<T, float>::value && kEigenElementwise) {
    const Eigen::Map<const ArrayF> zz(z, count);
    Eigen::Map<ArrayF> aa(a, count);
    if (f == Activation::sigmoid) {  // 1 / (1 + e^(−z)): e^(−z) = ∞ gives 0, e^(−z) = 0 gives 1
      aa = (1.0f + (-zz).exp()).inverse();
      return;
    }
    if (f == Activation::softplus) {  // max(z, 0) + log(1 + e^(−|z|))
      aa = zz.max(0.0f) + (1.0f + (-zz.abs()).exp()).log();
      return;
    }
  }
  std::ptrdiff_t i = 0;
  if constexpr (std::is_same<T, float>::value && kSimdElementwise) {
    using namespace simd;
    if (f == Activation::sigmoid) {
      for (; i + 4 <= count; i += 4) store(a + i, sigmoid4(load(z + i)));
    } else if (f == Activation::softplus) {  // max(z, 0) + log(1 + e^(−|z|))
      for (; i + 4 <= count; i += 4) {
        const f4 v = load(z + i);
        store(a + i, add(max(v, splat(0.0f)), log1p_exp_neg_abs4(v)));
      }
    }
  }
  switch (f) {
    case Activation::linear:
      if (a != z) std::copy(z + i, z + count, a + i);
      break;
    case Activation::relu:
      for (; i < count; ++i) a[i] = z[i] > T(0) ? z[i] : T(0);
      break;
    default:
      for (; i < count; ++i) a[i] = act(f, z[i]);
  }
}

template <typename T>
void bias_activation_forward_t(Activation f, int n, int B, T* z, const T* b, T* a) {
  // One column (sample) at a time: add b, then σ while the column is in L1.
  for (int j = 0; j < B; ++j) {
    T* zj = z + std::ptrdiff_t(j) * n;
    T* aj = a + std::ptrdiff_t(j) * n;
    for (int i = 0; i < n; ++i) zj[i] += b[i];
    activation_range(f, n, zj, aj);
  }
}

template <typename T>
void activation_backward_t(Activation f, std::ptrdiff_t count, const T* g, const T* z, const T* a, T* d) {
  std::ptrdiff_t i = 0;
  switch (f) {
    case Activation::linear:
      if (d != g) std::copy(g, g + count, d);
      break;
    case Activation::sigmoid:  // σ' = a (1 − a)
      for (; i < count; ++i) d[i] = g[i] * (a[i] * (T(1) - a[i]));
      break;
    case Activation::tanh:  // σ' = 1 − a²
      for (; i < count; ++i) d[i] = g[i] * (T(1) - a[i] * a[i]);
      break;
    case Activation::relu:  // σ' = [z > 0]
      for (; i < count; ++i) d[i] = z[i] > T(0) ? g[i] : T(0);
      break;
    case Activation::leaky_relu:
      for (; i < count; ++i) d[i] = z[i] > T(0) ? g[i] : T(kLeakyReluSlope) * g[i];
      break;
    case Activation::softplus:  // σ' = sigmoid(z)
      if constexpr (std::is_same<T, float>::value && kEigenElementwise) {
        Eigen::Map<ArrayF>(d, count) = Eigen::Map<const ArrayF>(g, count) / (1.0f + (-Eigen::Map<const ArrayF>(z, count)).exp());
        break;
      }
      if constexpr (std::is_same<T, float>::value && kSimdElementwise)
        for (; i + 4 <= count; i += 4) simd::store(d + i, simd::mul(simd::load(g + i), sigmoid4(simd::load(z + i))));
      for (; i < count; ++i) d[i] = g[i] * sigmoid(z[i]);
      break;
  }
}

template <typename T>
void row_sums_t(int n, int B, const T* d, T* db) {
  std::fill(db, db + n, T(0));
  for (int j = 0; j < B; ++j) {
    const T* dj = d + std::ptrdiff_t(j) * n;
    for (int i = 0; i < n; ++i) db[i] += dj[i];
  }
}

template <typename T>
double squared_error_sum_t(std::ptrdiff_t count, const T* y, const T* t) {
  // Float sums in 8 independent partial sums (vectorizable), then double.
  T part[8] = {};
  std::ptrdiff_t i = 0;
  for (; i + 8 <= count; i += 8)
    for (int l = 0; l < 8; ++l) {
      const T e = t[i + l] - y[i + l];
      part[l] += e * e;
    }
  double s = 0;
  for (int l = 0; l < 8; ++l) s += double(part[l]);
  for (; i < count; ++i) s += double(t[i] - y[i]) * double(t[i] - y[i]);
  return s;
}

template <typename T>
double sigmoid_cross_entropy_sum_t(std::ptrdiff_t count, const T* z, const T* t) {
  double s = 0;
  std::ptrdiff_t i = 0;
  if constexpr (std::is_same<T, float>::value && kEigenElementwise) {
    // Partial sums over blocks of 1024 in float, added up in double (as the 4-lane path below).
    for (; i < count; i += 1024) {
      const std::ptrdiff_t n = std::min<std::ptrdiff_t>(1024, count - i);
      const Eigen::Map<const ArrayF> zz(z + i, n), tt(t + i, n);
      s += double((zz.max(0.0f) - tt * zz + (1.0f + (-zz.abs()).exp()).log()).sum());
    }
    return s;
  }
  if constexpr (std::is_same<T, float>::value && kSimdElementwise) {
    using namespace simd;
    // Partial sums over blocks of 1024, added up in double: float rounding stays ~1e-7 relative.
    while (i + 4 <= count) {
      f4 acc = splat(0.0f);
      const std::ptrdiff_t end = std::min<std::ptrdiff_t>(count, i + 1024);
      for (; i + 4 <= end; i += 4) {
        const f4 v = load(z + i), tv = load(t + i);
        acc = add(acc, add(sub(max(v, splat(0.0f)), mul(tv, v)), log1p_exp_neg_abs4(v)));
      }
      alignas(16) float lanes[4];
      store(lanes, acc);
      s += double(lanes[0]) + double(lanes[1]) + double(lanes[2]) + double(lanes[3]);
    }
  }
  for (; i < count; ++i) s += double(std::max(z[i], T(0)) - t[i] * z[i] + std::log1p(std::exp(-std::abs(z[i]))));
  return s;
}

template <typename T>
void adam_update_t(std::ptrdiff_t count, T eta, T b1, T b2, T c1, T c2, T eps, const T* theta, const T* g, T* m, T* v, T* out) {
  std::ptrdiff_t i = 0;
  if constexpr (std::is_same<T, float>::value && kSimdElementwise) {
    using namespace simd;
    const f4 vb1 = splat(b1), vb2 = splat(b2), vnb1 = splat(1 - b1), vnb2 = splat(1 - b2);
    const f4 vstep = splat(eta / c1), vinv_c2 = splat(1 / c2), veps = splat(eps);
    for (; i + 4 <= count; i += 4) {
      const f4 gv = load(g + i);
      const f4 mv = add(mul(vb1, load(m + i)), mul(vnb1, gv));
      const f4 vv = add(mul(vb2, load(v + i)), mul(vnb2, mul(gv, gv)));
      store(m + i, mv);
      store(v + i, vv);
      store(out + i, sub(load(theta + i), div(mul(vstep, mv), add(sqrt(mul(vv, vinv_c2)), veps))));
    }
  }
  if constexpr (!kSimdElementwise) {
    // Natively Eigen's packet sqrt/div vectorize this; a plain loop with std::sqrt does not (errno).
    using Arr = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Arr> mm(m, count), vv(v, count), oo(out, count);
    const Eigen::Map<const Arr> gg(g, count), th(theta, count);
    mm = b1 * mm + (T(1) - b1) * gg;
    vv = b2 * vv + (T(1) - b2) * gg.square();
    oo = th - eta * (mm / c1) / ((vv / c2).sqrt() + eps);
    return;
  }
  for (; i < count; ++i) {
    m[i] = b1 * m[i] + (T(1) - b1) * g[i];
    v[i] = b2 * v[i] + (T(1) - b2) * g[i] * g[i];
    out[i] = theta[i] - eta * (m[i] / c1) / (std::sqrt(v[i] / c2) + eps);
  }
}

// 1 for ±∞ and NaN (x − x is NaN exactly then), 0 else: an integer the update loops OR together,
// which vectorizes where a branch or std::isfinite would not.
template <typename T> inline int not_finite(T x) { return x - x != T(0); }

}  // namespace

namespace {

// ---- Threads for the elementwise work ---------------------------------------------------------
// Below this many values a kernel runs on the calling thread alone.
constexpr std::ptrdiff_t kParallelMinValues = 1 << 15;

// Splits [0, count) items of `item_values` values each (1: single values, n: columns of n) into
// one contiguous range per thread and runs f(part, begin, end) on each; one range when there is too
// little work or one thread. Ranges of single values start at multiples of 16, so vector loops keep
// their alignment. Returns the number of parts.
template <typename F>
int for_ranges(std::ptrdiff_t count, F&& f, std::ptrdiff_t item_values = 1) {
  const std::ptrdiff_t values = count * item_values;
  const int parts = int(std::min<std::ptrdiff_t>({std::ptrdiff_t(threads()), values / (kParallelMinValues / 2), count}));
  if (parts < 2 || values < kParallelMinValues) {
    f(0, std::ptrdiff_t(0), count);
    return 1;
  }
  const std::ptrdiff_t align = item_values == 1 ? 16 : 1;
  const auto start = [&](int p) { return p >= parts ? count : (count * p / parts) / align * align; };
  parallel_for(parts, [&](int p) { f(p, start(p), start(p + 1)); });
  return parts;
}

template <typename T>
bool sgd_update_t(std::ptrdiff_t count, T eta, const T* theta, const T* g, T* out) {
  int bad = 0;
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    const T o = theta[i] - eta * g[i];
    out[i] = o;
    bad |= not_finite(o);
  }
  return !bad;
}
template <typename T>
bool momentum_update_t(std::ptrdiff_t count, T mu, T eta, const T* theta, const T* g, T* v, T* out) {
  int bad = 0;
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    v[i] = mu * v[i] - eta * g[i];
    const T o = theta[i] + v[i];
    out[i] = o;
    bad |= not_finite(o);
  }
  return !bad;
}
template <typename T>
bool all_finite(std::ptrdiff_t count, const T* x) {
  int bad = 0;
  for (std::ptrdiff_t i = 0; i < count; ++i) bad |= not_finite(x[i]);
  return !bad;
}

// Each part of an update says whether its values are finite; the update is finite when all are.
template <typename F>
bool all_parts_finite(std::ptrdiff_t count, F&& update_range) {
  bool finite[kMaxThreads];
  const int parts = for_ranges(count, [&](int p, std::ptrdiff_t i0, std::ptrdiff_t i1) { finite[p] = update_range(i0, i1); });
  return std::all_of(finite, finite + parts, [](bool f) { return f; });
}

}  // namespace

// Each kernel splits its values (or the columns of a batch, or the rows of δ) across the threads
// when there are enough: every value is computed as on one thread, so the results do not depend on
// the thread count — except the loss sums, whose partial sums are added in another order (the loss
// is reported, never used in a gradient).
#define AELAB_KERNELS_DEFINE(T)                                                                                  \
  void bias_activation_forward(Activation f, int n, int B, T* z, const T* b, T* a) noexcept {                    \
    for_ranges(B, [&](int, std::ptrdiff_t j0, std::ptrdiff_t j1) {  /* whole columns */                          \
      bias_activation_forward_t<T>(f, n, int(j1 - j0), z + j0 * n, b, a + j0 * n);                                \
    }, n);                                                                                                       \
  }                                                                                                              \
  void activation_forward(Activation f, std::ptrdiff_t count, const T* z, T* a) noexcept {                       \
    for_ranges(count, [&](int, std::ptrdiff_t i0, std::ptrdiff_t i1) { activation_range<T>(f, i1 - i0, z + i0, a + i0); }); \
  }                                                                                                              \
  void activation_backward(Activation f, std::ptrdiff_t count, const T* g, const T* z, const T* a,               \
                           T* delta) noexcept {                                                                  \
    for_ranges(count, [&](int, std::ptrdiff_t i0, std::ptrdiff_t i1) {                                          \
      activation_backward_t<T>(f, i1 - i0, g + i0, z + i0, a + i0, delta + i0);                                  \
    });                                                                                                          \
  }                                                                                                              \
  void row_sums(int n, int B, const T* delta, T* db) noexcept {                                                 \
    for_ranges(n, [&](int, std::ptrdiff_t i0, std::ptrdiff_t i1) {  /* whole rows, each summed in column order */ \
      for (std::ptrdiff_t i = i0; i < i1; ++i) db[i] = T(0);                                                     \
      for (int j = 0; j < B; ++j)                                                                                \
        for (std::ptrdiff_t i = i0; i < i1; ++i) db[i] += delta[std::ptrdiff_t(j) * n + i];                      \
    }, B);                                                                                                       \
  }                                                                                                              \
  void gather_columns(int n, int count, const T* X, const int* columns, T* out) noexcept {                      \
    for_ranges(count, [&](int, std::ptrdiff_t j0, std::ptrdiff_t j1) {  /* whole columns */                      \
      for (std::ptrdiff_t j = j0; j < j1; ++j)                                                                   \
        std::copy_n(X + std::ptrdiff_t(columns[j]) * n, n, out + j * n);                                         \
    }, n);                                                                                                       \
  }                                                                                                              \
  void scaled_difference(std::ptrdiff_t count, T s, const T* y, const T* t, T* out) noexcept {                   \
    for_ranges(count, [&](int, std::ptrdiff_t i0, std::ptrdiff_t i1) {                                           \
      for (std::ptrdiff_t i = i0; i < i1; ++i) out[i] = s * (y[i] - t[i]);                                       \
    });                                                                                                          \
  }                                                                                                              \
  double squared_error_sum(std::ptrdiff_t count, const T* y, const T* t) noexcept {                              \
    double part[kMaxThreads];                                                                                    \
    const int parts = for_ranges(count, [&](int p, std::ptrdiff_t i0, std::ptrdiff_t i1) {                       \
      part[p] = squared_error_sum_t<T>(i1 - i0, y + i0, t + i0);                                                 \
    });                                                                                                          \
    return std::accumulate(part, part + parts, 0.0);                                                             \
  }                                                                                                              \
  double sigmoid_cross_entropy_sum(std::ptrdiff_t count, const T* z, const T* t) noexcept {                      \
    double part[kMaxThreads];                                                                                    \
    const int parts = for_ranges(count, [&](int p, std::ptrdiff_t i0, std::ptrdiff_t i1) {                       \
      part[p] = sigmoid_cross_entropy_sum_t<T>(i1 - i0, z + i0, t + i0);                                         \
    });                                                                                                          \
    return std::accumulate(part, part + parts, 0.0);                                                             \
  }                                                                                                              \
  bool sgd_update(std::ptrdiff_t count, T eta, const T* theta, const T* g, T* out) noexcept {                   \
    return all_parts_finite(count, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {                                   \
      return sgd_update_t<T>(i1 - i0, eta, theta + i0, g + i0, out + i0);                                        \
    });                                                                                                          \
  }                                                                                                              \
  bool momentum_update(std::ptrdiff_t count, T mu, T eta, const T* theta, const T* g, T* v, T* out) noexcept {   \
    return all_parts_finite(count, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {                                   \
      return momentum_update_t<T>(i1 - i0, mu, eta, theta + i0, g + i0, v + i0, out + i0);                       \
    });                                                                                                          \
  }                                                                                                              \
  bool adam_update(std::ptrdiff_t count, T eta, T beta1, T beta2, T c1, T c2, T eps, const T* theta, const T* g, \
                   T* m, T* v, T* out) noexcept {                                                                \
    return all_parts_finite(count, [&](std::ptrdiff_t i0, std::ptrdiff_t i1) {                                   \
      adam_update_t<T>(i1 - i0, eta, beta1, beta2, c1, c2, eps, theta + i0, g + i0, m + i0, v + i0, out + i0);  \
      return all_finite(i1 - i0, out + i0);                                                                      \
    });                                                                                                          \
  }
AELAB_KERNELS_DEFINE(float)
AELAB_KERNELS_DEFINE(double)
#undef AELAB_KERNELS_DEFINE

}  // namespace ae::kernels
