// A short training run on real MNIST: the autoencoder must learn something no input-independent
// reconstruction can — beat the best constant guess by a wide margin on images it never saw.
#include "ae/ae.h"

#include <doctest/doctest.h>

using namespace ae;

TEST_SUITE("mnist") {
  TEST_CASE("784-64-784 trained on 3000 MNIST digits beats the mean image on held-out digits") {
    const Dataset<float> train = load_mnist<float>("train", 3000);
    const Dataset<float> test = load_mnist<float>("test", 1000);
    REQUIRE(train.size() == 3000);
    REQUIRE(test.size() == 1000);

    LossConfig loss;
    loss.kind = LossKind::binary_cross_entropy;
    loss.units = Reduction::mean;

    // The baseline: the best reconstruction that ignores its input is the per-pixel mean of the
    // training images p (it minimises the expected cross-entropy), i.e. a decoder with zero
    // weights and bias logit(p). Its test loss is what "learned nothing about the input" scores.
    const Vector<float> mean_image = train.x.rowwise().mean();
    Autoencoder<float> constant;
    constant.code_layer = 0;
    DenseLayer<float> enc, dec;
    enc.W = Matrix<float>::Zero(1, 784);
    enc.b = Vector<float>::Zero(1);
    enc.activation = Activation::linear;
    dec.W = Matrix<float>::Zero(784, 1);
    dec.b = mean_image.unaryExpr([](float p) {
      p = std::clamp(p, 1e-4f, 1.0f - 1e-4f);
      return std::log(p / (1 - p));
    });
    dec.activation = Activation::sigmoid;
    constant.layers = {enc, dec};
    const float baseline = evaluate_loss(constant, loss, test.x);

    Rng rng(2024);
    Architecture arch;
    arch.input_size = 784;
    arch.layers = {{64, Activation::relu}, {784, Activation::sigmoid}};
    arch.code_layer = 0;
    Trainer<float> trainer;
    trainer.model = make_autoencoder<float>(arch, Init::he_normal, rng);
    trainer.data = train.x;
    trainer.config.loss = loss;
    trainer.config.optimizer.kind = OptimizerKind::adam;
    trainer.config.optimizer.learning_rate = 2e-3;
    trainer.config.batch_size = 64;
    trainer.reset_progress();
    const float before = evaluate_loss(trainer.model, loss, test.x);
    for (int epoch = 0; epoch < 8; ++epoch) trainer.finish_epoch();
    REQUIRE(trainer.failure.empty());
    const float after = evaluate_loss(trainer.model, loss, test.x);
    MESSAGE("MNIST BCE (mean over pixels) on 1000 test digits: untrained " << before << ", mean-image baseline "
            << baseline << ", after 8 epochs on 3000 digits " << after);
    CHECK(after < before);
    // A 64-unit code that carries information about the digit must clearly beat the constant.
    // Measured natively: 0.140 against a baseline of 0.257 (0.54×); 0.65× leaves room for the
    // WebAssembly build's different float rounding without letting "barely learned" pass.
    CHECK(after < 0.65f * baseline);
  }
}
