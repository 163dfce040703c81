// The engine's forward/backward pass against finite differences, training on toy data, and the
// failure paths (bad architecture, divergence).
#include "ae/ae.h"
#include "ae/memory.h"

#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <limits>
#include <vector>

using namespace ae;

namespace {

// ∂C/∂p by central differences with one Richardson extrapolation step:
//   D(h) = (C(p + h) − C(p − h)) / 2h has error ≈ c h², so (4 D(h/2) − D(h)) / 3 cancels it,
// leaving O(h⁴) truncation and ≈ 1e-16·C/h rounding — far below the 1e-6 relative tolerance.
// Sets `crossed_kink` when a ReLU-type unit changes side of 0 between the probes (the loss is
// not differentiable there, so that parameter is not a fair test).
double numeric_derivative(Autoencoder<double>& model, const LossConfig& loss, const Matrix<double>& x, double& p,
                          bool& crossed_kink) {
  const double saved = p;
  Workspace<double> ws;
  std::vector<Matrix<double>> signs_at_first;
  crossed_kink = false;
  auto C = [&](double value) {
    p = value;
    sync_tied_weights(model);  // a tied decoder layer must see the perturbed W too
    forward(model, x, ws);
    std::vector<Matrix<double>> signs;
    for (const auto& act : ws.acts) signs.push_back((act.z.array() > 0).cast<double>().matrix());
    if (signs_at_first.empty()) signs_at_first = signs;
    for (size_t k = 0; k < signs.size(); ++k) crossed_kink |= (signs[k] != signs_at_first[k]);
    return loss_value(loss, model.layers.back().activation, ws.acts.back().z, ws.acts.back().a, x);
  };
  const double h = 1e-3;
  const double D_h = (C(saved + h) - C(saved - h)) / (2 * h);
  const double D_h2 = (C(saved + h / 2) - C(saved - h / 2)) / h;
  p = saved;
  sync_tied_weights(model);
  return (4 * D_h2 - D_h) / 3;
}

// |a − b| / max(|a|, |b|). Below 1e-5 the denominator is held at 1e-5: there the finite
// difference's own rounding noise (≈ 1e-16 · C / h ≈ 1e-13) is a visible fraction of the
// gradient, so tiny gradients are compared absolutely, to 1e-11.
double relative_error(double a, double b) { return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-5}); }

}  // namespace

TEST_SUITE("engine") {
  TEST_CASE("backpropagation matches finite differences: every activation × loss × tied/untied × depth 1–3") {
    // Depth d = number of encoder layers; the decoder mirrors it: 5 → 4 → … → code → … → 4 → 5.
    // Squared error is checked with every activation on every layer, output included (the
    // unfused δᴸ = ∇ₐC ⊙ σ'(zᴸ)); cross-entropy with a sigmoid output (the fused δᴸ = y − t).
    const Activation all[] = {Activation::linear, Activation::sigmoid, Activation::tanh,
                              Activation::relu, Activation::leaky_relu, Activation::softplus};
    const int encoder_sizes[] = {4, 3, 2};
    int configurations = 0;
    for (int depth = 1; depth <= 3; ++depth)
      for (bool tied : {false, true})
        for (Activation hidden : all)
          for (LossKind kind : {LossKind::squared_error, LossKind::binary_cross_entropy, LossKind::gaussian}) {
            const std::string act_name = activation_name(hidden), loss_kind = loss_name(kind);
            CAPTURE(depth);
            CAPTURE(tied);
            CAPTURE(act_name);
            CAPTURE(loss_kind);
            Rng rng(11 + depth);
            Architecture arch;
            arch.input_size = 5;
            for (int d = 0; d < depth; ++d) arch.layers.push_back({encoder_sizes[d], hidden});
            for (int d = depth - 2; d >= 0; --d) arch.layers.push_back({encoder_sizes[d], hidden});
            const Activation output = kind == LossKind::binary_cross_entropy ? Activation::sigmoid : hidden;
            arch.layers.push_back({5, output});
            arch.code_layer = depth - 1;
            arch.tied_weights = tied;
            Autoencoder<double> model = make_autoencoder<double>(arch, Init::glorot_uniform, rng);
            for (auto& l : model.layers)
              for (Eigen::Index i = 0; i < l.b.size(); ++i) l.b(i) = rng.uniform(-0.3, 0.3);
            Matrix<double> x(5, 4);
            for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = 0.05 + 0.9 * rng.uniform();
            LossConfig loss;
            loss.kind = kind;
            loss.half = (depth % 2 == 1);                                    // both conventions
            loss.sigma = 0.3;                                                // Gaussian: ∂C/∂y = (y − t)/s²
            loss.units = depth == 2 ? Reduction::mean : Reduction::sum;      // both reductions
            Workspace<double> ws;
            forward(model, x, ws);
            backward(model, loss, x, x, ws);
            int checked = 0, skipped = 0;
            auto check_parameter = [&](double analytic, double& parameter) {
              bool crossed = false;
              const double numeric = numeric_derivative(model, loss, x, parameter, crossed);
              if (crossed) {
                ++skipped;
                return;
              }
              ++checked;
              CAPTURE(analytic);
              CAPTURE(numeric);
              CHECK(relative_error(analytic, numeric) <= 1e-6);
            };
            int parameters = 0;
            for (size_t l = 0; l < model.layers.size(); ++l) {
              CAPTURE(l);
              // A tied layer owns no W: its source's gradient covers both uses.
              if (model.layers[l].tied_to < 0)
                for (Eigen::Index i = 0; i < model.layers[l].W.size(); ++i, ++parameters)
                  check_parameter(ws.grads[l].dW.data()[i], model.layers[l].W.data()[i]);
              for (Eigen::Index i = 0; i < model.layers[l].b.size(); ++i, ++parameters)
                check_parameter(ws.grads[l].db(i), model.layers[l].b(i));
            }
            CHECK(checked >= parameters * 3 / 4);  // a ReLU kink may hide a few, never most
            CHECK(parameters == model.parameter_count());
            ++configurations;
          }
    CHECK(configurations == 3 * 2 * 6 * 3);
  }

  TEST_CASE("the unfused cross-entropy gradient times σ' equals the fused δ = y − t") {
    Matrix<double> z(3, 2), t(3, 2);
    z << -3, 0.5, 0.1, 2, 4, -0.7;
    t << 0, 1, 0.3, 0.9, 1, 0;
    Matrix<double> y, dydz, g, fused;
    activation_forward(Activation::sigmoid, z, y);
    activation_derivative(Activation::sigmoid, z, y, dydz);
    LossConfig loss;
    loss.kind = LossKind::binary_cross_entropy;
    loss_gradient(loss, Activation::linear, y, t, g);  // as if the output were not a sigmoid
    loss_gradient(loss, Activation::sigmoid, y, t, fused);
    CHECK((g.cwiseProduct(dydz) - fused).cwiseAbs().maxCoeff() < 1e-12);
    // and the loss values agree (the fused one is computed from z)
    CHECK(loss_value(loss, Activation::linear, z, y, t) == doctest::Approx(loss_value(loss, Activation::sigmoid, z, y, t)));
  }

  TEST_CASE("a nonlinear 1-D code beats the best linear one on the spiral; same seed, same weights") {
    // The best a *linear* 1-D code can do is PCA: project onto the top principal direction, which
    // leaves ½ λ_min (the smaller eigenvalue of the data covariance) per point. A curve-following
    // nonlinear autoencoder must do clearly better. (On the circle it does not, quickly: a 1-D
    // code must cut the loop somewhere and training sits on the PCA plateau for a long time —
    // a nice thing to show in class, a bad thing for a test.)
    auto run = [](uint64_t seed) {
      Rng rng(seed);
      Architecture arch;
      arch.input_size = 2;
      arch.layers = {{16, Activation::tanh}, {1, Activation::linear}, {16, Activation::tanh}, {2, Activation::sigmoid}};
      arch.code_layer = 1;
      Trainer<float> trainer;
      trainer.model = make_autoencoder<float>(arch, Init::glorot_uniform, rng);
      trainer.data = make_toy<float>(ToyManifold::spiral, 512, 0.02, rng).points;
      trainer.rng.reseed(seed + 1);
      trainer.config.optimizer.kind = OptimizerKind::adam;
      trainer.config.optimizer.learning_rate = 0.01;
      trainer.config.batch_size = 32;
      trainer.reset_progress();
      for (int i = 0; i < 5000; ++i) trainer.step();
      return trainer;
    };
    const Trainer<float> trained = run(5);
    const Matrix<double> X = trained.data.cast<double>();
    const Matrix<double> centred = X.colwise() - X.rowwise().mean();
    const Eigen::Matrix2d covariance = centred * centred.transpose() / double(X.cols());
    const double pca_error = 0.5 * Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d>(covariance).eigenvalues()(0);
    const double ae_error = evaluate_loss(trained.model, trained.config.loss, trained.data);
    CAPTURE(pca_error);
    CAPTURE(ae_error);
    CHECK(pca_error > 0.01);              // the spiral is far from a line
    CHECK(ae_error < 0.85 * pca_error);   // measured: ≈ 0.67 × after 5000 steps
    CHECK(trained.epoch == 5000 / 16);    // 512 / 32 = 16 batches per epoch

    const Trainer<float> again = run(5);
    for (size_t l = 0; l < trained.model.layers.size(); ++l) {
      CHECK((again.model.layers[l].W.array() == trained.model.layers[l].W.array()).all());
      CHECK((again.model.layers[l].b.array() == trained.model.layers[l].b.array()).all());
    }
    const Trainer<float> other = run(6);
    CHECK_FALSE((other.model.layers[0].W.array() == trained.model.layers[0].W.array()).all());
  }

  TEST_CASE("a diverging run stops with a message and keeps the last good weights") {
    Rng rng(2);
    Architecture arch;
    arch.input_size = 2;
    arch.layers = {{8, Activation::relu}, {2, Activation::linear}, {8, Activation::relu}, {2, Activation::linear}};
    arch.code_layer = 1;
    Trainer<float> trainer;
    trainer.model = make_autoencoder<float>(arch, Init::he_normal, rng);
    trainer.data = make_toy<float>(ToyManifold::spiral, 256, 0.0, rng).points * 1000.0f;
    trainer.config.optimizer.learning_rate = 100.0;  // "set the learning rate to 100"
    trainer.reset_progress();
    for (int i = 0; i < 200 && trainer.failure.empty(); ++i) trainer.step();
    REQUIRE_FALSE(trainer.failure.empty());
    CHECK(trainer.failure.find("training stopped") != std::string::npos);
    for (const auto& l : trainer.model.layers) {
      CHECK(l.W.allFinite());
      CHECK(l.b.allFinite());
    }
    const long long steps = trainer.steps;
    CHECK(std::isnan(trainer.step()));  // stays stopped
    CHECK(trainer.steps == steps);
  }

  TEST_CASE("invalid architectures are refused with a message") {
    Rng rng(1);
    Architecture arch;
    arch.input_size = 2;
    arch.layers = {{3, Activation::tanh}, {3, Activation::sigmoid}};
    arch.code_layer = 0;
    CHECK_THROWS_WITH_AS(make_autoencoder<float>(arch, Init::glorot_uniform, rng),
                         doctest::Contains("output layer must have as many units"), Error);
    arch.layers = {{0, Activation::tanh}, {2, Activation::sigmoid}};
    CHECK_THROWS_AS(make_autoencoder<float>(arch, Init::glorot_uniform, rng), Error);
    arch.layers = {{3, Activation::tanh}, {2, Activation::sigmoid}};
    arch.code_layer = 1;
    CHECK_THROWS_WITH_AS(make_autoencoder<float>(arch, Init::glorot_uniform, rng),
                         doctest::Contains("code layer"), Error);
  }

  TEST_CASE("the training memory estimate counts weights, gradients, optimizer state and activations") {
    // M1 of the benchmarks, 784-256-64-256-784, Adam, batch 128, float: P = 435,536 parameters.
    const TrainingMemory m1 = training_memory({784, 256, 64, 256, 784}, 128, 2, 4);
    CHECK(m1.parameters == 435536);
    // (3 + 2)·P + 3·128·(1360 + 784) + 2·1024·(1360 + 784) elements of 4 bytes
    CHECK(m1.bytes == uint64_t(5 * 435536 + 3 * 128 * 2144 + 2 * 1024 * 2144) * 4);
    CHECK(training_memory({784, 256, 64, 256, 784}, 128, 0, 4).bytes < m1.bytes);  // SGD keeps no state
    // Sizes that overflow 64 bits saturate instead of wrapping to a small number.
    const TrainingMemory huge = training_memory({1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30}, 1 << 30, 2, 8);
    CHECK(huge.bytes == std::numeric_limits<uint64_t>::max());
    CHECK(memory_text(29567552) == "30 MB");
    CHECK(memory_text(1500000000) == "1.5 GB");
    CHECK(memory_text(999) == "999 bytes");
    CHECK_NOTHROW(require_memory(m1, 0, 0, "M1", "here", 128));  // no limit known: nothing refused
    CHECK_THROWS_WITH_AS(require_memory(m1, 1000000, 20000000, "the network 784-256-64-256-784", "this machine", 128),
                         doctest::Contains("the network 784-256-64-256-784 needs about 31 MB to train (435,536 parameters, "
                                           "batch 128, data 1.0 MB) but this machine has 20 MB"),
                         Error);
  }
}
