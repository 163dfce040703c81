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
  // The regularized family (ae/regularizers.h, ae/corruption.h)
  std::string corruption = "none";
  double corruption_level = 0.0;
  std::string sparsity = "none";
  double l1_weight = 1e-3, kl_weight = 0.1, sparsity_target = 0.05;
  int top_k = 0;
  double contractive = 0.0, contractive_noise = 0.05;
  std::string contractive_form = "auto";
};

// The Regularization the flags describe ("--top-k K" alone means k-sparse).
ae::Regularization regularization_from(const TrainOptions& o) {
  ae::Regularization r;
  r.corruption.kind = ae::corruption_from_name(o.corruption);
  r.corruption.level = o.corruption_level;
  if (r.corruption.kind != ae::CorruptionKind::none && !(o.corruption_level > 0))
    throw ae::Error("--corruption " + o.corruption + " needs --corruption-level > 0 (ν for masking / salt_and_pepper, σ for gaussian)");
  r.sparsity.kind = ae::sparsity_from_name(o.sparsity);
  if (r.sparsity.kind == ae::SparsityKind::none && o.top_k > 0) r.sparsity.kind = ae::SparsityKind::top_k;
  r.sparsity.l1_weight = o.l1_weight;
  r.sparsity.kl_weight = o.kl_weight;
  r.sparsity.target = o.sparsity_target;
  r.sparsity.k = o.top_k;
  r.contractive.weight = o.contractive;
  r.contractive.form = ae::contractive_form_from_name(o.contractive_form);
  r.contractive.noise = o.contractive_noise;
  return r;
}

std::string describe(const ae::Regularization& r, const ae::Autoencoder<float>& model) {
  using namespace ae;
  std::string out;
  char buf[160];
  if (r.corruption.active()) {
    std::snprintf(buf, sizeof buf, "denoising: %s corruption, %s = %g; ", corruption_name(r.corruption.kind),
                  r.corruption.kind == CorruptionKind::gaussian ? "σ" : "ν", r.corruption.level);
    out += buf;
  }
  switch (r.sparsity.kind) {
    case SparsityKind::none: break;
    case SparsityKind::l1: std::snprintf(buf, sizeof buf, "sparse: L1 activity, λ = %g; ", r.sparsity.l1_weight); out += buf; break;
    case SparsityKind::kl:
      std::snprintf(buf, sizeof buf, "sparse: KL to ρ = %g, β = %g; ", r.sparsity.target, r.sparsity.kl_weight);
      out += buf;
      break;
    case SparsityKind::top_k: std::snprintf(buf, sizeof buf, "k-sparse: k = %d; ", r.sparsity.k); out += buf; break;
  }
  if (r.contractive.weight > 0) {
    const ContractiveForm form = contractive_form_for(model, r.contractive);
    if (form == ContractiveForm::exact)
      std::snprintf(buf, sizeof buf, "contractive: λ = %g, exact; ", r.contractive.weight);
    else
      std::snprintf(buf, sizeof buf, "contractive: λ = %g, stochastic (σ = %g); ", r.contractive.weight, r.contractive.noise);
    out += buf;
  }
  if (out.empty()) return "none (a plain autoencoder)";
  out.resize(out.size() - 2);
  return out;
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
  trainer.config.regularization = regularization_from(o);
  validate(trainer.config.regularization, trainer.model);
  apply_model_settings(trainer.model, trainer.config.regularization);
  trainer.noise_rng.reseed(o.seed * 131 + 7);
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
  const bool penalized = trainer.config.regularization.sparsity.kind == SparsityKind::l1 ||
                         trainer.config.regularization.sparsity.kind == SparsityKind::kl ||
                         trainer.config.regularization.contractive.weight > 0;
  std::printf("variant   %s\n", describe(trainer.config.regularization, trainer.model).c_str());
  std::fflush(stdout);

  std::ostringstream curve;
  curve << "epoch,train_loss,validation_loss,seconds" << (penalized ? ",train_reconstruction,train_penalty" : "") << "\n";
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
    const double train_recon = trainer.epoch_reconstruction_sum / double(std::max<long long>(trainer.epoch_samples, 1));
    const double train_penalty = trainer.epoch_penalty_sum / double(std::max<long long>(trainer.epoch_samples, 1));
    const double val_loss = validation.cols() > 0 ? double(evaluate_loss(trainer.model, trainer.config.loss, validation))
                                                  : std::nan("");
    const double elapsed = seconds_since(t_start);
    char val_text[32] = "–";
    if (validation.cols() > 0) std::snprintf(val_text, sizeof val_text, "%.5f", val_loss);
    char parts[96] = "";
    if (penalized) std::snprintf(parts, sizeof parts, " (reconstruction %.5f + penalty %.5f)", train_recon, train_penalty);
    std::printf("epoch %3d/%d  train %.5f%s  validation %s  %6.1f s  (%.1f s/epoch)\n", epoch, o.epochs, train_loss, parts,
                val_text, elapsed, seconds_since(t_epoch));
    std::fflush(stdout);
    samples_seen += trainer.data.cols();
    curve << epoch << "," << train_loss << "," << (validation.cols() > 0 ? std::to_string(val_loss) : "") << "," << elapsed;
    if (penalized) curve << "," << train_recon << "," << train_penalty;
    curve << "\n";
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
    if (trainer.model.code_top_k > 0)
      std::printf("note      the model file does not record k-sparse: evaluate with `aelab eval %s --top-k %d`\n",
                  o.save_path.c_str(), trainer.model.code_top_k);
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
  // The regularized family
  cmd->add_option("--corruption", o->corruption, "denoising AE: none | masking | gaussian | salt_and_pepper (fresh per batch; "
                                                 "the loss is against the clean input)")->capture_default_str();
  cmd->add_option("--corruption-level", o->corruption_level, "ν (masking, salt_and_pepper: fraction of inputs) or σ (gaussian)")
      ->check(CLI::Range(0.0, 100.0))->capture_default_str();
  cmd->add_option("--sparsity", o->sparsity, "sparse AE: none | l1 (λΣ|h|) | kl (βΣKL(ρ‖ρ̂), sigmoid code) | top_k (k-sparse)")
      ->capture_default_str();
  cmd->add_option("--l1-weight", o->l1_weight, "λ of the L1 activity penalty")->check(CLI::Range(0.0, 1e6))->capture_default_str();
  cmd->add_option("--kl-weight", o->kl_weight, "β of the KL sparsity penalty")->check(CLI::Range(0.0, 1e6))->capture_default_str();
  cmd->add_option("--sparsity-target", o->sparsity_target, "ρ, the target mean activation of each code unit (KL)")
      ->check(CLI::Range(1e-6, 1.0 - 1e-6))->capture_default_str();
  cmd->add_option("--top-k", o->top_k, "k-sparse AE: keep the k largest code units per sample")->check(CLI::Range(0, 65536));
  cmd->add_option("--contractive", o->contractive, "contractive AE: λ of λ‖∂h/∂x‖²_F (0: off)")
      ->check(CLI::Range(0.0, 1e6))->capture_default_str();
  cmd->add_option("--contractive-form", o->contractive_form, "auto (exact for a one-layer encoder, else stochastic) | exact | stochastic")
      ->capture_default_str();
  cmd->add_option("--contractive-noise", o->contractive_noise, "σ of the stochastic contractive penalty E‖h(x) − h(x + σε)‖²/σ²")
      ->check(CLI::Range(1e-6, 10.0))->capture_default_str();
  cmd->callback([o]() { exit_status() = run_train(*o); });
}

}  // namespace cli
