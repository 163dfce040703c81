// The autoencoder family: sparse, denoising, contractive, variational, stacked, and the
// linear AE ↔ PCA relation. Every penalty's gradient and the VAE's (ε fixed) against finite
// differences in double; each mechanism doing what it says; a linear AE reaching PCA.
#include "ae/ae.h"

#include <Eigen/QR>
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <vector>

using namespace ae;

namespace {

// (4 D(h/2) − D(h)) / 3 with D(h) the central difference: Richardson-extrapolated, O(h⁴), as in
// test_engine.cpp. `objective` evaluates the function at the current parameter values and reports
// a "kink signature" (which side of every non-differentiable point the computation is on: ReLU
// signs, |h| signs, the k-sparse mask). When the signature changes between the probes, the
// parameter sits too close to a kink for a fair test and is skipped.
struct Probe {
  double value;
  std::vector<double> signature;
};

double richardson(double& p, const std::function<Probe()>& objective, bool& crossed_kink) {
  const double saved = p;
  std::vector<double> first;
  crossed_kink = false;
  auto C = [&](double v) {
    p = v;
    Probe probe = objective();
    if (first.empty()) first = probe.signature;
    crossed_kink |= probe.signature != first;
    return probe.value;
  };
  const double h = 1e-3;
  const double D_h = (C(saved + h) - C(saved - h)) / (2 * h);
  const double D_h2 = (C(saved + h / 2) - C(saved - h / 2)) / h;
  p = saved;
  objective();
  return (4 * D_h2 - D_h) / 3;
}

double relative_error(double a, double b) { return std::abs(a - b) / std::max({std::abs(a), std::abs(b), 1e-5}); }

void append_signs(std::vector<double>& sig, const Matrix<double>& m) {
  for (Eigen::Index i = 0; i < m.size(); ++i) sig.push_back(m.data()[i] > 0 ? 1.0 : (m.data()[i] < 0 ? -1.0 : 0.0));
}

Matrix<double> random_matrix(Eigen::Index r, Eigen::Index c, Rng& rng, double lo, double hi) {
  Matrix<double> m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(lo, hi);
  return m;
}

// Gradient check of the whole training objective C + Ω under a TrainConfig, through the one path
// (compute_gradients), with the corruption / stochastic-contractive noise held fixed (the Rng is
// reseeded for every evaluation). Returns the number of parameters checked.
int check_objective_gradient(Autoencoder<double>& model, const TrainConfig& config, const Matrix<double>& x,
                             uint64_t noise_seed) {
  Workspace<double> ws;
  Rng noise(noise_seed);
  compute_gradients(model, config, x, x, ws, &noise);
  const std::vector<DenseGradients<double>> grads = ws.grads;
  auto objective = [&]() {
    sync_tied_weights(model);
    Rng r(noise_seed);
    Workspace<double> w;
    Probe probe{double(compute_gradients(model, config, x, x, w, &r)), {}};
    auto kinked = [&](size_t l) {
      const Activation f = model.layers[l].activation;
      return f == Activation::relu || f == Activation::leaky_relu;
    };
    for (size_t l = 0; l < w.acts.size(); ++l)
      if (kinked(l)) append_signs(probe.signature, w.acts[l].z);
    append_signs(probe.signature, w.acts[size_t(model.code_layer)].a);  // |h| and sign(h) kinks
    for (size_t l = 0; l < w.noisy_acts.size(); ++l)
      if (kinked(l)) append_signs(probe.signature, w.noisy_acts[l].z);
    append_signs(probe.signature, w.code_mask);
    append_signs(probe.signature, w.noisy_code_mask);
    return probe;
  };
  int checked = 0, total = 0;
  auto check = [&](double analytic, double& parameter) {
    ++total;
    bool crossed = false;
    const double numeric = richardson(parameter, objective, crossed);
    if (crossed) return;
    ++checked;
    CAPTURE(analytic);
    CAPTURE(numeric);
    CHECK(relative_error(analytic, numeric) <= 1e-6);
  };
  for (size_t l = 0; l < model.layers.size(); ++l) {
    CAPTURE(l);
    if (model.layers[l].tied_to < 0)
      for (Eigen::Index i = 0; i < model.layers[l].W.size(); ++i) check(grads[l].dW.data()[i], model.layers[l].W.data()[i]);
    for (Eigen::Index i = 0; i < model.layers[l].b.size(); ++i) check(grads[l].db(i), model.layers[l].b(i));
  }
  CHECK(checked >= total * 3 / 4);  // kinks may hide a few parameters, never most
  return checked;
}

Autoencoder<double> small_model(int depth, Activation hidden, Activation code, Activation output, bool tied, Rng& rng,
                                int n = 6) {
  Architecture arch;
  arch.input_size = n;
  const int sizes[] = {5, 4};
  if (depth == 1) {
    arch.layers = {{4, code}, {n, output}};
  } else {
    arch.layers = {{sizes[0], hidden}, {sizes[1], code}, {sizes[0], hidden}, {n, output}};
  }
  arch.code_layer = depth - 1;
  arch.tied_weights = tied;
  Autoencoder<double> model = make_autoencoder<double>(arch, Init::glorot_uniform, rng);
  for (auto& l : model.layers)
    for (Eigen::Index i = 0; i < l.b.size(); ++i) l.b(i) = rng.uniform(-0.3, 0.3);
  return model;
}

}  // namespace

TEST_SUITE("variants") {
  TEST_CASE("every penalty's gradient matches finite differences (double, noise held fixed)") {
    const Activation codes[] = {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu,
                                Activation::softplus};
    struct Case {
      const char* name;
      std::function<void(TrainConfig&)> set;
      bool needs_sigmoid_code;
      int depth;
    };
    const std::vector<Case> cases = {
        {"L1 activity", [](TrainConfig& c) { c.regularization.sparsity = {SparsityKind::l1, 0.05, 0, 0, 0}; }, false, 1},
        {"L1 activity, deep", [](TrainConfig& c) { c.regularization.sparsity = {SparsityKind::l1, 0.05, 0, 0, 0}; }, false, 2},
        {"KL sparsity", [](TrainConfig& c) { c.regularization.sparsity = {SparsityKind::kl, 0, 0.3, 0.1, 0}; }, true, 1},
        {"KL sparsity, deep", [](TrainConfig& c) { c.regularization.sparsity = {SparsityKind::kl, 0, 0.3, 0.2, 0}; }, true, 2},
        {"k-sparse", [](TrainConfig& c) { c.regularization.sparsity = {SparsityKind::top_k, 0, 0, 0, 2}; }, false, 2},
        {"contractive exact", [](TrainConfig& c) { c.regularization.contractive = {0.2, ContractiveForm::exact, 0}; }, false, 1},
        {"contractive stochastic", [](TrainConfig& c) { c.regularization.contractive = {0.2, ContractiveForm::stochastic, 0.1}; }, false, 2},
        {"denoising masking", [](TrainConfig& c) { c.regularization.corruption = {CorruptionKind::masking, 0.3}; }, false, 2},
        {"denoising gaussian + contractive + L1",
         [](TrainConfig& c) {
           c.regularization.corruption = {CorruptionKind::gaussian, 0.1};
           c.regularization.contractive = {0.1, ContractiveForm::automatic, 0.05};
           c.regularization.sparsity = {SparsityKind::l1, 0.02, 0, 0, 0};
         },
         false, 1},
        {"salt-and-pepper + KL + contractive",
         [](TrainConfig& c) {
           c.regularization.corruption = {CorruptionKind::salt_and_pepper, 0.2};
           c.regularization.contractive = {0.1, ContractiveForm::exact, 0};
           c.regularization.sparsity = {SparsityKind::kl, 0, 0.2, 0.3, 0};
         },
         true, 1},
    };
    int configurations = 0;
    for (const Case& cs : cases)
      for (Activation code : codes) {
        if (cs.needs_sigmoid_code && code != Activation::sigmoid) continue;
        for (bool tied : {false, true})
          for (LossKind kind : {LossKind::squared_error, LossKind::binary_cross_entropy}) {
            const std::string name = cs.name, code_name = activation_name(code);
            CAPTURE(name);
            CAPTURE(code_name);
            CAPTURE(tied);
            Rng rng(7 + configurations);
            const Activation output = kind == LossKind::binary_cross_entropy ? Activation::sigmoid : Activation::tanh;
            Autoencoder<double> model = small_model(cs.depth, Activation::tanh, code, output, tied, rng);
            TrainConfig config;
            config.loss.kind = kind;
            config.loss.batch = configurations % 2 ? Reduction::mean : Reduction::sum;
            cs.set(config);
            validate(config.regularization, model);
            const Matrix<double> x = random_matrix(6, 5, rng, 0.05, 0.95);
            check_objective_gradient(model, config, x, 1234 + configurations);
            ++configurations;
          }
      }
    CHECK(configurations == 4 * (7 * 5 + 3));
  }

  TEST_CASE("k-sparse leaves exactly k non-zero codes per sample, and backprop skips the others") {
    Rng rng(3);
    Autoencoder<double> model = small_model(2, Activation::tanh, Activation::linear, Activation::sigmoid, false, rng);
    TrainConfig config;
    config.regularization.sparsity.kind = SparsityKind::top_k;
    config.regularization.sparsity.k = 2;
    const Matrix<double> x = random_matrix(6, 40, rng, 0, 1);
    Workspace<double> ws;
    compute_gradients(model, config, x, x, ws, nullptr);
    const Matrix<double>& h = ws.acts[1].a;
    for (Eigen::Index b = 0; b < h.cols(); ++b) CHECK((h.col(b).array() != 0.0).count() == 2);
    // δ at the code layer is zero where the mask dropped a unit
    CHECK((ws.deltas[1].array() * (1.0 - ws.code_mask.array())).abs().maxCoeff() == 0.0);
    // encode / evaluate apply it too (it is part of the model)
    const Matrix<double> codes = encode(model, x);
    for (Eigen::Index b = 0; b < codes.cols(); ++b) CHECK((codes.col(b).array() != 0.0).count() == 2);
  }

  TEST_CASE("corruption: masked and salt-and-pepper fractions match ν, Gaussian noise has σ, same seed same noise") {
    const Matrix<double> x = Matrix<double>::Constant(100, 200, 0.5);
    const int n = int(x.size());
    for (double nu : {0.1, 0.25, 0.5}) {
      CAPTURE(nu);
      Rng rng(5);
      Matrix<double> xt;
      corrupt({CorruptionKind::masking, nu}, x, xt, rng);
      const double fraction = double((xt.array() == 0.0).count()) / n;
      const double sd = std::sqrt(nu * (1 - nu) / n);  // binomial sampling error
      CHECK(std::abs(fraction - nu) < 4 * sd);
      CHECK(((xt.array() == 0.0) || (xt.array() == 0.5)).all());
      corrupt({CorruptionKind::salt_and_pepper, nu, 0.0, 1.0}, x, xt, rng);
      const double changed = double((xt.array() != 0.5).count()) / n;
      const double salt = double((xt.array() == 1.0).count()) / n;
      CHECK(std::abs(changed - nu) < 4 * sd);
      CHECK(std::abs(salt - nu / 2) < 4 * std::sqrt(nu / 2 * (1 - nu / 2) / n));
    }
    Rng rng(6);
    Matrix<double> xt;
    corrupt({CorruptionKind::gaussian, 0.2}, x, xt, rng);
    const Matrix<double> noise = xt - x;
    const double mean = noise.mean();
    const double sd = std::sqrt((noise.array() - mean).square().sum() / (n - 1));
    CHECK(std::abs(mean) < 4 * 0.2 / std::sqrt(n));
    CHECK(std::abs(sd - 0.2) < 0.01);
    Rng a(9), b(9);
    Matrix<double> xa, xb;
    corrupt({CorruptionKind::masking, 0.3}, x, xa, a);
    corrupt({CorruptionKind::masking, 0.3}, x, xb, b);
    CHECK(xa == xb);
    CHECK_THROWS_AS(validate(CorruptionConfig{CorruptionKind::masking, 1.5}), Error);
  }

  TEST_CASE("the KL sparsity penalty and its gradient are 0 when ρ̂ = ρ") {
    const double rho = 0.05;
    Matrix<double> h(3, 4);
    h << 0.02, 0.08, 0.05, 0.05,  // row means = ρ
        0.01, 0.09, 0.04, 0.06,   //
        0.05, 0.05, 0.05, 0.05;
    CodePenaltyGradient<double> pen;
    const double value = kl_sparsity_penalty(h, 3.0, rho, pen);
    CHECK(std::abs(value) < 1e-14);
    CHECK(pen.dh.cwiseAbs().maxCoeff() < 1e-12);
    CodePenaltyGradient<double> pen2;
    Matrix<double> h2 = h;
    h2(0, 0) = 0.5;
    CHECK(kl_sparsity_penalty(h2, 3.0, rho, pen2) > 0.01);
  }

  TEST_CASE("the contractive penalty equals the squared Frobenius norm of a finite-difference Jacobian") {
    for (Activation code : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear, Activation::softplus}) {
      const std::string name = activation_name(code);
      CAPTURE(name);
      Rng rng(21);
      Autoencoder<double> model = small_model(1, Activation::tanh, code, Activation::sigmoid, false, rng);
      const Matrix<double> x = random_matrix(6, 1, rng, 0.1, 0.9);
      // J by central differences of h(x)
      Matrix<double> J_fd(model.code_size(), 6);
      for (int i = 0; i < 6; ++i) {
        Matrix<double> xp = x, xm = x;
        xp(i, 0) += 1e-5;
        xm(i, 0) -= 1e-5;
        J_fd.col(i) = (encode(model, xp) - encode(model, xm)) / 2e-5;
      }
      Workspace<double> ws;
      forward(model, x, ws);
      CodePenaltyGradient<double> pen;
      const double penalty = contractive_penalty_exact(model.layers[0], ws.acts[0], ws.code_mask, 1.0, 1.0, pen);
      CHECK(penalty == doctest::Approx(J_fd.squaredNorm()).epsilon(1e-7));
      CHECK((encoder_jacobian(model, Vector<double>(x.col(0))) - J_fd).cwiseAbs().maxCoeff() < 1e-7);
    }
    // Deep encoder: the exact (forward-mode) Jacobian against finite differences, its singular
    // values, and the stochastic penalty's expectation ≈ ‖J‖²_F for small σ.
    Rng rng(22);
    Autoencoder<double> model = small_model(2, Activation::tanh, Activation::sigmoid, Activation::sigmoid, false, rng);
    const Matrix<double> x = random_matrix(6, 1, rng, 0.1, 0.9);
    Matrix<double> J_fd(model.code_size(), 6);
    for (int i = 0; i < 6; ++i) {
      Matrix<double> xp = x, xm = x;
      xp(i, 0) += 1e-5;
      xm(i, 0) -= 1e-5;
      J_fd.col(i) = (encode(model, xp) - encode(model, xm)) / 2e-5;
    }
    const Matrix<double> J = encoder_jacobian(model, Vector<double>(x.col(0)));
    CHECK((J - J_fd).cwiseAbs().maxCoeff() < 1e-7);
    const Vector<double> sv = jacobian_singular_values(J);
    CHECK(sv.size() == 4);
    CHECK(sv.squaredNorm() == doctest::Approx(J.squaredNorm()).epsilon(1e-10));
    CHECK(sv(0) >= sv(3));
    // The directions the page draws: J vᵢ = σᵢ uᵢ, so ‖J vᵢ‖ = σᵢ, and V is orthonormal.
    const JacobianDirections directions = jacobian_directions(J);
    CHECK((directions.singular_values - sv).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(directions.right_vectors.rows() == 6);
    CHECK(directions.right_vectors.cols() == 6);
    CHECK((directions.right_vectors.transpose() * directions.right_vectors - Matrix<double>::Identity(6, 6)).cwiseAbs().maxCoeff() < 1e-12);
    for (int i = 0; i < 4; ++i) CHECK((J * directions.right_vectors.col(i)).norm() == doctest::Approx(sv(i)).epsilon(1e-10));
    TrainConfig config;
    config.regularization.contractive = {1.0, ContractiveForm::stochastic, 1e-3};
    config.loss.batch = Reduction::mean;
    const int B = 4000;
    const Matrix<double> xs = x.replicate(1, B);
    Workspace<double> ws;
    Rng noise(4);
    compute_gradients(model, config, xs, xs, ws, &noise);
    // mean over B of ‖h(x) − h(x + σε)‖²/σ²: sampling error of a χ²-like mean ≈ √(2/B) relative
    CHECK(ws.contractive_penalty == doctest::Approx(J.squaredNorm()).epsilon(0.08));
  }

  TEST_CASE("the stochastic contraction E‖h(x) − h(x + σε)‖²/σ² tends to ‖∂h/∂x‖²_F as σ shrinks") {
    Rng rng(23);
    Autoencoder<double> model = small_model(2, Activation::tanh, Activation::sigmoid, Activation::sigmoid, false, rng);
    const Vector<double> x = random_matrix(6, 1, rng, 0.1, 0.9).col(0);
    const double exact = encoder_jacobian(model, x).squaredNorm();
    std::vector<double> error;
    for (double sigma : {1.0, 0.1, 0.01, 0.001}) {
      Rng noise(5);  // the same draws ε at every σ: the difference is σ alone
      error.push_back(std::abs(stochastic_contraction(model, x, sigma, 20000, noise) / exact - 1.0));
    }
    // The curvature's share vanishes with σ; what is left is the sampling error of 20,000 draws.
    CHECK(error.back() < 0.03);
    CHECK(error.front() > error.back());
    CHECK_THROWS_AS(stochastic_contraction(model, x, 0.0, 10, rng), Error);
  }

  // Issue: the page's toy contractive scene stayed on the PCA line at every λ while `aelab train
  // --data toy:spiral --layers 32,1,32 --contractive 1e-3 --contractive-form stochastic` fitted the
  // spiral. The difference is the hidden units: tanh in the page, ReLU in the CLI. Both ways on the
  // same data (the page's spiral, network and optimizer, the stochastic penalty at λ = 1e-3):
  TEST_CASE("toy contractive: tanh layers stay on the PCA line, ReLU layers fit the spiral") {
    auto fit = [](Activation hidden) {
      Rng rng(1);
      const ToyData<float> toy = make_toy<float>(ToyManifold::spiral, 600, 0.02, rng);
      Architecture arch;
      arch.input_size = 2;
      arch.layers = {{32, hidden}, {1, Activation::linear}, {32, hidden}, {2, Activation::sigmoid}};
      arch.code_layer = 1;
      Trainer<float> trainer;
      trainer.model = make_autoencoder<float>(arch, hidden == Activation::relu ? Init::he_normal : Init::glorot_uniform, rng);
      trainer.data = toy.points;
      trainer.config.loss.kind = LossKind::squared_error;
      trainer.config.optimizer.kind = OptimizerKind::adam;
      trainer.config.optimizer.learning_rate = 0.01;
      trainer.config.batch_size = 32;
      trainer.config.regularization.contractive = {1e-3, ContractiveForm::stochastic, 0.05};
      trainer.reset_progress();
      for (int i = 0; i < 3000; ++i) trainer.step();
      REQUIRE(trainer.failure.empty());
      const double pca = pca_mean_squared_error(fit_pca(toy.points, 1), toy.points);
      return mean_squared_reconstruction_error(trainer.model, toy.points) / pca;  // 1: the PCA line
    };
    const double tanh_vs_pca = fit(Activation::tanh), relu_vs_pca = fit(Activation::relu);
    CAPTURE(tanh_vs_pca);
    CAPTURE(relu_vs_pca);
    CHECK(tanh_vs_pca > 0.97);  // measured 1.008: the penalty keeps it on its PCA plateau
    CHECK(relu_vs_pca < 0.75);  // measured 0.478: the spiral, not its PCA line
  }

  TEST_CASE("a contractive AE has a smaller Jacobian than a plain one; a denoising AE is trained against clean x") {
    auto train = [](const Regularization& reg) {
      Rng rng(8);
      Architecture arch;
      arch.input_size = 3;
      arch.layers = {{8, Activation::sigmoid}, {3, Activation::sigmoid}};
      arch.code_layer = 0;
      Trainer<double> trainer;
      trainer.model = make_autoencoder<double>(arch, Init::glorot_uniform, rng);
      trainer.data = make_toy<double>(ToyManifold::helix, 256, 0.02, rng).points;
      trainer.config.optimizer.kind = OptimizerKind::adam;
      trainer.config.optimizer.learning_rate = 0.01;
      trainer.config.regularization = reg;
      trainer.reset_progress();
      for (int i = 0; i < 600; ++i) trainer.step();
      return trainer;
    };
    Regularization plain, contractive, denoising;
    contractive.contractive.weight = 0.5;
    denoising.corruption = {CorruptionKind::gaussian, 0.1};
    const auto p = train(plain), c = train(contractive);
    const double jp = jacobian_statistics(p.model, p.data).mean_squared_frobenius;
    const double jc = jacobian_statistics(c.model, c.data).mean_squared_frobenius;
    CAPTURE(jp);
    CAPTURE(jc);
    CHECK(jc < 0.7 * jp);
    CHECK(c.epoch_penalty_sum > 0);
    // one traced denoising step: the network saw x̃ ≠ x, the target is the clean x
    auto d = train(denoising);
    StepTrace<double> trace;
    d.trace = &trace;
    d.step();
    CHECK(trace.target == trace.clean_input);
    CHECK(trace.input != trace.clean_input);
    CHECK((trace.input - trace.clean_input).cwiseAbs().maxCoeff() < 1.0);
    CHECK(trace.loss == doctest::Approx(trace.reconstruction));
  }

  TEST_CASE("sparsity lowers the mean code activation; code statistics") {
    auto train = [](SparsityKind kind) {
      Rng rng(12);
      Architecture arch;
      arch.input_size = 3;
      arch.layers = {{16, Activation::sigmoid}, {3, Activation::sigmoid}};
      arch.code_layer = 0;
      Trainer<float> trainer;
      trainer.model = make_autoencoder<float>(arch, Init::glorot_uniform, rng);
      trainer.data = make_toy<float>(ToyManifold::swiss_roll, 256, 0.02, rng).points;
      trainer.config.optimizer.kind = OptimizerKind::adam;
      trainer.config.optimizer.learning_rate = 0.01;
      trainer.config.regularization.sparsity = {kind, 0.0, 1.0, 0.05, 0};
      trainer.reset_progress();
      for (int i = 0; i < 400; ++i) trainer.step();
      return code_statistics(trainer.model, trainer.data, 0.1);
    };
    const CodeStatistics plain = train(SparsityKind::none), sparse = train(SparsityKind::kl);
    CAPTURE(plain.mean_activation);
    CAPTURE(sparse.mean_activation);
    CHECK(sparse.mean_activation < 0.5 * plain.mean_activation);
    CHECK(sparse.mean_activation == doctest::Approx(0.05).epsilon(1.0));  // within a factor of 2 of ρ
    CHECK(sparse.near_zero_fraction > plain.near_zero_fraction);
  }

  TEST_CASE("a linear autoencoder with squared error reaches PCA's error and spans PCA's subspace") {
    // Data: 8-D, variances 9, 4, 2.25 along three random directions, 0.01 in the rest; k = 3.
    Rng rng(31);
    const int n = 8, N = 300, k = 3;
    const Matrix<double> Q = Eigen::HouseholderQR<Matrix<double>>(random_matrix(n, n, rng, -1, 1)).householderQ();
    Vector<double> sd = Vector<double>::Constant(n, 0.1);
    sd(0) = 3;
    sd(1) = 2;
    sd(2) = 1.5;
    Matrix<double> X(n, N);
    for (int j = 0; j < N; ++j) {
      Vector<double> g(n);
      for (int i = 0; i < n; ++i) g(i) = sd(i) * rng.normal();
      X.col(j) = Q * g + Vector<double>::Constant(n, 0.5);
    }
    Architecture arch;
    arch.input_size = n;
    arch.layers = {{k, Activation::linear}, {n, Activation::linear}};
    arch.code_layer = 0;
    Trainer<double> trainer;
    trainer.model = make_autoencoder<double>(arch, Init::glorot_uniform, rng);
    trainer.data = X;
    trainer.config.loss.kind = LossKind::squared_error;
    trainer.config.optimizer.kind = OptimizerKind::adam;
    trainer.config.optimizer.learning_rate = 0.01;
    trainer.config.batch_size = 0;  // full batch
    trainer.reset_progress();
    for (int i = 0; i < 3000; ++i) trainer.step();
    const Pca pca = fit_pca(X, k);
    const double ae_error = mean_squared_reconstruction_error(trainer.model, X);
    const double pca_error = pca_mean_squared_error(pca, X);
    CAPTURE(ae_error);
    CAPTURE(pca_error);
    CHECK(ae_error <= 1.01 * pca_error);
    CHECK(ae_error >= 0.999 * pca_error);  // PCA is the floor
    const Vector<double> cosines = principal_angle_cosines(trainer.model.layers[1].W, pca.components);
    CAPTURE(cosines.transpose());
    CHECK(cosines.size() == k);
    CHECK(cosines.minCoeff() > 0.99);
    // and the principal angles of a subspace with itself / an orthogonal one
    CHECK(principal_angle_cosines(pca.components, pca.components * 2.0).minCoeff() == doctest::Approx(1.0));
    CHECK(principal_angle_cosines(Q.leftCols(2), Q.rightCols(2)).maxCoeff() < 1e-12);
    // The decoder alone gives back the principal directions themselves (each up to its sign), not
    // only their span: |cos| between each recovered direction and PCA's, largest variance first.
    const Matrix<double> centred = X.colwise() - pca.mean;
    const Matrix<double> recovered = principal_directions_in_span(trainer.model.layers[1].W, centred);
    CHECK(recovered.cols() == k);
    for (int i = 0; i < k; ++i) CHECK(std::abs(recovered.col(i).dot(pca.components.col(i))) > 0.99);
    // A mix of the exact components gives them back to rounding.
    Matrix<double> mix(k, k);
    mix << 2, 1, -1, 0.5, 1, 0, 0.3, -2, 1;  // invertible (det 2.8)
    const Matrix<double> exact = principal_directions_in_span(pca.components * mix, centred);
    for (int i = 0; i < k; ++i) CHECK(std::abs(exact.col(i).dot(pca.components.col(i))) == doctest::Approx(1.0).epsilon(1e-9));
  }

  TEST_CASE("VAE: the loss's gradient matches finite differences with ε held fixed") {
    for (VaeLikelihood likelihood : {VaeLikelihood::bernoulli, VaeLikelihood::gaussian})
      for (int hidden : {0, 1}) {
        const std::string name = vae_likelihood_name(likelihood);
        CAPTURE(name);
        CAPTURE(hidden);
        Rng rng(41 + hidden);
        VaeArchitecture arch;
        arch.input_size = 5;
        arch.latent_size = 2;
        arch.encoder_hidden.clear();
        arch.decoder_hidden.clear();
        if (hidden) {
          arch.encoder_hidden = {{4, Activation::tanh}};
          arch.decoder_hidden = {{4, Activation::softplus}};
        }
        arch.likelihood = likelihood;
        Vae<double> vae = make_vae<double>(arch, rng);
        for (auto& l : vae.net.layers)
          for (Eigen::Index i = 0; i < l.b.size(); ++i) l.b(i) = rng.uniform(-0.3, 0.3);
        VaeConfig cfg;
        cfg.beta = 0.7;
        cfg.decoder_variance = 0.5;
        const Matrix<double> x = random_matrix(5, 3, rng, 0.05, 0.95);
        VaeWorkspace<double> w;
        draw_normal(w.eps, 2, 3, rng);
        const double objective = vae_forward(vae, cfg, x, w);
        CHECK(objective == doctest::Approx(w.reconstruction + 0.7 * w.kl));
        CHECK(w.kl >= 0);
        vae_backward(vae, cfg, x, w);
        const auto grads = w.ws.grads;
        auto f = [&]() { return Probe{vae_forward(vae, cfg, x, w), {}}; };
        for (size_t l = 0; l < vae.net.layers.size(); ++l) {
          CAPTURE(l);
          for (Eigen::Index i = 0; i < vae.net.layers[l].W.size(); ++i) {
            bool crossed;
            CHECK(relative_error(grads[l].dW.data()[i], richardson(vae.net.layers[l].W.data()[i], f, crossed)) <= 1e-6);
          }
          for (Eigen::Index i = 0; i < vae.net.layers[l].b.size(); ++i) {
            bool crossed;
            CHECK(relative_error(grads[l].db(i), richardson(vae.net.layers[l].b(i), f, crossed)) <= 1e-6);
          }
        }
      }
  }

  TEST_CASE("VAE: training raises the ELBO; KL of the prior is 0; sampling and the 2-D latent grid") {
    Rng rng(50);
    ToyData<float> toy = make_toy<float>(ToyManifold::s_curve, 512, 0.02, rng);
    VaeArchitecture arch;
    arch.input_size = 3;
    arch.latent_size = 2;
    arch.encoder_hidden = {{16, Activation::tanh}};
    arch.decoder_hidden = {{16, Activation::tanh}};
    arch.likelihood = VaeLikelihood::bernoulli;
    Vae<float> vae = make_vae<float>(arch, rng);
    VaeConfig cfg;
    OptimizerConfig opt;
    opt.kind = OptimizerKind::adam;
    opt.learning_rate = 0.01;
    OptimizerState<float> state;
    optimizer_reset(state, vae.net);
    Rng eval_rng(1);
    const VaeEvaluation before = vae_evaluate(vae, cfg, toy.points, eval_rng, 4);
    VaeWorkspace<float> w;
    Rng noise(2);
    for (int step = 0; step < 600; ++step) {
      const Matrix<float> batch = toy.points.middleCols((step * 64) % 512, 64);
      REQUIRE(vae_train_step(vae, cfg, opt, state, batch, w, noise));
    }
    const VaeEvaluation after = vae_evaluate(vae, cfg, toy.points, eval_rng, 4);
    CAPTURE(before.elbo);
    CAPTURE(after.elbo);
    CHECK(after.elbo > before.elbo + 0.05);
    CHECK(after.elbo == doctest::Approx(-(after.reconstruction + after.kl)));
    CHECK(after.kl > 0);
    // KL(N(0, I) ‖ N(0, I)) = 0: heads that output μ = 0, log σ² = 0
    Vae<double> zero = make_vae<double>(VaeArchitecture{4, {}, 2, {}, VaeLikelihood::gaussian}, rng);
    zero.net.layers[0].W.setZero();
    zero.net.layers[1].W.setZero();
    VaeWorkspace<double> wz;
    draw_normal(wz.eps, 2, 3, rng);
    vae_forward(zero, VaeConfig{}, Matrix<double>(Matrix<double>::Ones(4, 3)), wz);
    CHECK(wz.kl == doctest::Approx(0.0));
    const Matrix<float> samples = vae_sample_prior(vae, 10, rng);
    CHECK(samples.rows() == 3);
    CHECK(samples.cols() == 10);
    CHECK((samples.array() >= 0 && samples.array() <= 1).all());
    Matrix<float> grid_z;
    const Matrix<float> grid = vae_latent_grid(vae, 5, 2.0, &grid_z);
    CHECK(grid.cols() == 25);
    CHECK(grid_z(0, 0) == doctest::Approx(-2.0));
    CHECK(grid_z(1, 0) == doctest::Approx(2.0));
    CHECK(grid_z(0, 24) == doctest::Approx(2.0));
    CHECK(vae_encode_mean(vae, toy.points).rows() == 2);
  }

  TEST_CASE("stacked: softmax classifier gradient, greedy pretraining, unrolling, classification") {
    // Softmax cross-entropy gradient against finite differences.
    Rng rng(60);
    std::vector<DenseLayer<double>> enc = random_encoders<double>(5, {{4, Activation::tanh}, {3, Activation::sigmoid}}, rng);
    Classifier<double> clf = make_classifier(enc, 3, rng);
    const Matrix<double> x = random_matrix(5, 4, rng, 0, 1);
    const std::vector<int> labels = {0, 2, 1, 2};
    Workspace<double> ws;
    classifier_loss(clf, x, labels, ws, true);
    const auto grads = ws.grads;
    Workspace<double> w2;
    auto f = [&]() { return Probe{classifier_loss(clf, x, labels, w2, false), {}}; };
    for (size_t l = 0; l < clf.net.layers.size(); ++l)
      for (Eigen::Index i = 0; i < clf.net.layers[l].W.size(); ++i) {
        bool crossed;
        CHECK(relative_error(grads[l].dW.data()[i], richardson(clf.net.layers[l].W.data()[i], f, crossed)) <= 1e-6);
      }

    // Two classes of 3-D points: Gaussian blobs around (0.3, 0.3, 0.5) and (0.7, 0.7, 0.5).
    Rng data_rng(61);
    const int N = 400;
    Matrix<float> X(3, N);
    std::vector<int> y(N);
    for (int j = 0; j < N; ++j) {
      y[size_t(j)] = j % 2;
      const double centre = y[size_t(j)] ? 0.7 : 0.3;
      X(0, j) = float(centre + 0.1 * data_rng.normal());
      X(1, j) = float(centre + 0.1 * data_rng.normal());
      X(2, j) = float(0.5 + 0.1 * data_rng.normal());
    }
    X = X.cwiseMax(0.0f).cwiseMin(1.0f);
    TrainConfig pre;
    pre.optimizer.kind = OptimizerKind::adam;
    pre.optimizer.learning_rate = 0.01;
    pre.batch_size = 32;
    pre.loss.kind = LossKind::binary_cross_entropy;
    pre.regularization.corruption = {CorruptionKind::masking, 0.1};  // stacked denoising
    const std::vector<LayerSpec> layers = {{12, Activation::sigmoid}, {6, Activation::sigmoid}};
    int reports = 0;
    const LayerwiseResult<float> stack = pretrain_layerwise<float>(X, layers, pre, 5, 1, [&](int, int, double) { ++reports; });
    CHECK(reports == 10);
    REQUIRE(stack.encoders.size() == 2);
    CHECK(stack.encoders[1].n_in() == 12);
    const Autoencoder<float> deep = unroll(stack);
    CHECK(deep.layers.size() == 4);
    CHECK(deep.code_size() == 6);
    CHECK(deep.output_size() == 3);
    CHECK(std::isfinite(double(evaluate_loss(deep, pre.loss, X))));
    Rng c_rng(62);
    Classifier<float> c = make_classifier(stack.encoders, 2, c_rng);
    OptimizerConfig opt;
    opt.kind = OptimizerKind::adam;
    opt.learning_rate = 0.01;
    // The per-epoch report sees the classifier being trained (the CLI printed 0 % while `c` was
    // moved out during training).
    std::vector<double> accuracy_each_epoch;
    const double last_loss = train_classifier<float>(c, X, y, opt, 32, 30, c_rng, [&](int, double, const Classifier<float>& now) {
      accuracy_each_epoch.push_back(classifier_accuracy(now, X, y));
    });
    CAPTURE(last_loss);
    CHECK(classifier_accuracy(c, X, y) > 0.9);
    REQUIRE(accuracy_each_epoch.size() == 30);
    CHECK(accuracy_each_epoch.back() == classifier_accuracy(c, X, y));
  }

  TEST_CASE("variant settings are checked with a message") {
    Rng rng(70);
    Autoencoder<float> relu_code = make_autoencoder<float>(
        Architecture{3, {{4, Activation::relu}, {3, Activation::sigmoid}}, 0, false, true}, Init::he_normal, rng);
    Regularization r;
    r.sparsity.kind = SparsityKind::kl;
    CHECK_THROWS_WITH_AS(validate(r, relu_code), doctest::Contains("sigmoid code"), Error);
    r.sparsity = {SparsityKind::top_k, 0, 0, 0, 9};
    CHECK_THROWS_WITH_AS(validate(r, relu_code), doctest::Contains("k must be in 1..4"), Error);
    r.sparsity = {};
    Autoencoder<float> deep = make_autoencoder<float>(
        Architecture{3, {{4, Activation::tanh}, {2, Activation::tanh}, {4, Activation::tanh}, {3, Activation::sigmoid}}, 1, false, true},
        Init::glorot_uniform, rng);
    r.contractive = {0.1, ContractiveForm::exact, 0};
    CHECK_THROWS_WITH_AS(validate(r, deep), doctest::Contains("one-layer encoder"), Error);
    r.contractive.form = ContractiveForm::automatic;
    CHECK_THROWS_WITH_AS(validate(r, deep), doctest::Contains("noise"), Error);
    r.contractive.noise = 0.05;
    validate(r, deep);
    CHECK(contractive_form_for(deep, r.contractive) == ContractiveForm::stochastic);
    CHECK(contractive_form_for(relu_code, r.contractive) == ContractiveForm::exact);
    CHECK(sparsity_from_name("k-sparse") == SparsityKind::top_k);
    CHECK(corruption_from_name("salt-and-pepper") == CorruptionKind::salt_and_pepper);
    CHECK_THROWS_AS(corruption_from_name("fog"), Error);
  }
}
