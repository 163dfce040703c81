// aelab stacked — a stacked (denoising) autoencoder: greedy layer-wise pretraining, (a) unrolled
// fine-tuning as a deep autoencoder, (b) a softmax classifier fine-tuned on the labels, and the
// same classifier from random initialisation with the same supervised budget for comparison.
#include "cli.h"

#include <chrono>
#include <cstdio>

namespace cli {

namespace {

struct StackedOptions {
  DataOptions data;
  std::vector<int> layers{256, 64};
  std::string activation = "sigmoid";
  std::string corruption = "none";
  double corruption_level = 0.0;
  int pretrain_epochs = 5, finetune_epochs = 0, epochs = 5, labels = 0, max_test = 0;
  double learning_rate = 1e-3;
  int batch_size = 128;
  uint64_t seed = 1;
};

int run_stacked(const StackedOptions& o) {
  using namespace ae;
  DataOptions data = o.data;
  data.seed = o.seed;
  const TrainTest sets = load_train_test(data, o.max_test);
  const Dataset<float>& train = sets.train;
  const Dataset<float>& test = sets.test;
  if (train.labels.empty() || test.labels.empty()) throw Error("the stacked classifier needs a labelled data set (mnist, fashion)");
  if (train.x.minCoeff() < 0.0f || train.x.maxCoeff() > 1.0f) throw Error("pretraining uses cross-entropy: data must be in [0, 1]");
  const Activation f = activation_from_name(o.activation);
  std::vector<LayerSpec> specs;
  for (int n : o.layers) specs.push_back({n, f});
  int num_classes = 0;
  for (int y : train.labels) num_classes = std::max(num_classes, y + 1);

  TrainConfig pre;
  pre.loss.kind = LossKind::binary_cross_entropy;
  pre.loss.units = Reduction::mean;
  pre.optimizer.kind = OptimizerKind::adam;
  pre.optimizer.learning_rate = o.learning_rate;
  pre.batch_size = o.batch_size;
  pre.regularization.corruption.kind = corruption_from_name(o.corruption);
  pre.regularization.corruption.level = o.corruption_level;
  validate(pre.regularization.corruption);

  std::string arch_text = std::to_string(train.n_features());
  for (int n : o.layers) arch_text += "-" + std::to_string(n);
  std::printf("data      %s: %d samples (%s labelled for fine-tuning); %s: %d samples\n", train.name.c_str(), train.size(),
              o.labels > 0 ? std::to_string(std::min(o.labels, train.size())).c_str() : "all", test.name.c_str(), test.size());
  std::printf("encoder   %s, %s; classifier head softmax over %d classes\n", arch_text.c_str(), activation_name(f), num_classes);
  std::printf("pretrain  greedy layer-wise, %d epochs per layer, %s, adam η = %g, batch %d%s\n", o.pretrain_epochs,
              pre.regularization.corruption.active() ? "denoising" : "plain", o.learning_rate, o.batch_size,
              pre.regularization.corruption.active()
                  ? (std::string(" (") + corruption_name(pre.regularization.corruption.kind) + " " + std::to_string(o.corruption_level) + ")").c_str()
                  : "");
  std::fflush(stdout);

  // ---- 1. greedy layer-wise pretraining ----
  const auto t0 = std::chrono::steady_clock::now();
  const LayerwiseResult<float> stack = pretrain_layerwise<float>(
      train.x, specs, pre, o.pretrain_epochs, o.seed, [&](int layer, int epoch, double loss) {
        std::printf("layer %d   epoch %2d  reconstruction of the layer below %.5f  %6.1f s\n", layer, epoch, loss, seconds_since(t0));
        std::fflush(stdout);
      });
  const double pretrain_seconds = seconds_since(t0);

  // ---- 2(a). unrolled deep autoencoder ----
  Autoencoder<float> deep = unroll(stack);
  LossConfig bce = pre.loss;
  std::printf("unrolled  %zu-layer deep autoencoder: test BCE %.5f after pretraining alone\n", deep.layers.size(),
              double(evaluate_loss(deep, bce, test.x)));
  if (o.finetune_epochs > 0) {
    Trainer<float> trainer;
    trainer.model = deep;
    trainer.data = train.x;
    trainer.config = pre;
    trainer.config.regularization = Regularization{};
    trainer.rng.reseed(o.seed * 17 + 3);
    trainer.reset_progress();
    for (int e = 1; e <= o.finetune_epochs; ++e) {
      trainer.finish_epoch();
      if (!trainer.failure.empty()) throw Error(trainer.failure);
    }
    std::printf("unrolled  after %d epochs of end-to-end fine-tuning: test BCE %.5f\n", o.finetune_epochs,
                double(evaluate_loss(trainer.model, bce, test.x)));
  }

  // ---- 2(b). classifier: pretrained vs random initialisation, the same supervised budget ----
  Matrix<float> x_lab = train.x;
  std::vector<int> y_lab = train.labels;
  if (o.labels > 0 && o.labels < train.size()) {
    x_lab = train.x.leftCols(o.labels);
    y_lab.resize(size_t(o.labels));
  }
  OptimizerConfig opt;
  opt.kind = OptimizerKind::adam;
  opt.learning_rate = o.learning_rate;
  auto fine_tune = [&](Classifier<float> c, const char* name) {
    Rng rng(o.seed * 7 + 11);
    const auto t1 = std::chrono::steady_clock::now();
    train_classifier(c, x_lab, y_lab, opt, o.batch_size, o.epochs, rng, [&](int epoch, double loss) {
      std::printf("%-9s epoch %2d  train cross-entropy %.5f  test accuracy %.2f %%\n", name, epoch, loss,
                  100.0 * classifier_accuracy(c, test.x, test.labels));
      std::fflush(stdout);
    });
    return std::make_pair(classifier_accuracy(c, test.x, test.labels), seconds_since(t1));
  };
  Rng head_rng(o.seed * 3 + 1);
  const auto pretrained = fine_tune(make_classifier(stack.encoders, num_classes, head_rng), "pretrained");
  Rng random_rng(o.seed * 5 + 2);
  const std::vector<DenseLayer<float>> random_layers = random_encoders<float>(train.n_features(), specs, random_rng);
  Rng head_rng2(o.seed * 3 + 1);
  const auto random = fine_tune(make_classifier(random_layers, num_classes, head_rng2), "random");
  std::printf("result    test accuracy: pretrained %.2f %%, random init %.2f %% (%d supervised epochs each; pretraining "
              "took %.1f s more)\n",
              100.0 * pretrained.first, 100.0 * random.first, o.epochs, pretrain_seconds);
  return 0;
}

}  // namespace

void add_stacked_command(CLI::App& app) {
  auto o = std::make_shared<StackedOptions>();
  CLI::App* cmd = app.add_subcommand("stacked", "stacked (denoising) autoencoder: greedy pretraining, unrolled fine-tuning, "
                                                "softmax classifier pretrained vs random init");
  add_data_options(*cmd, o->data, "use only the first N training samples (0: all)");
  cmd->add_option("--layers", o->layers, "encoder layer sizes, bottom to top")->delimiter(',')->check(CLI::Range(1, 65536))->capture_default_str();
  cmd->add_option("--activation", o->activation, "encoder activation")->capture_default_str();
  cmd->add_option("--corruption", o->corruption, "pretraining corruption (stacked denoising AE): none | masking | gaussian | salt_and_pepper")
      ->capture_default_str();
  cmd->add_option("--corruption-level", o->corruption_level, "ν or σ of --corruption")->check(CLI::Range(0.0, 100.0))->capture_default_str();
  cmd->add_option("--pretrain-epochs", o->pretrain_epochs, "epochs per layer of greedy pretraining")->check(CLI::Range(0, 100000))->capture_default_str();
  cmd->add_option("--finetune-epochs", o->finetune_epochs, "epochs of unrolled deep-AE fine-tuning (0: skip)")->check(CLI::Range(0, 100000))->capture_default_str();
  cmd->add_option("--epochs", o->epochs, "supervised epochs of the classifier (each of pretrained and random)")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--labels", o->labels, "use only the first N labelled training samples for the classifier (0: all)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--lr", o->learning_rate, "Adam learning rate η (pretraining and fine-tuning)")->check(CLI::Range(1e-9, 10.0))->capture_default_str();
  cmd->add_option("--batch", o->batch_size, "minibatch size")->check(CLI::Range(0, 1 << 24))->capture_default_str();
  cmd->add_option("--max-test", o->max_test, "use only the first N test samples (0: all)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", o->seed, "seed")->capture_default_str();
  cmd->callback([o]() { exit_status() = run_stacked(*o); });
}

}  // namespace cli
