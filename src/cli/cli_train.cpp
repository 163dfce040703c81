// aelab train — train any model of the lab from flags or a JSON config, and save it:
//   --variant autoencoder  plain, sparse, denoising or contractive (this file): per-epoch train and
//                          validation loss and time; the model file records the regularization
//   --variant vae          a variational autoencoder (cli_vae.cpp)
//   --variant stacked      greedy layer-wise pretraining + softmax classifier, against the same
//                          classifier from random initialisation (cli_stacked.cpp)
// `aelab vae …` and `aelab stacked …` are short for `aelab train --variant vae|stacked …` (main.cpp).
#include "cli.h"

#include "ae/kernels/parallel.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace cli {

namespace {

// The Regularization the flags describe ("--top-k K" alone means k-sparse).
ae::Regularization regularization_from(const TrainOptions& o) {
  ae::Regularization r;
  r.corruption.kind = ae::corruption_from_name(o.corruption);
  r.corruption.level = o.corruption_level;
  if (r.corruption.kind != ae::CorruptionKind::none && !(o.corruption_level > 0))
    throw ae::Error("--corruption " + o.corruption + " needs --corruption-level > 0 (ν for masking / salt_and_pepper, σ for gaussian)");
  r.sparsity.kind = ae::sparsity_from_name(o.sparsity);
  if (r.sparsity.kind == ae::SparsityKind::none && o.top_k > 0) r.sparsity.kind = ae::SparsityKind::top_k;
  if (o.top_k > 0 && r.sparsity.kind != ae::SparsityKind::top_k)
    throw ae::Error("--top-k makes a k-sparse AE; it does not combine with --sparsity " + o.sparsity);
  r.sparsity.l1_weight = o.l1_weight;
  r.sparsity.kl_weight = o.kl_weight;
  r.sparsity.target = o.sparsity_target;
  r.sparsity.k = o.top_k;
  r.contractive.weight = o.contractive;
  r.contractive.form = ae::contractive_form_from_name(o.contractive_form);
  r.contractive.noise = o.contractive_noise;
  return r;
}

int run_train_autoencoder(const TrainOptions& o) {
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
  validate(arch);
  std::vector<int> sizes{arch.input_size};
  for (const auto& l : arch.layers) sizes.push_back(l.size);
  require_training_memory(sizes, o.batch_size, int(train.cols()), optimizer_from(o).kind,
                          uint64_t(all.x.size() + train.size() + validation.size()) * sizeof(float));
  Rng init_rng(o.seed);
  Trainer<float> trainer;
  trainer.model = make_autoencoder<float>(arch, init, init_rng);
  trainer.data = std::move(train);
  trainer.rng.reseed(o.seed * 31 + 1);
  trainer.config.loss.kind = loss_from_name(o.loss);
  trainer.config.loss.half = !o.no_half;
  trainer.config.loss.units = reduction_from_name(o.units);
  trainer.config.loss.batch = reduction_from_name(o.batch_reduction);
  if (trainer.config.loss.kind == LossKind::gaussian) {
    check_decoder_sigma(o.decoder_sigma);
    trainer.config.loss.sigma = o.decoder_sigma;
  }
  trainer.config.optimizer = optimizer_from(o);
  trainer.config.batch_size = o.batch_size;
  trainer.config.regularization = regularization_from(o);
  validate(trainer.config.regularization, trainer.model);
  apply_model_settings(trainer.model, trainer.config.regularization);
  trainer.noise_rng.reseed(o.seed * 131 + 7);
  trainer.reset_progress();
  if (trainer.config.loss.kind == LossKind::binary_cross_entropy &&
      (trainer.data.minCoeff() < 0.0f || trainer.data.maxCoeff() > 1.0f))
    throw Error("binary cross-entropy needs data in [0, 1]; this data set is not (use --loss squared_error)");

  std::string loss_text = loss_name(trainer.config.loss.kind);
  if (trainer.config.loss.kind == LossKind::gaussian) {
    char s_text[64];
    std::snprintf(s_text, sizeof s_text, " (s = %g, nats)", o.decoder_sigma);
    loss_text += s_text;
  }
  std::string arch_text = std::to_string(arch.input_size);
  for (const auto& l : arch.layers) arch_text += "-" + std::to_string(l.size);
  std::printf("data      %s: %lld training, %lld validation samples of %d features\n", all.name.c_str(),
              (long long)trainer.data.cols(), (long long)validation.cols(), arch.input_size);
  std::printf("model     %s (code: layer %d, %d units)%s, %lld parameters, %s hidden, %s output, init %s\n",
              arch_text.c_str(), code_layer, arch.layers[code_layer].size, o.tied ? ", tied weights" : "",
              trainer.model.parameter_count(), activation_name(hidden), o.output_activation.c_str(), init_name(init));
  std::printf("training  %s, %s over units, η = %g, %s, batch %d, %d epochs, seed %llu, %s build\n",
              loss_text.c_str(),
              reduction_name(trainer.config.loss.units), o.learning_rate,
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
    info.regularization = trainer.config.regularization;  // eval restores k-sparse and the corruption from it
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

// Which variants use which flag. A flag given (on the command line or in the config file) for a
// variant that does not use it is an error, not silently ignored. Flags not listed serve all.
struct FlagUse {
  const char* flag;
  bool autoencoder, vae, stacked;
};
constexpr FlagUse kFlagUse[] = {
    {"--code-layer", true, false, false},     {"--code-activation", true, false, false},
    {"--output-activation", true, false, false}, {"--tied", true, false, false},
    {"--init", true, false, false},           {"--loss", true, false, false}, {"--sigma", true, false, false},
    {"--units", true, false, false},          {"--batch-reduction", true, false, false},
    {"--no-half", true, false, false},        {"--freeze-biases", true, false, false},
    {"--validation", true, false, false},     {"--curve", true, false, false},
    {"--sparsity", true, false, false},       {"--l1-weight", true, false, false},
    {"--kl-weight", true, false, false},      {"--sparsity-target", true, false, false},
    {"--top-k", true, false, false},          {"--contractive", true, false, false},
    {"--contractive-form", true, false, false}, {"--contractive-noise", true, false, false},
    {"--corruption", true, false, true},      {"--corruption-level", true, false, true},
    {"--max-test", false, true, true},
    {"--latent", false, true, false},         {"--likelihood", false, true, false},
    {"--beta", false, true, false},           {"--decoder-variance", false, true, false},
    {"--draws", false, true, false},          {"--grid", false, true, false},
    {"--grid-side", false, true, false},      {"--grid-extent", false, true, false},
    {"--samples", false, true, false},
    {"--pretrain-epochs", false, false, true}, {"--finetune-epochs", false, false, true},
    {"--labels", false, false, true},         {"--baseline", false, false, true},
    {"--classifier-optimizer", false, false, true}, {"--classifier-lr", false, false, true},
    {"--classifier-batch", false, false, true},
    {"--save-baseline", false, false, true},
};

void check_flags_fit_variant(const CLI::App& cmd, const std::string& variant) {
  for (const FlagUse& f : kFlagUse) {
    const bool used = variant == "autoencoder" ? f.autoencoder : variant == "vae" ? f.vae : f.stacked;
    if (used || cmd.get_option(f.flag)->count() == 0) continue;
    std::string users;
    if (f.autoencoder) users += "autoencoder";
    if (f.vae) users += std::string(users.empty() ? "" : " and ") + "vae";
    if (f.stacked) users += std::string(users.empty() ? "" : " and ") + "stacked";
    throw ae::Error(std::string(f.flag) + " is a setting of --variant " + users + "; --variant " + variant + " does not use it");
  }
}

// The per-variant defaults of the options that mean the same thing in every variant.
TrainOptions resolve_defaults(TrainOptions o) {
  const bool vae = o.variant == "vae", stacked = o.variant == "stacked";
  if (o.layers.empty()) o.layers = vae ? std::vector<int>{512} : stacked ? std::vector<int>{256, 64} : std::vector<int>{256, 64, 256};
  if (o.activation.empty()) o.activation = stacked ? "sigmoid" : "relu";
  if (o.epochs == 0) o.epochs = vae ? 20 : stacked ? 5 : 10;
  return o;
}

}  // namespace

ae::OptimizerConfig optimizer_from(const TrainOptions& o) {
  ae::OptimizerConfig opt;
  opt.kind = ae::optimizer_from_name(o.optimizer);
  opt.learning_rate = o.learning_rate;
  opt.momentum = o.momentum;
  opt.update_biases = !o.freeze_biases;
  return opt;
}

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "train an autoencoder (plain, sparse, denoising, contractive), a VAE or a "
                                              "stacked classifier, and save it");
  cmd->footer("--variant picks the model; each flag says which variants use it, and a flag for another variant is "
              "refused.\n`aelab vae …` and `aelab stacked …` are short for `aelab train --variant vae|stacked …`.\n"
              "--config FILE.json reads these options from a JSON object, e.g. {\"variant\": \"vae\", \"lr\": 0.001, "
              "\"layers\": [256, 64, 256], \"tied\": true}; flags given on the command line win.");
  cmd->add_option("--variant", o->variant, "autoencoder (plain, sparse, denoising, contractive) | vae | stacked")
      ->check(CLI::IsMember({"autoencoder", "vae", "stacked"}))
      ->capture_default_str();
  add_data_options(*cmd, o->data, "use only the first N training samples (0: all)");
  cmd->add_option("--layers,--hidden", o->layers,
                  "hidden layer sizes. autoencoder: encoder to decoder, without the output (default 256,64,256); vae: "
                  "the encoder's, the decoder mirrors them (default 512); stacked: the encoder's, bottom to top "
                  "(default 256,64)")
      ->delimiter(',')
      ->check(CLI::Range(1, 65536));
  cmd->add_option("--code-layer", o->code_layer, "which of --layers is the code (default: the middle one)");
  cmd->add_option("--activation", o->activation, "hidden activation: linear, sigmoid, tanh, relu, leaky_relu, softplus "
                                                 "(default: sigmoid for stacked, relu otherwise)");
  cmd->add_option("--code-activation", o->code_activation, "the code layer's activation (default: --activation)");
  cmd->add_option("--output-activation", o->output_activation, "output activation")->capture_default_str();
  cmd->add_flag("--tied", o->tied, "tied weights: decoder W' = encoder Wᵀ (needs mirrored --layers)");
  cmd->add_option("--init", o->init, "weight initialisation: glorot | he (default: he for ReLU, glorot otherwise)");
  cmd->add_option("--loss", o->loss,
                  "binary_cross_entropy (bce) | squared_error (mse) | gaussian (−log N(x; y, s²), with --sigma)")
      ->capture_default_str();
  cmd->add_option("--sigma", o->decoder_sigma, "the Gaussian decoder's standard deviation s (--loss gaussian)")
      ->capture_default_str();
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
  cmd->add_option("--epochs", o->epochs, "passes over the training set (default: 10 autoencoder, 20 vae); stacked: "
                                         "supervised epochs of each classifier (default 5)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", o->seed, "seed for initialisation, shuffling, the split and toy data")->capture_default_str();
  cmd->add_option("--threads", o->threads,
                  "threads for the matrix products and updates (1 to 64; the same weights for a seed and thread count)")
      ->check(CLI::Range(1, ae::kernels::kMaxThreads))
      ->capture_default_str();
  cmd->add_option("--validation", o->validation, "fraction of the training set held out for validation")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  cmd->add_option("--save", o->save_path, "write the trained model here (AELAB-MODEL format; stacked: the pretrained "
                                          "classifier); `aelab eval FILE` reports what fits it");
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
  // --variant vae
  cmd->add_option("--latent", o->latent, "vae: latent dimension d")->check(CLI::Range(1, 4096))->capture_default_str();
  cmd->add_option("--likelihood", o->likelihood, "vae: decoder p(x|z): bernoulli | gaussian")
      ->check(CLI::IsMember({"bernoulli", "gaussian"}))->capture_default_str();
  cmd->add_option("--beta", o->beta, "vae: β, the weight of the KL term (1: the ELBO)")->check(CLI::Range(0.0, 1e4))->capture_default_str();
  cmd->add_option("--decoder-variance", o->decoder_variance, "vae: s² of the Gaussian decoder")
      ->check(CLI::Range(1e-6, 1e6))->capture_default_str();
  cmd->add_option("--draws", o->draws, "vae: ε draws per test image for the ELBO estimate")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--max-test", o->max_test, "vae, stacked: use only the first N test samples (0: all)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--grid", o->grid_path, "vae: write the decoded 2-D latent grid here (PGM image)");
  cmd->add_option("--grid-side", o->grid_side, "vae: latent grid points per side")->check(CLI::Range(1, 100))->capture_default_str();
  cmd->add_option("--grid-extent", o->grid_extent, "vae: the grid spans [−e, e]²")->check(CLI::Range(0.01, 100.0))->capture_default_str();
  cmd->add_option("--samples", o->samples_path, "vae: write 100 samples from the prior here (PGM image)");
  // --variant stacked
  cmd->add_option("--pretrain-epochs", o->pretrain_epochs, "stacked: epochs per layer of greedy pretraining (denoising with --corruption)")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  cmd->add_option("--finetune-epochs", o->finetune_epochs, "stacked: epochs of unrolled deep-AE fine-tuning (0: skip)")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  cmd->add_option("--labels", o->labels, "stacked: the label budget, the first N labelled training samples for the "
                                         "classifier (0: all)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--classifier-optimizer", o->classifier_optimizer, "stacked: the classifiers' optimizer: sgd | momentum | adam "
                                                                      "(default: --optimizer)")
      ->check(CLI::IsMember({"sgd", "momentum", "adam"}));
  cmd->add_option("--classifier-lr", o->classifier_learning_rate, "stacked: the classifiers' learning rate (default: --lr)")
      ->check(CLI::Range(1e-9, 1e6));
  cmd->add_option("--classifier-batch", o->classifier_batch_size, "stacked: the classifiers' minibatch size (default: --batch)")
      ->check(CLI::Range(1, 16777216));
  cmd->add_flag("--baseline,!--no-baseline", o->baseline, "stacked: also train the same classifier from random "
                                                          "initialisation with the same supervised budget (default: yes)");
  cmd->add_option("--save-baseline", o->save_baseline_path, "stacked: write the random-init classifier here");
  cmd->callback([o, cmd]() {
    check_flags_fit_variant(*cmd, o->variant);
    const TrainOptions resolved = resolve_defaults(*o);
    ae::kernels::set_threads(resolved.threads);
    if (resolved.variant == "vae") exit_status() = run_train_vae(resolved);
    else if (resolved.variant == "stacked") exit_status() = run_train_stacked(resolved);
    else exit_status() = run_train_autoencoder(resolved);
  });
}

}  // namespace cli
