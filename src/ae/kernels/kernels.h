// kernels.h — the fast path of the engine: matrix products and the elementwise work of a training
// step, behind one interface.
//
// This is deliberately NOT the readable code. The lecture's equations live in dense.h,
// activations.h, loss.h and optimizer.h as plain Eigen expressions (the reference path, which the
// gradient checks and worked examples are written against). This file is what those headers call
// when speed matters, in the spirit of llm.c keeping its CUDA kernels apart from train_gpt2.c.
//
// What is here (all matrices column-major, like Eigen's default; ld* = leading dimension, the
// distance in elements between two columns):
//   gemm        C = α op(A) op(B) + β C   for the three forms backprop needs:
//                 NN  C = α A·B  + β C      forward      z = W a
//                 NT  C = α A·Bᵀ + β C      weight grad  ∇W = δ aᵀ
//                 TN  C = α Aᵀ·B + β C      input grad   ∂C/∂a_prev = Wᵀ δ
//               β = 0 means "C is output only": its old contents (even NaN) are never read.
//   elementwise bias + activation (one pass), δ = g ⊙ σ'(z) (one pass), row sums, the loss and its
//               gradient, and the SGD / momentum / Adam updates.
//
// Which implementation runs is fixed at compile time (kBackend):
//   WebAssembly        the packed, register-blocked kernels in gemm_simd.cpp, written with
//                      <wasm_simd128.h> (Eigen has no wasm SIMD path: it runs scalar code there)
//   native (default)   Eigen's GEMM, which has SSE/AVX paths, for products; the same plain loops for
//                      the elementwise work (the compiler vectorizes them)
// The portable scalar reference (reference_gemm, below) is the oracle every test compares against.
// The packed kernels also build natively (with GCC/Clang vector extensions instead of
// wasm_simd128.h), so the same blocking code is tested under ASan and can be benchmarked natively.
//
// One run-time switch exists for benchmarks only: set_enabled(false) sends dense.h, loss.h and
// optimizer.h back to their readable Eigen reference code, so `aelab bench` can measure the
// "before" (plain Eigen) and the "after" (these kernels) in the same process.
#pragma once

#include <Eigen/Core>

#include <cstddef>

namespace ae {

enum class Activation;  // activations.h

namespace kernels {

enum class Trans { no, yes };
enum class Backend { simd, eigen, reference };

#if defined(__wasm_simd128__)
constexpr Backend kBackend = Backend::simd;
#elif defined(AELAB_GEMM_SIMD)
constexpr Backend kBackend = Backend::simd;   // native, the packed kernels (optional)
#else
constexpr Backend kBackend = Backend::eigen;
#endif

const char* backend_name(Backend b);

// Fast path on/off (benchmarks only; on by default).
bool enabled();
void set_enabled(bool on);

// ---- GEMM -------------------------------------------------------------------------------------
// C (m, n) = α op(A) op(B) + β C, op(A) (m, k), op(B) (k, n). The compile-time backend for float;
// Eigen for double (double is for checks, not speed).
void gemm(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
          float beta, float* C, int ldc) noexcept;
void gemm(Trans ta, Trans tb, int m, int n, int k, double alpha, const double* A, int lda, const double* B, int ldb,
          double beta, double* C, int ldc) noexcept;

// Each implementation on its own (tests and benchmarks).
void gemm_simd(Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B, int ldb,
               float beta, float* C, int ldc) noexcept;
template <typename T>
void gemm_eigen(Trans ta, Trans tb, int m, int n, int k, T alpha, const T* A, int lda, const T* B, int ldb, T beta,
                T* C, int ldc) noexcept;

// The oracle: three plain loops, accumulated in double.
template <typename T>
void reference_gemm(Trans ta, Trans tb, int m, int n, int k, T alpha, const T* A, int lda, const T* B, int ldb, T beta,
                    T* C, int ldc) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double s = 0;
      for (int p = 0; p < k; ++p) {
        const double a = ta == Trans::no ? A[i + std::ptrdiff_t(p) * lda] : A[p + std::ptrdiff_t(i) * lda];
        const double b = tb == Trans::no ? B[p + std::ptrdiff_t(j) * ldb] : B[j + std::ptrdiff_t(p) * ldb];
        s += a * b;
      }
      T& c = C[i + std::ptrdiff_t(j) * ldc];
      c = beta == T(0) ? T(alpha * s) : T(alpha * s + double(beta) * double(c));
    }
}

// ---- Elementwise ------------------------------------------------------------------------------
// Matrices are dense (n, B), column-major, `count` = n·B. Overloads for float and double.
#define AELAB_KERNELS_ELEMENTWISE(T)                                                                       \
  /* z(i,j) += b(i); a = σ(z), in one pass (z is (n, B)) */                                                \
  void bias_activation_forward(Activation f, int n, int B, T* z, const T* b, T* a) noexcept;               \
  /* a = σ(z) */                                                                                            \
  void activation_forward(Activation f, std::ptrdiff_t count, const T* z, T* a) noexcept;                  \
  /* δ = g ⊙ σ'(z), σ' from z and/or a (no σ' matrix is formed) */                                          \
  void activation_backward(Activation f, std::ptrdiff_t count, const T* g, const T* z, const T* a,          \
                           T* delta) noexcept;                                                              \
  /* db(i) = Σ_j δ(i, j)  (δ is (n, B)) */                                                                  \
  void row_sums(int n, int B, const T* delta, T* db) noexcept;                                              \
  /* out(:, j) = X(:, columns[j]) for j < count: a minibatch gathered from the data set X (n rows)  */        \
  void gather_columns(int n, int count, const T* X, const int* columns, T* out) noexcept;                   \
  /* out = s (y − t) */                                                                                     \
  void scaled_difference(std::ptrdiff_t count, T s, const T* y, const T* t, T* out) noexcept;               \
  /* Σ (t − y)² */                                                                                          \
  double squared_error_sum(std::ptrdiff_t count, const T* y, const T* t) noexcept;                          \
  /* Σ max(z, 0) − t z + log(1 + e^(−|z|))  (cross-entropy of y = σ(z), from z) */                          \
  double sigmoid_cross_entropy_sum(std::ptrdiff_t count, const T* z, const T* t) noexcept;                  \
  /* The updates write the new θ to `out`, which may be θ itself (in place) or another buffer, and  */    \
  /* return whether every new value is finite (checked in the same pass).                            */    \
  /* out = θ − η g */                                                                                       \
  bool sgd_update(std::ptrdiff_t count, T eta, const T* theta, const T* g, T* out) noexcept;                \
  /* v ← μ v − η g ;  out = θ + v */                                                                        \
  bool momentum_update(std::ptrdiff_t count, T mu, T eta, const T* theta, const T* g, T* v, T* out) noexcept; \
  /* m ← β₁m + (1−β₁)g ; v ← β₂v + (1−β₂)g² ; out = θ − η (m/c1) / (√(v/c2) + ε) */                        \
  bool adam_update(std::ptrdiff_t count, T eta, T beta1, T beta2, T c1, T c2, T eps, const T* theta, const T* g, \
                   T* m, T* v, T* out) noexcept;
AELAB_KERNELS_ELEMENTWISE(float)
AELAB_KERNELS_ELEMENTWISE(double)
#undef AELAB_KERNELS_ELEMENTWISE

// Vectorized e^x and log x on arrays (exposed for the tests; accurate to a few ulp for normal
// inputs, e^x clamped to the float range).
void exp_array(std::ptrdiff_t count, const float* x, float* out) noexcept;
void log_array(std::ptrdiff_t count, const float* x, float* out) noexcept;

}  // namespace kernels
}  // namespace ae
