// aelab eval — what a saved model does on a data set, according to its kind:
//   autoencoder  loss and mean per-image squared reconstruction error; the loss on corrupted
//                inputs (denoising AEs: with the corruption it was trained with, or --corruption);
//                the code's mean activation and fraction of near-zero units (sparse AEs; k-sparse
//                models keep their k from the file); the encoder Jacobian's Frobenius norm and
//                singular values (contractive AEs)
//   vae          the ELBO, its reconstruction term and its KL term
//   classifier   accuracy and cross-entropy (the stacked encoder + softmax head)
// --json prints the same figures as one JSON object.
#include "cli.h"

#include <nlohmann/json.hpp>

#include <cstdarg>
#include <cstdio>

namespace cli {

namespace {

struct EvalOptions {
  std::string model_path;
  DataOptions data;
  std::string split = "test";
  std::string corruption;  // "": the one the model was trained with
  double corruption_level = 0.0;
  double code_threshold = 0.01;
  int jacobian_samples = 1000;
  int draws = 1;
  uint64_t seed = 1;
  bool json = false;
};

// Collects the figures, prints them as text lines (as they come) or as one JSON object (at the end).
struct Report {
  bool as_json = false;
  nlohmann::json j = nlohmann::json::object();
  void line(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    if (as_json) return;
    va_list args;
    va_start(args, fmt);
    std::vprintf(fmt, args);
    va_end(args);
  }
};

void eval_autoencoder(const EvalOptions& o, const ae::SavedModel<float>& saved, const ae::Dataset<float>& d, Report& r,
                      const CLI::App& cmd) {
  using namespace ae;
  const Autoencoder<float>& model = saved.autoencoder;
  const ModelInfo& info = saved.info;
  const double loss = evaluate_loss(model, info.loss, d.x);
  const double mse = mean_squared_reconstruction_error(model, d.x);
  r.j["variant"] = describe(info.regularization, model);
  r.j["loss"] = loss;
  r.j["loss_kind"] = loss_name(info.loss.kind);
  r.j["mean_squared_reconstruction_error"] = mse;
  r.line("variant   %s\n", describe(info.regularization, model).c_str());
  r.line("loss      %.6f  (%s, %s over units, per sample)\n", loss, loss_name(info.loss.kind), reduction_name(info.loss.units));
  r.line("recon     %.4f  mean per-image squared reconstruction error Σᵢ(xᵢ − yᵢ)²\n", mse);
  if (info.loss.kind == LossKind::gaussian) {  // −log N(x; y, s²I) summed over the pixels: nats per image
    LossConfig per_image = info.loss;
    per_image.units = Reduction::sum;
    const double nll = evaluate_loss(model, per_image, d.x);
    r.j["nll_nats"] = nll;
    r.j["decoder_sigma"] = info.loss.sigma;
    r.line("nll       %.2f nats per sample  −log N(x; y, s²I) with s = %g (a density: it can be below 0)\n", nll,
           info.loss.sigma);
  }

  CorruptionConfig corruption = info.regularization.corruption;  // denoising AE: what it was trained against
  if (!o.corruption.empty()) {
    corruption.kind = corruption_from_name(o.corruption);
    corruption.level = o.corruption_level;
    if (corruption.kind != CorruptionKind::none && !(o.corruption_level > 0))
      throw Error("--corruption " + o.corruption + " needs --corruption-level > 0");
  } else if (cmd.get_option("--corruption-level")->count() > 0) {
    throw Error("--corruption-level needs --corruption (the model's own corruption is used without both)");
  }
  validate(corruption);
  if (corruption.active()) {
    Rng rng(o.seed);
    const double noisy = evaluate_loss_corrupted(model, info.loss, d.x, corruption, rng);
    const char* level_name = corruption.kind == CorruptionKind::gaussian ? "σ" : "ν";
    r.j["corrupted"] = {{"kind", corruption_name(corruption.kind)}, {"level", corruption.level}, {"loss", noisy}, {"clean_loss", loss}};
    r.line("corrupted %.6f  loss on %s-corrupted inputs (%s = %g) against the clean ones (clean: %.6f)%s\n", noisy,
           corruption_name(corruption.kind), level_name, corruption.level, loss,
           o.corruption.empty() ? " — the corruption it was trained with" : "");
  }
  const CodeStatistics code = code_statistics(model, d.x, o.code_threshold);
  r.j["code"] = {{"units", model.code_size()},
                 {"top_k", model.code_top_k},
                 {"mean_activation", code.mean_activation},
                 {"mean_abs_activation", code.mean_abs_activation},
                 {"near_zero_fraction", code.near_zero_fraction},
                 {"near_zero_threshold", o.code_threshold},
                 {"dead_unit_fraction", code.dead_unit_fraction}};
  char k_text[48] = "";
  if (model.code_top_k > 0) std::snprintf(k_text, sizeof k_text, " (k-sparse, k = %d from the model file)", model.code_top_k);
  r.line("code      mean activation %.4f, mean |h| %.4f, near zero (|h| < %g) %.1f %%, dead units %.1f %%%s\n",
         code.mean_activation, code.mean_abs_activation, o.code_threshold, 100.0 * code.near_zero_fraction,
         100.0 * code.dead_unit_fraction, k_text);
  if (o.jacobian_samples > 0 && d.size() > 0) {
    const int samples = int(std::min<Eigen::Index>(o.jacobian_samples, d.x.cols()));
    const JacobianStatistics jac = jacobian_statistics(model, d.x, samples);
    const Vector<double> sv = jacobian_singular_values(encoder_jacobian(model, Vector<float>(d.x.col(0))));
    std::string first;
    nlohmann::json sv_list = nlohmann::json::array();
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(5, sv.size()); ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.3g", i ? ", " : "", sv(i));
      first += buf;
      sv_list.push_back(sv(i));
    }
    r.j["jacobian"] = {{"mean_frobenius", jac.mean_frobenius},
                       {"mean_squared_frobenius", jac.mean_squared_frobenius},
                       {"samples", samples},
                       {"singular_values_sample0", sv_list}};
    r.line("jacobian  mean ‖∂h/∂x‖_F %.4f, mean ‖∂h/∂x‖²_F %.4f over %d samples; singular values at sample 0: %s%s\n",
           jac.mean_frobenius, jac.mean_squared_frobenius, samples, first.c_str(), sv.size() > 5 ? ", …" : "");
  }
}

void eval_vae(const EvalOptions& o, const ae::SavedModel<float>& saved, const ae::Dataset<float>& d, Report& r) {
  using namespace ae;
  const Vae<float>& vae = saved.vae;
  if (vae.likelihood == VaeLikelihood::bernoulli && d.size() > 0 && (d.x.minCoeff() < 0.0f || d.x.maxCoeff() > 1.0f))
    throw Error("this VAE has a Bernoulli decoder: the data must be in [0, 1]");
  Rng rng(o.seed * 977 + 3);
  const VaeEvaluation e = vae_evaluate(vae, saved.info.vae, d.x, rng, o.draws);
  r.j["vae"] = {{"latent_size", vae.latent_size()},
                {"likelihood", vae_likelihood_name(vae.likelihood)},
                {"beta", saved.info.vae.beta}};
  r.j["elbo"] = e.elbo;
  r.j["reconstruction"] = e.reconstruction;
  r.j["kl"] = e.kl;
  r.j["draws"] = o.draws;
  r.line("vae       latent d = %d, %s decoder, trained with β = %g\n", vae.latent_size(), vae_likelihood_name(vae.likelihood),
         saved.info.vae.beta);
  r.line("elbo      %.3f nats per image = −(reconstruction %.3f + KL %.3f)  (%d ε draw%s per image)\n", e.elbo,
         e.reconstruction, e.kl, o.draws, o.draws == 1 ? "" : "s");
}

void eval_classifier(const ae::SavedModel<float>& saved, const ae::Dataset<float>& d, Report& r) {
  using namespace ae;
  const Classifier<float>& c = saved.classifier;
  if (d.labels.empty()) throw Error("a classifier is evaluated on labelled data (mnist, fashion, csv with --csv-labels)");
  for (int y : d.labels)
    if (y < 0 || y >= c.num_classes())
      throw Error("the data has label " + std::to_string(y) + ", the classifier knows " + std::to_string(c.num_classes()) + " classes");
  const double accuracy = classifier_accuracy(c, d.x, d.labels);
  double cross_entropy = 0;
  Workspace<float> ws;
  const int chunk = 2048;
  for (Eigen::Index start = 0; start < d.x.cols(); start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, d.x.cols() - start);
    const std::vector<int> labels(d.labels.begin() + start, d.labels.begin() + start + count);
    cross_entropy += double(classifier_loss(c, Matrix<float>(d.x.middleCols(start, count)), labels, ws, false)) * double(count);
  }
  cross_entropy /= std::max(1, d.size());
  r.j["classifier"] = {{"classes", c.num_classes()}, {"pretrained", saved.info.pretrained}};
  r.j["accuracy"] = accuracy;
  r.j["cross_entropy"] = cross_entropy;
  std::string encoder = std::to_string(c.net.layers.front().n_in());
  for (size_t l = 0; l + 1 < c.net.layers.size(); ++l) encoder += "-" + std::to_string(c.net.layers[l].n_out());
  r.line("classifier encoder %s + softmax over %d classes, %s\n", encoder.c_str(), c.num_classes(),
         saved.info.pretrained ? "greedy layer-wise pretrained" : "from random initialisation");
  r.line("accuracy  %.2f %%  (cross-entropy %.5f per sample)\n", 100.0 * accuracy, cross_entropy);
}

int run_eval(const EvalOptions& o, const CLI::App& cmd) {
  using namespace ae;
  const SavedModel<float> saved = load_any_model<float>(o.model_path);
  const ModelKind kind = saved.info.kind;
  // Flags that only one kind uses: refused for the others rather than ignored.
  const struct { const char* flag; ModelKind kind; } own[] = {
      {"--corruption", ModelKind::autoencoder}, {"--corruption-level", ModelKind::autoencoder},
      {"--code-threshold", ModelKind::autoencoder}, {"--jacobian-samples", ModelKind::autoencoder},
      {"--draws", ModelKind::vae}};
  for (const auto& f : own)
    if (cmd.get_option(f.flag)->count() > 0 && f.kind != kind)
      throw Error(std::string(f.flag) + " is for " + model_kind_name(f.kind) + " models; " + o.model_path + " holds a " +
                  model_kind_name(kind));
  DataOptions data = o.data;
  if (cmd.get_option("--data")->count() == 0 && !saved.info.dataset.empty()) data.spec = saved.info.dataset;
  const Dataset<float> d = load_data(data, o.split);
  const int input_size = kind == ModelKind::vae ? saved.vae.input_size()
                         : kind == ModelKind::classifier ? saved.classifier.net.input_size()
                                                         : saved.autoencoder.input_size();
  if (d.n_features() != input_size)
    throw Error(o.model_path + " expects " + std::to_string(input_size) + " features, " + d.name + " has " +
                std::to_string(d.n_features()));
  Report r;
  r.as_json = o.json;
  r.j["model"] = o.model_path;
  r.j["kind"] = model_kind_name(kind);
  r.j["trained_on"] = saved.info.dataset;
  r.j["data"] = d.name;
  r.j["samples"] = d.size();
  if (!saved.info.load_note.empty()) {
    r.j["note"] = saved.info.load_note;
    std::fprintf(stderr, "aelab: note: %s: %s\n", o.model_path.c_str(), saved.info.load_note.c_str());
  }
  r.line("model     %s (%s, trained on %s)\n", o.model_path.c_str(), model_kind_name(kind),
         saved.info.dataset.empty() ? "?" : saved.info.dataset.c_str());
  r.line("data      %s: %d samples\n", d.name.c_str(), d.size());
  switch (kind) {
    case ModelKind::autoencoder: eval_autoencoder(o, saved, d, r, cmd); break;
    case ModelKind::vae: eval_vae(o, saved, d, r); break;
    case ModelKind::classifier: eval_classifier(saved, d, r); break;
  }
  if (o.json) std::printf("%s\n", r.j.dump(2).c_str());
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "what a saved model does on a data set: an autoencoder's loss, corrupted loss, "
                                             "code statistics and Jacobian; a VAE's ELBO; a classifier's accuracy");
  cmd->add_option("model", o->model_path, "model file written by `aelab train --save`")->required();
  add_data_options(*cmd, o->data, "use only the first N samples (0: all)");
  cmd->add_option("--split", o->split, "train | test")->check(CLI::IsMember({"train", "test"}))->capture_default_str();
  cmd->add_option("--corruption", o->corruption, "autoencoder: report the loss on inputs corrupted by none | masking | "
                                                 "gaussian | salt_and_pepper (default: the corruption it was trained with)");
  cmd->add_option("--corruption-level", o->corruption_level, "ν or σ of --corruption")->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--code-threshold", o->code_threshold, "autoencoder: |h| below this counts as a near-zero code")
      ->check(CLI::Range(0.0, 1e6))->capture_default_str();
  cmd->add_option("--jacobian-samples", o->jacobian_samples, "autoencoder: samples over which to average ‖∂h/∂x‖_F (0: skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--draws", o->draws, "vae: ε draws per image for the ELBO estimate")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the corruption and of the VAE's ε")->capture_default_str();
  cmd->add_flag("--json", o->json, "print the figures as one JSON object");
  cmd->callback([o, cmd]() { exit_status() = run_eval(*o, *cmd); });
}

}  // namespace cli
