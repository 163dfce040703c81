// aelab train — train an autoencoder from flags or a JSON config; print per-epoch train and
// validation loss and time; save the model and the loss curve.
#include "cli.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace cli {

namespace {

struct TrainOptions {
  DataOptions data;
  std::vector<int> layers{256, 64, 256};
  int code_layer = -1;
  std::string activation = "relu", code_activation, output_activation = "sigmoid";
  bool tied = false;
  std::string init;  // default: he for the ReLU family, glorot otherwise
  std::string loss = "binary_cross_entropy", units = "mean", batch_reduction = "mean";
  bool no_half = false;
  std::string optimizer = "adam";
  double learning_rate = 1e-3, momentum = 0.9;
  bool freeze_biases = false;
  int batch_size = 128, epochs = 10;
  uint64_t seed = 1;
  double validation = 0.1;
  std::string save_path, curve_path;
  bool quiet = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_train(const TrainOptions& o) {
  using namespace ae;
  // ---- data ----
  DataOptions data = o.data;
  data.seed = o.seed;
  Dataset<float> all = load_data(data, "train");
  Rng split_rng(o.seed * 7919 + 3);
  Matrix<float> train, validation;
  std::vector<int> train_labels, validation_labels;
  split_train_validation(all.x, all.labels, o.validation, split_rng, train, train_labels, validation, validation_labels);

  // ---- model ----
  Architecture arch;
  arch.input_size = all.n_features();
  const Activation hidden = activation_from_name(o.activation);
  const Activation code = o.code_activation.empty() ? hidden : activation_from_name(o.code_activation);
  const int code_layer = o.code_layer >= 0 ? o.code_layer : (int(o.layers.size()) - 1) / 2;
  if (o.layers.empty()) throw Error("--layers needs at least one hidden layer (the code)");
  if (code_layer >= int(o.layers.size())) throw Error("--code-layer must index one of --layers");
  for (size_t i = 0; i < o.layers.size(); ++i) arch.layers.push_back({o.layers[i], int(i) == code_layer ? code : hidden});
  arch.layers.push_back({arch.input_size, activation_from_name(o.output_activation)});
  arch.code_layer = code_layer;
  arch.tied_weights = o.tied;
  const Init init = !o.init.empty() ? init_from_name(o.init)
                    : (hidden == Activation::relu || hidden == Activation::leaky_relu) ? Init::he_normal
                                                                                         : Init::glorot_uniform;
  Rng init_rng(o.seed);
  Trainer<float> trainer;
  trainer.model = make_autoencoder<float>(arch, init, init_rng);
  trainer.data = std::move(train);
  trainer.rng.reseed(o.seed * 31 + 1);
  trainer.config.loss.kind = loss_from_name(o.loss);
  trainer.config.loss.half = !o.no_half;
  trainer.config.loss.units = reduction_from_name(o.units);
  trainer.config.loss.batch = reduction_from_name(o.batch_reduction);
  trainer.config.optimizer.kind = optimizer_from_name(o.optimizer);
  trainer.config.optimizer.learning_rate = o.learning_rate;
  trainer.config.optimizer.momentum = o.momentum;
  trainer.config.optimizer.update_biases = !o.freeze_biases;
  trainer.config.batch_size = o.batch_size;
  trainer.reset_progress();
  if (trainer.config.loss.kind == LossKind::binary_cross_entropy &&
      (trainer.data.minCoeff() < 0.0f || trainer.data.maxCoeff() > 1.0f))
    throw Error("binary cross-entropy needs data in [0, 1]; this data set is not (use --loss squared_error)");

  std::string arch_text = std::to_string(arch.input_size);
  for (const auto& l : arch.layers) arch_text += "-" + std::to_string(l.size);
  std::printf("data      %s: %lld training, %lld validation samples of %d features\n", all.name.c_str(),
              (long long)trainer.data.cols(), (long long)validation.cols(), arch.input_size);
  std::printf("model     %s (code: layer %d, %d units)%s, %lld parameters, %s hidden, %s output, init %s\n",
              arch_text.c_str(), code_layer, arch.layers[code_layer].size, o.tied ? ", tied weights" : "",
              trainer.model.parameter_count(), activation_name(hidden), o.output_activation.c_str(), init_name(init));
  std::printf("training  %s, %s over units, η = %g, %s, batch %d, %d epochs, seed %llu, %s build\n",
              loss_name(trainer.config.loss.kind), reduction_name(trainer.config.loss.units), o.learning_rate,
              optimizer_name(trainer.config.optimizer.kind), o.batch_size, o.epochs, (unsigned long long)o.seed,
              build_description());
  std::fflush(stdout);

  std::ostringstream curve;
  curve << "epoch,train_loss,validation_loss,seconds\n";
  Progress progress(!o.quiet);
  const auto t_start = std::chrono::steady_clock::now();
  const long long batches_per_epoch =
      o.batch_size <= 0 ? 1 : (trainer.data.cols() + o.batch_size - 1) / o.batch_size;
  int status = 0;
  long long samples_seen = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto t_epoch = std::chrono::steady_clock::now();
    auto last_draw = t_epoch;
    long long done = 0;
    do {
      trainer.step();
      ++done;
      if (progress.enabled && std::chrono::steady_clock::now() - last_draw > std::chrono::milliseconds(200)) {
        last_draw = std::chrono::steady_clock::now();
        char detail[64];
        std::snprintf(detail, sizeof detail, "batch loss %.4f", double(trainer.ws.loss));
        progress.show("epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs),
                      double(done) / double(batches_per_epoch), detail);
      }
    } while (trainer.failure.empty() && !trainer.epoch_finished());
    progress.clear();
    if (!trainer.failure.empty()) {
      std::fprintf(stderr, "aelab: %s\n", trainer.failure.c_str());
      status = 1;
      break;
    }
    const double train_loss = trainer.epoch_loss_sum / double(std::max<long long>(trainer.epoch_samples, 1));
    const double val_loss = validation.cols() > 0 ? double(evaluate_loss(trainer.model, trainer.config.loss, validation))
                                                  : std::nan("");
    const double elapsed = seconds_since(t_start);
    char val_text[32] = "–";
    if (validation.cols() > 0) std::snprintf(val_text, sizeof val_text, "%.5f", val_loss);
    std::printf("epoch %3d/%d  train %.5f  validation %s  %6.1f s  (%.1f s/epoch)\n", epoch, o.epochs, train_loss,
                val_text, elapsed, seconds_since(t_epoch));
    std::fflush(stdout);
    samples_seen += trainer.data.cols();
    curve << epoch << "," << train_loss << "," << (validation.cols() > 0 ? std::to_string(val_loss) : "") << "," << elapsed << "\n";
  }
  const double total = seconds_since(t_start);
  std::printf("trained   %lld steps in %.1f s: %.0f samples/s (including the validation passes)\n", trainer.steps,
              total, double(samples_seen) / std::max(total, 1e-9));

  if (!o.save_path.empty()) {
    ModelInfo info;
    info.loss = trainer.config.loss;
    info.dataset = o.data.spec;
    info.image_width = all.image_width;
    info.image_height = all.image_height;
    save_model(o.save_path, trainer.model, info);
    std::printf("saved     %s%s\n", o.save_path.c_str(), status ? " (the last good weights)" : "");
  }
  if (!o.curve_path.empty()) {
    std::ofstream out(o.curve_path);
    if (!out) throw Error("cannot write " + o.curve_path);
    out << curve.str();
    std::printf("curve     %s\n", o.curve_path.c_str());
  }
  return status;
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "train an autoencoder; prints per-epoch train/validation loss");
  cmd->footer("--config FILE.json reads these options from a JSON object, e.g. {\"lr\": 0.001, \"layers\": [256, 64, 256], "
              "\"tied\": true}; flags given on the command line win.");
  add_data_options(*cmd, o->data, "use only the first N training samples (0: all)");
  cmd->add_option("--layers", o->layers, "hidden layer sizes, encoder to decoder, without the output (e.g. 256,64,256)")
      ->delimiter(',')
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  cmd->add_option("--code-layer", o->code_layer, "which of --layers is the code (default: the middle one)");
  cmd->add_option("--activation", o->activation, "hidden activation: linear, sigmoid, tanh, relu, leaky_relu, softplus")
      ->capture_default_str();
  cmd->add_option("--code-activation", o->code_activation, "the code layer's activation (default: --activation)");
  cmd->add_option("--output-activation", o->output_activation, "output activation")->capture_default_str();
  cmd->add_flag("--tied", o->tied, "tied weights: decoder W' = encoder Wᵀ (needs mirrored --layers)");
  cmd->add_option("--init", o->init, "weight initialisation: glorot | he (default: he for ReLU, glorot otherwise)");
  cmd->add_option("--loss", o->loss, "binary_cross_entropy (bce) | squared_error (mse)")->capture_default_str();
  cmd->add_option("--units", o->units, "loss reduction over a sample's units: sum | mean")->capture_default_str();
  cmd->add_option("--batch-reduction", o->batch_reduction, "loss reduction over a batch: mean | sum")->capture_default_str();
  cmd->add_flag("--no-half", o->no_half, "squared error as Σ(x−y)² instead of ½Σ(x−y)²");
  cmd->add_option("--optimizer", o->optimizer, "sgd | momentum | adam")->capture_default_str();
  cmd->add_option("--lr", o->learning_rate, "learning rate η")->check(CLI::Range(1e-9, 1e6))->capture_default_str();
  cmd->add_option("--momentum", o->momentum, "momentum μ")->check(CLI::Range(0.0, 0.9999))->capture_default_str();
  cmd->add_flag("--freeze-biases", o->freeze_biases, "do not update the biases");
  cmd->add_option("--batch", o->batch_size, "minibatch size M (0: the whole training set, full-batch gradient descent)")
      ->check(CLI::Range(0, 1 << 24))
      ->capture_default_str();
  cmd->add_option("--epochs", o->epochs, "passes over the training set")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed for initialisation, shuffling, the split and toy data")->capture_default_str();
  cmd->add_option("--validation", o->validation, "fraction of the training set held out for validation")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  cmd->add_option("--save", o->save_path, "write the trained model here (AELAB-MODEL format)");
  cmd->add_option("--curve", o->curve_path, "write the loss curve here (CSV: epoch,train_loss,validation_loss,seconds)");
  cmd->add_flag("--quiet", o->quiet, "no progress bar");
  cmd->callback([o]() { exit_status() = run_train(*o); });
}

}  // namespace cli
