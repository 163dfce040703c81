// aelab eval — a saved model's loss and mean per-image squared reconstruction error on a data set.
#include "cli.h"

#include <cstdio>

namespace cli {

namespace {

struct EvalOptions {
  std::string model_path;
  DataOptions data;
  std::string split = "test";
  bool pca = false;
};

int run_eval(const EvalOptions& o) {
  using namespace ae;
  ModelInfo info;
  const Autoencoder<float> model = load_model<float>(o.model_path, &info);
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
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "loss and mean per-image squared reconstruction error of a saved model");
  cmd->add_option("model", o->model_path, "model file written by `aelab train --save`")->required();
  add_data_options(*cmd, o->data, "use only the first N samples (0: all)");
  cmd->add_option("--split", o->split, "train | test")->check(CLI::IsMember({"train", "test"}))->capture_default_str();
  cmd->callback([o]() { exit_status() = run_eval(*o); });
}

}  // namespace cli
