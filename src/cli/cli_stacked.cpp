// aelab train --variant stacked (or `aelab stacked`) — a stacked (denoising) autoencoder: greedy
// layer-wise pretraining, (a) unrolled fine-tuning as a deep autoencoder, (b) a softmax classifier
// fine-tuned on the labels (saved by --save), and the same classifier from random initialisation
// with the same supervised budget for comparison (--no-baseline skips it; --save-baseline saves it).
// The classifiers train with --optimizer, --lr and --batch unless --classifier-optimizer,
// --classifier-lr or --classifier-batch say otherwise (the stacked lesson: Adam pretraining, plain
// SGD fine-tuning on 100 labels).
#include "cli.h"

#include <chrono>
#include <cstdio>

namespace cli {

int run_train_stacked(const TrainOptions& o) {
  using namespace ae;
  const TrainTest sets = load_train_test(o);
  const Dataset<float>& train = sets.train;
  const Dataset<float>& test = sets.test;
  if (train.labels.empty() || test.labels.empty()) throw Error("the stacked classifier needs a labelled data set (mnist, fashion)");
  if (train.x.minCoeff() < 0.0f || train.x.maxCoeff() > 1.0f) throw Error("pretraining uses cross-entropy: data must be in [0, 1]");
  const Activation f = activation_from_name(o.activation);
  std::vector<LayerSpec> specs;
  for (int n : o.layers) specs.push_back({n, f});
  int num_classes = 0;
  for (int y : train.labels) num_classes = std::max(num_classes, y + 1);
  if (num_classes < 2) throw Error("the classifier needs at least two classes among the labels");

  {  // the largest chain trained: the unrolled stack, input → encoders → their decoders → input
    std::vector<int> sizes{train.n_features()};
    for (int n : o.layers) sizes.push_back(n);
    for (size_t i = o.layers.size(); i-- > 1;) sizes.push_back(o.layers[i - 1]);
    sizes.push_back(train.n_features());
    require_training_memory(sizes, o.batch_size, train.size(), optimizer_from(o).kind,
                            uint64_t(train.x.size() + test.x.size()) * 2 * sizeof(float));
  }
  TrainConfig pre;
  pre.loss.kind = LossKind::binary_cross_entropy;
  pre.loss.units = Reduction::mean;
  pre.optimizer = optimizer_from(o);
  pre.batch_size = o.batch_size;
  pre.regularization.corruption.kind = corruption_from_name(o.corruption);
  pre.regularization.corruption.level = o.corruption_level;
  validate(pre.regularization.corruption);
  if (pre.regularization.corruption.kind != CorruptionKind::none && !(o.corruption_level > 0))
    throw Error("--corruption " + o.corruption + " needs --corruption-level > 0 (ν for masking / salt_and_pepper, σ for gaussian)");
  if (!o.save_baseline_path.empty() && !o.baseline) throw Error("--save-baseline needs the baseline (drop --no-baseline)");

  std::string arch_text = std::to_string(train.n_features());
  for (int n : o.layers) arch_text += "-" + std::to_string(n);
  std::printf("data      %s: %d samples (%s labelled for fine-tuning); %s: %d samples\n", train.name.c_str(), train.size(),
              o.labels > 0 ? std::to_string(std::min(o.labels, train.size())).c_str() : "all", test.name.c_str(), test.size());
  std::printf("encoder   %s, %s; classifier head softmax over %d classes\n", arch_text.c_str(), activation_name(f), num_classes);
  std::printf("pretrain  greedy layer-wise, %d epochs per layer, %s, %s η = %g, batch %d%s\n", o.pretrain_epochs,
              pre.regularization.corruption.active() ? "denoising" : "plain", optimizer_name(pre.optimizer.kind),
              o.learning_rate, o.batch_size,
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
    std::printf("unrolled  after %d %s of end-to-end fine-tuning: test BCE %.5f\n", o.finetune_epochs,
                o.finetune_epochs == 1 ? "epoch" : "epochs", double(evaluate_loss(trainer.model, bce, test.x)));
  }

  // ---- 2(b). classifier: pretrained vs random initialisation, the same supervised budget ----
  Matrix<float> x_lab = train.x;
  std::vector<int> y_lab = train.labels;
  if (o.labels > 0 && o.labels < train.size()) {
    x_lab = train.x.leftCols(o.labels);
    y_lab.resize(size_t(o.labels));
  }
  OptimizerConfig opt = pre.optimizer;
  if (!o.classifier_optimizer.empty()) opt.kind = optimizer_from_name(o.classifier_optimizer);
  if (o.classifier_learning_rate > 0) opt.learning_rate = o.classifier_learning_rate;
  const int classifier_batch = o.classifier_batch_size > 0 ? o.classifier_batch_size : o.batch_size;
  std::printf("classify  softmax on the encoder, %s η = %g, batch %d, %d epochs over the labelled samples\n", optimizer_name(opt.kind),
              double(opt.learning_rate), classifier_batch, o.epochs);
  auto fine_tune = [&](Classifier<float>& c, const char* name) {
    Rng rng(o.seed * 7 + 11);
    const auto t1 = std::chrono::steady_clock::now();
    train_classifier<float>(c, x_lab, y_lab, opt, classifier_batch, o.epochs, rng, [&](int epoch, double loss, const Classifier<float>& now) {
      std::printf("%-9s epoch %2d  train cross-entropy %.5f  test accuracy %.2f %%\n", name, epoch, loss,
                  100.0 * classifier_accuracy(now, test.x, test.labels));
      std::fflush(stdout);
    });
    return std::make_pair(classifier_accuracy(c, test.x, test.labels), seconds_since(t1));
  };
  ModelInfo info;
  info.dataset = o.data.spec;
  info.image_width = train.image_width;
  info.image_height = train.image_height;
  Rng head_rng(o.seed * 3 + 1);
  Classifier<float> pretrained = make_classifier(stack.encoders, num_classes, head_rng);
  const auto pretrained_result = fine_tune(pretrained, "pretrained");
  if (!o.save_path.empty()) {
    info.pretrained = true;
    save_model(o.save_path, pretrained, info);
    std::printf("saved     %s (the pretrained classifier)\n", o.save_path.c_str());
  }
  if (!o.baseline) {
    std::printf("result    test accuracy: pretrained %.2f %% (%d supervised epochs; pretraining took %.1f s more)\n",
                100.0 * pretrained_result.first, o.epochs, pretrain_seconds);
    return 0;
  }
  Rng random_rng(o.seed * 5 + 2);
  const std::vector<DenseLayer<float>> random_layers = random_encoders<float>(train.n_features(), specs, random_rng);
  Rng head_rng2(o.seed * 3 + 1);
  Classifier<float> random = make_classifier(random_layers, num_classes, head_rng2);
  const auto random_result = fine_tune(random, "random");
  if (!o.save_baseline_path.empty()) {
    info.pretrained = false;
    save_model(o.save_baseline_path, random, info);
    std::printf("saved     %s (the random-init classifier)\n", o.save_baseline_path.c_str());
  }
  std::printf("result    test accuracy: pretrained %.2f %%, random init %.2f %% (%d supervised epochs each; pretraining "
              "took %.1f s more)\n",
              100.0 * pretrained_result.first, 100.0 * random_result.first, o.epochs, pretrain_seconds);
  return 0;
}

}  // namespace cli
