// aelab eval — a saved model's loss and mean per-image squared reconstruction error on a data set,
// and the figures of the autoencoder family (ae/regularizers.h): the code's mean activation and
// fraction of near-zero units (sparse AEs), the loss on corrupted inputs (denoising AEs), the
// encoder Jacobian's Frobenius norm and singular values (contractive AEs).
#include "cli.h"

#include <cstdio>

namespace cli {

namespace {

struct EvalOptions {
  std::string model_path;
  DataOptions data;
  std::string split = "test";
  bool pca = false;
  int top_k = 0;
  std::string corruption = "none";
  double corruption_level = 0.0;
  double code_threshold = 0.01;
  int jacobian_samples = 1000;
  uint64_t seed = 1;
};

int run_eval(const EvalOptions& o) {
  using namespace ae;
  ModelInfo info;
  Autoencoder<float> model = load_model<float>(o.model_path, &info);
  if (o.top_k > model.code_size()) throw Error("--top-k must be at most the code size (" + std::to_string(model.code_size()) + ")");
  model.code_top_k = o.top_k;
  CorruptionConfig corruption;
  corruption.kind = corruption_from_name(o.corruption);
  corruption.level = o.corruption_level;
  validate(corruption);
  DataOptions data = o.data;
  if (data.spec == "mnist" && !info.dataset.empty() && o.data.spec == "mnist") data.spec = info.dataset;
  const Dataset<float> d = load_data(data, o.split);
  if (d.n_features() != model.input_size())
    throw Error(o.model_path + " expects " + std::to_string(model.input_size()) + " features, " + d.name + " has " +
                std::to_string(d.n_features()));
  const double loss = evaluate_loss(model, info.loss, d.x);
  const double mse = mean_squared_reconstruction_error(model, d.x);
  std::printf("model     %s (code %d units, trained on %s)\n", o.model_path.c_str(), model.code_size(),
              info.dataset.empty() ? "?" : info.dataset.c_str());
  std::printf("data      %s: %d samples\n", d.name.c_str(), d.size());
  std::printf("loss      %.6f  (%s, %s over units, per sample)\n", loss, loss_name(info.loss.kind),
              reduction_name(info.loss.units));
  std::printf("recon     %.4f  mean per-image squared reconstruction error Σᵢ(xᵢ − yᵢ)²\n", mse);
  if (corruption.active()) {
    Rng rng(o.seed);
    const double noisy = evaluate_loss_corrupted(model, info.loss, d.x, corruption, rng);
    std::printf("corrupted %.6f  loss on %s-corrupted inputs (%s = %g) against the clean ones (clean: %.6f)\n", noisy,
                corruption_name(corruption.kind), corruption.kind == CorruptionKind::gaussian ? "σ" : "ν",
                corruption.level, loss);
  }
  const CodeStatistics code = code_statistics(model, d.x, o.code_threshold);
  std::printf("code      mean activation %.4f, mean |h| %.4f, near zero (|h| < %g) %.1f %%, dead units %.1f %%%s\n",
              code.mean_activation, code.mean_abs_activation, o.code_threshold, 100.0 * code.near_zero_fraction,
              100.0 * code.dead_unit_fraction, o.top_k > 0 ? " (k-sparse)" : "");
  if (o.jacobian_samples > 0) {
    const JacobianStatistics jac = jacobian_statistics(model, d.x, o.jacobian_samples);
    const Vector<double> sv = jacobian_singular_values(encoder_jacobian(model, Vector<float>(d.x.col(0))));
    std::string first;
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(5, sv.size()); ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%.3g", i ? ", " : "", sv(i));
      first += buf;
    }
    std::printf("jacobian  mean ‖∂h/∂x‖_F %.4f, mean ‖∂h/∂x‖²_F %.4f over %d samples; singular values at sample 0: %s%s\n",
                jac.mean_frobenius, jac.mean_squared_frobenius, int(std::min<Eigen::Index>(o.jacobian_samples, d.x.cols())),
                first.c_str(), sv.size() > 5 ? ", …" : "");
  }
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "loss and mean per-image squared reconstruction error of a saved model");
  cmd->add_option("model", o->model_path, "model file written by `aelab train --save`")->required();
  add_data_options(*cmd, o->data, "use only the first N samples (0: all)");
  cmd->add_option("--split", o->split, "train | test")->check(CLI::IsMember({"train", "test"}))->capture_default_str();
  cmd->add_option("--top-k", o->top_k, "k-sparse model: keep the k largest code units (the model file does not record k)")
      ->check(CLI::Range(0, 65536));
  cmd->add_option("--corruption", o->corruption, "also report the loss on inputs corrupted by: none | masking | gaussian | "
                                                 "salt_and_pepper")->capture_default_str();
  cmd->add_option("--corruption-level", o->corruption_level, "ν or σ of --corruption")->check(CLI::Range(0.0, 100.0))->capture_default_str();
  cmd->add_option("--code-threshold", o->code_threshold, "|h| below this counts as a near-zero code")->check(CLI::Range(0.0, 1e6))->capture_default_str();
  cmd->add_option("--jacobian-samples", o->jacobian_samples, "samples over which to average ‖∂h/∂x‖_F (0: skip)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the corruption")->capture_default_str();
  cmd->callback([o]() { exit_status() = run_eval(*o); });
}

}  // namespace cli
