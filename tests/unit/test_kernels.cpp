// The fast kernels (src/ae/kernels) against the portable scalar reference: every GEMM form, every
// α/β case, odd and tiny shapes, leading dimensions larger than the rows; the elementwise kernels
// against the readable Eigen code; and a whole training step, fast path vs reference path.
#include "ae/ae.h"
#include "ae/kernels/kernels.h"
#include "ae/kernels/parallel.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace ae;
using kernels::Trans;

namespace {

// Runs one GEMM through `impl` and through the reference on the same random inputs; returns the
// largest |difference| relative to Σ|a||b| (the scale of the rounding error of a float dot product).
template <typename Impl>
double gemm_error(Impl impl, Trans ta, Trans tb, int m, int n, int k, float alpha, float beta, int pad, Rng& rng) {
  const int a_rows = ta == Trans::no ? m : k, a_cols = ta == Trans::no ? k : m;
  const int b_rows = tb == Trans::no ? k : n, b_cols = tb == Trans::no ? n : k;
  const int lda = a_rows + pad, ldb = b_rows + pad, ldc = m + pad;
  std::vector<float> A(size_t(lda) * a_cols + 1), B(size_t(ldb) * b_cols + 1), C(size_t(ldc) * n + 1);
  for (auto& v : A) v = float(rng.uniform(-1, 1));
  for (auto& v : B) v = float(rng.uniform(-1, 1));
  for (auto& v : C) v = float(rng.uniform(-1, 1));
  if (beta == 0.0f)  // β = 0: C's old contents must not be read, even NaN
    for (auto& v : C) v = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> C_ref = C;
  impl(ta, tb, m, n, k, alpha, A.data(), lda, B.data(), ldb, beta, C.data(), ldc);
  kernels::reference_gemm(ta, tb, m, n, k, alpha, A.data(), lda, B.data(), ldb, beta, C_ref.data(), ldc);
  double worst = 0;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < ldc; ++i) {
      const size_t at = size_t(i) + size_t(j) * ldc;
      if (i >= m) {  // padding rows between columns must be untouched
        if (!(C[at] == C_ref[at] || (std::isnan(C[at]) && std::isnan(C_ref[at])))) return 1e30;
        continue;
      }
      if (!std::isfinite(C[at])) return 1e30;
      const double scale = std::abs(alpha) * k + std::abs(beta) + 1;
      worst = std::max(worst, std::abs(double(C[at]) - double(C_ref[at])) / scale);
    }
  return worst;
}

const Trans forms[3][2] = {{Trans::no, Trans::no}, {Trans::no, Trans::yes}, {Trans::yes, Trans::no}};
const char* form_names[3] = {"NN", "NT", "TN"};

}  // namespace

TEST_SUITE("kernels") {
  TEST_CASE("GEMM: packed SIMD kernels and Eigen match the reference on every form, α/β case and shape") {
    Rng rng(42);
    const int shapes[][3] = {{1, 1, 1},   {3, 7, 5},     {7, 3, 1},    {129, 65, 33},  {1000, 3, 7}, {3, 1000, 9},
                             {8, 4, 256}, {9, 5, 257},   {16, 8, 513}, {130, 513, 70}, {1, 17, 600}, {33, 1, 2},
                             {5, 6, 0},   {256, 128, 784}};
    const float alphas[] = {1.0f, -0.75f};
    const float betas[] = {0.0f, 1.0f, 0.5f};
    int cases = 0;
    for (const auto& s : shapes)
      for (int f = 0; f < 3; ++f)
        for (float alpha : alphas)
          for (float beta : betas)
            for (int pad : {0, 3}) {
              const int m = s[0], n = s[1], k = s[2];
              if (m * n * k > 256 * 128 * 784 / 4 && (pad != 0 || alpha != 1.0f)) continue;  // keep it quick
              CAPTURE(form_names[f]);
              CAPTURE(m);
              CAPTURE(n);
              CAPTURE(k);
              CAPTURE(alpha);
              CAPTURE(beta);
              CAPTURE(pad);
              CHECK(gemm_error(kernels::gemm_simd, forms[f][0], forms[f][1], m, n, k, alpha, beta, pad, rng) < 1e-6);
              CHECK(gemm_error(kernels::gemm_eigen<float>, forms[f][0], forms[f][1], m, n, k, alpha, beta, pad, rng) <
                    1e-6);
              ++cases;
            }
    CHECK(cases > 200);
  }

  // gemm_eigen calls Eigen's packed GEMM itself (with packing buffers it keeps) where the product
  // expression would; the results must be the expression's to the bit, so a model trains to the
  // same weights as before that change. The shapes go big, small, big again (the kept buffers are
  // grown, then reused by a smaller product), and straddle Eigen's own switches: vectors (GEMV) and
  // m + n + k < 20 (plain loops).
  TEST_CASE_TEMPLATE("GEMM: Eigen behind the kernels gives the bits of Eigen's product expression", T, float, double) {
    using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
    Rng rng(11);
    const int shapes[][3] = {{256, 128, 784}, {3, 7, 5}, {6, 6, 7}, {7, 6, 7}, {1, 40, 30}, {40, 1, 30},
                             {784, 128, 256}, {64, 256, 128}, {129, 65, 33}, {2, 128, 128}, {5, 6, 0}};
    const Trans ts[2] = {Trans::no, Trans::yes};
    for (const auto& s : shapes)
      for (Trans ta : ts)
        for (Trans tb : ts)
          for (T alpha : {T(1), T(-0.75)})
            for (T beta : {T(0), T(1), T(0.5)}) {
              const int m = s[0], n = s[1], k = s[2];
              CAPTURE(m);
              CAPTURE(n);
              CAPTURE(k);
              CAPTURE(int(ta));
              CAPTURE(int(tb));
              Mat A(ta == Trans::no ? m : k, ta == Trans::no ? k : m), B(tb == Trans::no ? k : n, tb == Trans::no ? n : k);
              Mat C(m, n);
              for (Eigen::Index i = 0; i < A.size(); ++i) A.data()[i] = T(rng.uniform(-1, 1));
              for (Eigen::Index i = 0; i < B.size(); ++i) B.data()[i] = T(rng.uniform(-1, 1));
              for (Eigen::Index i = 0; i < C.size(); ++i) C.data()[i] = T(rng.uniform(-1, 1));
              Mat expected = beta == T(0) ? Mat(Mat::Zero(m, n)) : Mat(beta == T(1) ? C : Mat(C * beta));
              if (k > 0) {
                if (ta == Trans::no && tb == Trans::no) expected.noalias() += alpha * A * B;
                else if (ta == Trans::no) expected.noalias() += alpha * A * B.transpose();
                else if (tb == Trans::no) expected.noalias() += alpha * A.transpose() * B;
                else expected.noalias() += alpha * A.transpose() * B.transpose();
              }
              kernels::gemm_eigen<T>(ta, tb, m, n, k, alpha, A.data(), int(A.rows()), B.data(), int(B.rows()), beta,
                                     C.data(), m);
              int differing = 0;
              for (Eigen::Index i = 0; i < C.size(); ++i) differing += C.data()[i] != expected.data()[i];
              CHECK(differing == 0);
            }
  }

  TEST_CASE("GEMM: the compile-time backend is the one documented") {
#if defined(__wasm_simd128__)
    CHECK(kernels::kBackend == kernels::Backend::simd);
#else
    CHECK(kernels::kBackend == kernels::Backend::eigen);
#endif
    Rng rng(3);
    auto dispatch = [](Trans ta, Trans tb, int m, int n, int k, float alpha, const float* A, int lda, const float* B,
                       int ldb, float beta, float* C, int ldc) {
      kernels::gemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
    };
    for (int f = 0; f < 3; ++f) CHECK(gemm_error(dispatch, forms[f][0], forms[f][1], 37, 21, 300, 1.0f, 0.0f, 0, rng) < 1e-6);
  }

  TEST_CASE("GEMM: double goes through Eigen and matches the reference") {
    Rng rng(5);
    const int m = 13, n = 9, k = 21;
    for (int f = 0; f < 3; ++f) {
      const Trans ta = forms[f][0], tb = forms[f][1];
      std::vector<double> A(size_t(m) * k), B(size_t(k) * n), C(size_t(m) * n, 0.25), C_ref;
      for (auto& v : A) v = rng.uniform(-1, 1);
      for (auto& v : B) v = rng.uniform(-1, 1);
      C_ref = C;
      const int lda = ta == Trans::no ? m : k, ldb = tb == Trans::no ? k : n;
      kernels::gemm(ta, tb, m, n, k, 0.5, A.data(), lda, B.data(), ldb, 2.0, C.data(), m);
      kernels::reference_gemm(ta, tb, m, n, k, 0.5, A.data(), lda, B.data(), ldb, 2.0, C_ref.data(), m);
      for (size_t i = 0; i < C.size(); ++i) CHECK(C[i] == doctest::Approx(C_ref[i]).epsilon(1e-12));
    }
  }

  TEST_CASE("vectorized e^x and log x are accurate to a few ulp") {
    std::vector<float> x, y(2001), back(2001);
    for (int i = 0; i <= 2000; ++i) x.push_back(-87.0f + 175.0f * float(i) / 2000.0f);
    kernels::exp_array(std::ptrdiff_t(x.size()), x.data(), y.data());
    double worst_exp = 0;
    for (size_t i = 0; i < x.size(); ++i) worst_exp = std::max(worst_exp, std::abs(double(y[i]) / std::exp(double(x[i])) - 1));
    CHECK(worst_exp < 1e-6);
    std::vector<float> pos;
    for (int i = 0; i <= 2000; ++i) pos.push_back(std::pow(10.0f, -37.0f + 74.0f * float(i) / 2000.0f));
    kernels::log_array(std::ptrdiff_t(pos.size()), pos.data(), back.data());
    double worst_log = 0;
    for (size_t i = 0; i < pos.size(); ++i)
      worst_log = std::max(worst_log, std::abs(double(back[i]) - std::log(double(pos[i]))) / std::max(1.0, std::abs(std::log(double(pos[i])))));
    CHECK(worst_log < 1e-6);
    // Extremes stay finite (clamped), NaN-free.
    const float extreme[4] = {-1000.0f, 1000.0f, 0.0f, -0.0f};
    float e[4];
    kernels::exp_array(4, extreme, e);
    CHECK(e[0] >= 0.0f);
    CHECK(std::isfinite(e[1]));
    CHECK(e[2] == doctest::Approx(1.0f));
  }

  TEST_CASE("the tanh kernel is within 8 ulp of tanh, ±1 far out and NaN for NaN") {
    // 200,001 points over [−12, 12] (tanh is ±1 in float beyond 9), each against tanh in double
    // rounded to float; the error in units of the last place (ulp) of that float.
    const int n = 200001;
    std::vector<float> z(n), a(n);
    for (int i = 0; i < n; ++i) z[size_t(i)] = -12.0f + 24.0f * float(i) / float(n - 1);
    kernels::activation_forward(Activation::tanh, n, z.data(), a.data());
    double worst_ulp = 0;
    for (int i = 0; i < n; ++i) {
      const float exact = float(std::tanh(double(z[size_t(i)])));
      const double ulp = std::nextafter(std::abs(exact), 2.0f) - std::abs(exact);
      worst_ulp = std::max(worst_ulp, std::abs(double(a[size_t(i)]) - double(exact)) / ulp);
    }
    CAPTURE(worst_ulp);
    CHECK(worst_ulp <= 8.0);
    const float special[7] = {0.0f, 1e-30f, -1e-30f, 100.0f, -1e30f, std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::quiet_NaN()};
    float t[7];
    kernels::activation_forward(Activation::tanh, 7, special, t);
    CHECK(t[0] == 0.0f);
    CHECK(t[1] == doctest::Approx(1e-30f).epsilon(1e-6));  // tanh z ≈ z near 0: no cancellation
    CHECK(t[2] == doctest::Approx(-1e-30f).epsilon(1e-6));
    CHECK(t[3] == 1.0f);
    CHECK(t[4] == -1.0f);
    CHECK(t[5] == 1.0f);
    CHECK(std::isnan(t[6]));
  }

  TEST_CASE("elementwise kernels match the readable Eigen code, every activation") {
    Rng rng(7);
    const int n = 37, B = 11;  // odd sizes: vector bodies and scalar tails
    Matrix<float> z0(n, B), g(n, B), t(n, B);
    Vector<float> b(n);
    for (Eigen::Index i = 0; i < z0.size(); ++i) {
      z0.data()[i] = float(rng.uniform(-6, 6));
      g.data()[i] = float(rng.uniform(-1, 1));
      t.data()[i] = float(rng.uniform(0, 1));
    }
    z0(0, 0) = 0.0f;
    z0(1, 0) = 95.0f;   // beyond e^x's float range
    z0(2, 0) = -95.0f;
    for (int i = 0; i < n; ++i) b(i) = float(rng.uniform(-1, 1));
    for (Activation f : {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu,
                         Activation::leaky_relu, Activation::softplus}) {
      CAPTURE(activation_name(f));
      Matrix<float> z = z0, a(n, B);
      kernels::bias_activation_forward(f, n, B, z.data(), b.data(), a.data());
      Matrix<float> z_ref = z0;
      z_ref.colwise() += b;
      Matrix<float> a_ref, dadz;
      activation_forward(f, z_ref, a_ref);
      CHECK((z - z_ref).cwiseAbs().maxCoeff() == 0.0f);
      CHECK((a - a_ref).cwiseAbs().maxCoeff() < 2e-6f * (1 + a_ref.cwiseAbs().maxCoeff()));
      Matrix<float> delta(n, B);
      kernels::activation_backward(f, z.size(), g.data(), z_ref.data(), a_ref.data(), delta.data());
      activation_derivative(f, z_ref, a_ref, dadz);
      const Matrix<float> delta_ref = g.cwiseProduct(dadz);
      CHECK((delta - delta_ref).cwiseAbs().maxCoeff() < 2e-6f);
      CHECK(a.allFinite());
    }
    // Row sums, losses, the loss gradient.
    Vector<float> db(n);
    kernels::row_sums(n, B, g.data(), db.data());
    CHECK((db - Vector<float>(g.rowwise().sum())).cwiseAbs().maxCoeff() < 1e-5f);
    Matrix<float> y;
    activation_forward(Activation::sigmoid, z0, y);
    LossConfig bce;
    bce.kind = LossKind::binary_cross_entropy;
    LossConfig se;
    float fast_bce, fast_se, ref_bce, ref_se;
    Matrix<float> grad_fast, grad_ref;
    kernels::set_enabled(false);
    ref_bce = loss_value(bce, Activation::sigmoid, z0, y, t);
    ref_se = loss_value(se, Activation::sigmoid, z0, y, t);
    loss_gradient(se, Activation::sigmoid, y, t, grad_ref);
    kernels::set_enabled(true);
    fast_bce = loss_value(bce, Activation::sigmoid, z0, y, t);
    fast_se = loss_value(se, Activation::sigmoid, z0, y, t);
    loss_gradient(se, Activation::sigmoid, y, t, grad_fast);
    CHECK(fast_bce == doctest::Approx(ref_bce).epsilon(1e-5));
    CHECK(fast_se == doctest::Approx(ref_se).epsilon(1e-5));
    CHECK((grad_fast - grad_ref).cwiseAbs().maxCoeff() < 1e-7f);
  }

  TEST_CASE("optimizer kernels match the readable updates (SGD, momentum, Adam)") {
    Rng rng(11);
    for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::adam}) {
      CAPTURE(optimizer_name(kind));
      OptimizerConfig cfg;
      cfg.kind = kind;
      cfg.learning_rate = 0.01;
      Matrix<float> theta(23, 7), g(23, 7);
      for (Eigen::Index i = 0; i < theta.size(); ++i) {
        theta.data()[i] = float(rng.uniform(-1, 1));
        g.data()[i] = float(rng.uniform(-1, 1));
      }
      Matrix<float> theta_ref = theta, m = Matrix<float>::Zero(23, 7), v = m, m_ref = m, v_ref = m;
      for (long long t = 1; t <= 3; ++t) {
        detail::update_one_fast<float>(cfg, t, theta, g, m, v, theta);  // in place
        detail::update_one<float>(cfg, t, theta_ref, g, m_ref, v_ref, theta_ref);
      }
      CHECK((theta - theta_ref).cwiseAbs().maxCoeff() < 1e-6f);
      CHECK((m - m_ref).cwiseAbs().maxCoeff() < 1e-6f);
    }
  }

  TEST_CASE("a whole training step: fast kernels and the readable reference agree (M2-shaped, MNIST-like)") {
    // 784-128-2-128-784 on random [0,1] "images", batch 19 (odd), sigmoid output + cross-entropy,
    // and a ReLU/tanh variant with squared error; SGD and Adam.
    for (int variant = 0; variant < 2; ++variant) {
      Architecture arch;
      arch.input_size = 784;
      const Activation hidden = variant == 0 ? Activation::relu : Activation::tanh;
      arch.layers = {{128, hidden}, {2, Activation::linear}, {128, hidden}, {784, Activation::sigmoid}};
      arch.code_layer = 1;
      Rng rng(uint64_t(100 + variant));
      Autoencoder<float> fast = make_autoencoder<float>(arch, Init::glorot_uniform, rng), ref = fast;
      Matrix<float> x(784, 19);
      for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform(0, 1));
      TrainConfig cfg;
      cfg.loss.kind = variant == 0 ? LossKind::binary_cross_entropy : LossKind::squared_error;
      cfg.optimizer.kind = variant == 0 ? OptimizerKind::sgd : OptimizerKind::adam;
      cfg.optimizer.learning_rate = variant == 0 ? 0.1 : 1e-3;
      OptimizerState<float> s_fast, s_ref;
      Workspace<float> ws_fast, ws_ref;
      for (int step = 0; step < 3; ++step) {
        kernels::set_enabled(true);
        REQUIRE(train_step(fast, cfg, s_fast, x, x, ws_fast) == StepStatus::ok);
        kernels::set_enabled(false);
        REQUIRE(train_step(ref, cfg, s_ref, x, x, ws_ref) == StepStatus::ok);
        kernels::set_enabled(true);
        CHECK(ws_fast.loss == doctest::Approx(ws_ref.loss).epsilon(1e-4));
      }
      for (size_t l = 0; l < fast.layers.size(); ++l) {
        CAPTURE(l);
        const float scale = 1e-4f * (1 + ref.layers[l].W.cwiseAbs().maxCoeff());
        CHECK((fast.layers[l].W - ref.layers[l].W).cwiseAbs().maxCoeff() < scale);
        CHECK((fast.layers[l].b - ref.layers[l].b).cwiseAbs().maxCoeff() < scale);
        CHECK((ws_fast.grads[l].dW - ws_ref.grads[l].dW).cwiseAbs().maxCoeff() <
              1e-4f * (1 + ws_ref.grads[l].dW.cwiseAbs().maxCoeff()));
      }
    }
  }

  // Whether the build can run `n` threads (WebAssembly without pthreads has one); says so where not.
  bool threads_to_compare(int n) {
    kernels::set_threads(n);
    const bool available = kernels::threads() >= n;
    if (!available) MESSAGE("this build has no threads; nothing to compare");
    kernels::set_threads(1);
    return available;
  }

  // trained[t]: the model trained on t + 1 threads; each has the weights of trained[0], bit for bit.
  void check_same_weights_as_one_thread(const std::vector<Autoencoder<float>>& trained) {
    for (size_t t = 1; t < trained.size(); ++t)
      for (size_t l = 0; l < trained[0].layers.size(); ++l) {
        CAPTURE(t + 1);
        CAPTURE(l);
        CHECK(trained[t].layers[l].W == trained[0].layers[l].W);
        CHECK(trained[t].layers[l].b == trained[0].layers[l].b);
      }
  }

  // Threads (kernels/parallel.h): each row or column of a product, and each value of the elementwise
  // kernels, is computed by one thread as on one thread, so training gives the same weights, bit for
  // bit, on 1, 2 and 3 threads. (In WebAssembly built without pthreads there is one thread only.)
  TEST_CASE("threads: whole training steps give the same numbers as one thread") {
    if (!threads_to_compare(3)) return;
    Rng rng(5);
    // The products alone: test_kernel_threads.cpp.
    // The benchmark's M2 (batch 64) and M1 (batch 128, as `aelab train`'s default) with SGD and
    // Adam: 5 steps on 1, 2 and 3 threads.
    for (const bool m1 : {false, true})
    for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::adam}) {
      CAPTURE(m1);
      CAPTURE(optimizer_name(kind));
      Architecture arch;
      arch.input_size = 784;
      if (m1) arch.layers = {{256, Activation::relu}, {64, Activation::relu}, {256, Activation::relu}, {784, Activation::sigmoid}};
      else arch.layers = {{128, Activation::relu}, {2, Activation::linear}, {128, Activation::relu}, {784, Activation::sigmoid}};
      arch.code_layer = 1;
      Matrix<float> x(784, m1 ? 128 : 64);
      for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform(0, 1));
      TrainConfig cfg;
      cfg.loss.kind = LossKind::binary_cross_entropy;
      cfg.loss.units = Reduction::mean;  // as the benchmark's M2
      cfg.optimizer.kind = kind;
      cfg.optimizer.learning_rate = kind == OptimizerKind::sgd ? 0.5 : 1e-3;
      std::vector<Autoencoder<float>> trained;
      for (int threads = 1; threads <= 3; ++threads) {
        kernels::set_threads(threads);
        Rng init(9);
        Autoencoder<float> model = make_autoencoder<float>(arch, Init::he_normal, init);
        OptimizerState<float> state;
        Workspace<float> ws;
        for (int step = 0; step < 5; ++step) REQUIRE(train_step(model, cfg, state, x, x, ws) == StepStatus::ok);
        trained.push_back(std::move(model));
      }
      check_same_weights_as_one_thread(trained);
    }
    kernels::set_threads(1);
  }

  TEST_CASE("threads: a minibatch is gathered as on one thread, and a Trainer's steps give the same weights") {
    if (!threads_to_compare(3)) return;
    Rng rng(21);
    Matrix<float> data(784, 1000);
    for (Eigen::Index i = 0; i < data.size(); ++i) data.data()[i] = float(rng.uniform(0, 1));
    // Columns in any order, one of them twice, the first and the last of the data set among them.
    std::vector<int> columns = {999, 0, 17, 17, 500};
    while (columns.size() < 128) columns.push_back(int(rng.below(1000)));
    for (int threads = 1; threads <= 3; ++threads) {
      CAPTURE(threads);
      kernels::set_threads(threads);
      Matrix<float> batch(784, 128);
      kernels::gather_columns(784, 128, data.data(), columns.data(), batch.data());
      for (int j = 0; j < 128; ++j) REQUIRE(batch.col(j) == data.col(columns[size_t(j)]));
    }
    // The Trainer gathers each batch so: 1, 2 and 3 threads, 12 steps of batch 100 over 1,000
    // samples (an epoch ends and the data are reshuffled), the same weights.
    Architecture arch;
    arch.input_size = 784;
    arch.layers = {{256, Activation::relu}, {64, Activation::relu}, {256, Activation::relu}, {784, Activation::sigmoid}};
    arch.code_layer = 1;
    std::vector<Autoencoder<float>> trained;
    for (int threads = 1; threads <= 3; ++threads) {
      kernels::set_threads(threads);
      Trainer<float> trainer;
      Rng init(9);
      trainer.model = make_autoencoder<float>(arch, Init::he_normal, init);
      trainer.data = data;
      trainer.config.batch_size = 100;
      trainer.config.loss.kind = LossKind::binary_cross_entropy;
      trainer.config.loss.units = Reduction::mean;
      trainer.config.optimizer.kind = OptimizerKind::sgd;
      trainer.config.optimizer.learning_rate = 0.1;
      trainer.reset_progress();
      for (int step = 0; step < 12; ++step) {
        CAPTURE(trainer.failure);
        REQUIRE(std::isfinite(trainer.step()));
      }
      CHECK(trainer.epoch == 1);
      trained.push_back(std::move(trainer.model));
    }
    check_same_weights_as_one_thread(trained);
    kernels::set_threads(1);
  }

  TEST_CASE("a diverging step keeps the last good weights, swapped back, not copied") {
    Architecture arch;
    arch.input_size = 4;
    arch.layers = {{3, Activation::relu}, {4, Activation::linear}};
    arch.code_layer = 0;
    Rng rng(2);
    Autoencoder<float> model = make_autoencoder<float>(arch, Init::glorot_uniform, rng);
    Matrix<float> x = Matrix<float>::Constant(4, 2, 1000.0f);
    TrainConfig cfg;
    cfg.optimizer.learning_rate = 1e38;  // with inputs of 1000 the gradients are ~1e5: θ − ηg overflows to ±∞
    OptimizerState<float> state;
    Workspace<float> ws;
    const Autoencoder<float> before = model;
    CHECK(train_step(model, cfg, state, x, x, ws) == StepStatus::non_finite_weights);
    for (size_t l = 0; l < model.layers.size(); ++l) {
      CHECK(model.layers[l].W == before.layers[l].W);
      CHECK(model.layers[l].b == before.layers[l].b);
    }
  }
}
