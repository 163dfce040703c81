// The update rules against values computed by hand (a one-weight "network", two steps each).
#include "ae/ae.h"

#include <doctest/doctest.h>

using namespace ae;

namespace {

// A 1-in, 1-out layer with weight w and bias b, and a workspace holding chosen gradients.
struct OneWeight {
  Autoencoder<double> model;
  Workspace<double> ws;
  OptimizerState<double> state;
  OneWeight(double w, double b) {
    DenseLayer<double> layer;
    layer.W = Matrix<double>::Constant(1, 1, w);
    layer.b = Vector<double>::Constant(1, b);
    model.layers.push_back(layer);
    ws.grads.resize(1);
  }
  void step(const OptimizerConfig& cfg, double gW, double gb) {
    ws.grads[0].dW = Matrix<double>::Constant(1, 1, gW);
    ws.grads[0].db = Vector<double>::Constant(1, gb);
    optimizer_step(cfg, state, model, ws);
  }
  double w() const { return model.layers[0].W(0, 0); }
  double b() const { return model.layers[0].b(0); }
};

}  // namespace

TEST_SUITE("optimizer") {
  TEST_CASE("SGD: θ ← θ − η g") {
    OptimizerConfig cfg;
    cfg.kind = OptimizerKind::sgd;
    cfg.learning_rate = 0.1;
    OneWeight p(0.5, -0.2);
    p.step(cfg, 0.2, -0.4);
    CHECK(p.w() == doctest::Approx(0.48).epsilon(1e-15));   // 0.5 − 0.1·0.2
    CHECK(p.b() == doctest::Approx(-0.16).epsilon(1e-15));  // −0.2 − 0.1·(−0.4)
    p.step(cfg, 0.1, 0.0);
    CHECK(p.w() == doctest::Approx(0.47).epsilon(1e-15));
  }

  TEST_CASE("momentum: v ← μv − ηg, θ ← θ + v") {
    OptimizerConfig cfg;
    cfg.kind = OptimizerKind::momentum;
    cfg.learning_rate = 0.1;
    cfg.momentum = 0.9;
    OneWeight p(0.5, 0.0);
    p.step(cfg, 0.2, 0.0);
    CHECK(p.w() == doctest::Approx(0.48).epsilon(1e-15));   // v = −0.02
    p.step(cfg, 0.1, 0.0);
    CHECK(p.w() == doctest::Approx(0.452).epsilon(1e-15));  // v = 0.9·(−0.02) − 0.1·0.1 = −0.028
  }

  TEST_CASE("Adam: bias-corrected moments") {
    // η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, w₀ = 0.5, gradients 0.2 then 0.1:
    //   t=1: m = 0.02, v = 4e-5, m̂ = 0.2, v̂ = 0.04, w = 0.5 − 0.1·0.2/(0.2 + 1e-8) = 0.4000000049999997
    //   t=2: m = 0.9·0.02 + 0.1·0.1 = 0.028, v = 0.999·4e-5 + 0.001·0.01 = 4.996e-5,
    //        m̂ = 0.028/0.19 = 0.147368421052632, v̂ = 4.996e-5/0.001999 = 0.0249924962481244,
    //        w = 0.4000000049999997 − 0.1·0.147368…/(√0.0249924… + 1e-8) = 0.3067820470153658
    OptimizerConfig cfg;
    cfg.kind = OptimizerKind::adam;
    cfg.learning_rate = 0.1;
    OneWeight p(0.5, 0.0);
    p.step(cfg, 0.2, 0.0);
    CHECK(p.w() == doctest::Approx(0.4000000049999997).epsilon(1e-13));
    p.step(cfg, 0.1, 0.0);
    CHECK(p.w() == doctest::Approx(0.3067820470153658).epsilon(1e-13));
    CHECK(p.state.t == 2);
  }

  TEST_CASE("frozen biases stay put; tied copies follow their source") {
    OptimizerConfig cfg;
    cfg.learning_rate = 1.0;
    cfg.update_biases = false;
    OneWeight p(0.5, 0.3);
    p.step(cfg, 0.25, 7.0);
    CHECK(p.w() == doctest::Approx(0.25));
    CHECK(p.b() == 0.3);

    Rng rng(1);
    Architecture arch;
    arch.input_size = 3;
    arch.layers = {{2, Activation::sigmoid}, {3, Activation::sigmoid}};
    arch.code_layer = 0;
    arch.tied_weights = true;
    Autoencoder<double> model = make_autoencoder<double>(arch, Init::glorot_uniform, rng);
    REQUIRE(model.layers[1].tied_to == 0);
    Workspace<double> ws;
    const Matrix<double> x = Matrix<double>::Constant(3, 1, 0.5);
    forward(model, x, ws);
    backward(model, LossConfig(), x, x, ws);
    OptimizerState<double> state;
    const Matrix<double> W0 = model.layers[0].W;
    optimizer_step(cfg, state, model, ws);
    CHECK((model.layers[0].W - (W0 - ws.grads[0].dW)).cwiseAbs().maxCoeff() < 1e-15);
    CHECK((model.layers[1].W - model.layers[0].W.transpose()).cwiseAbs().maxCoeff() == 0.0);
  }

  TEST_CASE("full-batch gradient descent is a batch of every sample, one update per epoch") {
    Rng rng(4);
    Architecture arch;
    arch.input_size = 2;
    arch.layers = {{3, Activation::tanh}, {2, Activation::sigmoid}};
    arch.code_layer = 0;
    Trainer<double> trainer;
    trainer.model = make_autoencoder<double>(arch, Init::glorot_uniform, rng);
    trainer.data = make_toy<double>(ToyManifold::circle, 40, 0.0, rng).points;
    trainer.config.batch_size = 0;
    trainer.config.optimizer.learning_rate = 0.5;
    trainer.reset_progress();
    // The same update by hand: one step over all 40 samples (in the shuffled order, which does
    // not change a mean).
    Autoencoder<double> by_hand = trainer.model;
    Workspace<double> ws;
    forward(by_hand, trainer.data, ws);
    backward(by_hand, trainer.config.loss, trainer.data, trainer.data, ws);
    OptimizerState<double> state;
    optimizer_step(trainer.config.optimizer, state, by_hand, ws);
    trainer.finish_epoch();
    CHECK(trainer.steps == 1);
    CHECK((trainer.model.layers[0].W - by_hand.layers[0].W).cwiseAbs().maxCoeff() < 1e-12);
  }

  TEST_CASE("validation split: sizes, disjointness, labels follow their samples") {
    Matrix<float> data(1, 10);
    std::vector<int> labels;
    for (int i = 0; i < 10; ++i) {
      data(0, i) = float(i);
      labels.push_back(i);
    }
    Rng rng(9);
    Matrix<float> train, val;
    std::vector<int> train_labels, val_labels;
    split_train_validation(data, labels, 0.3, rng, train, train_labels, val, val_labels);
    CHECK(train.cols() == 7);
    CHECK(val.cols() == 3);
    std::vector<int> seen(10, 0);
    for (int i = 0; i < 7; ++i) {
      CHECK(train_labels[i] == int(train(0, i)));
      ++seen[train_labels[i]];
    }
    for (int i = 0; i < 3; ++i) {
      CHECK(val_labels[i] == int(val(0, i)));
      ++seen[val_labels[i]];
    }
    for (int s : seen) CHECK(s == 1);
    CHECK_THROWS_AS(split_train_validation(data, labels, 1.0, rng, train, train_labels, val, val_labels), Error);
  }
}
