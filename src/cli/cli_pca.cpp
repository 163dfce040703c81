// aelab pca — the PCA baseline: k components fitted on a training set, the mean per-image
// squared reconstruction error on the test set (the number a linear autoencoder with a k-unit
// code and squared error converges to).
#include "cli.h"

#include <chrono>
#include <cstdio>

namespace cli {

namespace {

struct PcaOptions {
  DataOptions data;
  int k = 30;
  int max_test = 0;
};

int run_pca(const PcaOptions& o) {
  using namespace ae;
  const auto t0 = std::chrono::steady_clock::now();
  const TrainTest sets = load_train_test(o.data, o.max_test);
  const Dataset<float>& train = sets.train;
  const Dataset<float>& test = sets.test;
  if (o.k > train.n_features())
    throw Error("--k " + std::to_string(o.k) + " is more than the " + std::to_string(train.n_features()) + " features");
  const Pca pca = fit_pca(train.x, o.k);
  const double explained = pca.variances.sum() / std::max(pca.total_variance, 1e-300);
  const double seconds = seconds_since(t0);
  std::printf("data      %s (%d samples) → %s (%d samples), %d features\n", train.name.c_str(), train.size(),
              test.name.c_str(), test.size(), train.n_features());
  std::printf("pca       k = %d components: %.2f %% of the training variance\n", o.k, 100.0 * explained);
  std::printf("train     mean per-image squared reconstruction error %.4f\n", pca_mean_squared_error(pca, train.x));
  std::printf("test      mean per-image squared reconstruction error %.4f\n", pca_mean_squared_error(pca, test.x));
  std::printf("time      %.1f s\n", seconds);
  return 0;
}

}  // namespace

void add_pca_command(CLI::App& app) {
  auto o = std::make_shared<PcaOptions>();
  CLI::App* cmd = app.add_subcommand("pca", "PCA baseline: fit k components on the training set, report the test "
                                            "set's mean per-image squared reconstruction error");
  add_data_options(*cmd, o->data, "use only the first N training samples (0: all)");
  cmd->add_option("--k", o->k, "number of principal components")->check(CLI::Range(1, 65536))->capture_default_str();
  cmd->add_option("--max-test", o->max_test, "use only the first N test samples (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->callback([o]() { exit_status() = run_pca(*o); });
}

}  // namespace cli
