// cli.h — pieces shared by the `aelab` sub-commands: data-set specs, the JSON config reader for
// CLI11, and terminal output (a progress bar when stdout is a terminal).
#pragma once

#include "ae/ae.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace cli {

// Where data comes from, as the user writes it:
//   mnist | fashion | csv:PATH | toy:NAME   (toy names: circle, spiral, two_moons, swiss_roll, …)
struct DataOptions {
  std::string spec = "mnist";
  std::string dir;              // --data-dir: folder of MNIST / Fashion-MNIST files
  std::string csv_labels = "none";  // CSV label column: none | last | index
  int max_count = 0;            // 0: all samples
  int toy_points = 2000;
  double toy_noise = 0.02;
  uint64_t seed = 1;            // toy data: the test split uses seed + 1
  int image_side = 28;          // images: side × side after resizing
  bool invert = false;          // images: 1 − grey
};

void add_data_options(CLI::App& cmd, DataOptions& data, const std::string& max_flag_help);

// Loads split "train" or "test" of the data set named by the options.
ae::Dataset<float> load_data(const DataOptions& data, const std::string& split);

// Both splits: the training set as the options say, the test set capped at max_test (0: all).
struct TrainTest {
  ae::Dataset<float> train, test;
};
TrainTest load_train_test(const DataOptions& data, int max_test);

// Wall-clock seconds since t0.
double seconds_since(std::chrono::steady_clock::time_point t0);

// Everything `aelab train` takes, for every --variant (cli_train.cpp registers the flags and says
// which variant uses which; defaults marked "per variant" are filled by resolve_defaults).
struct TrainOptions {
  std::string variant = "autoencoder";  // autoencoder | vae | stacked
  DataOptions data;
  std::vector<int> layers;             // per variant: 256,64,256 | 512 (encoder; the decoder mirrors) | 256,64
  int code_layer = -1;
  std::string activation;              // per variant: relu | relu | sigmoid
  std::string code_activation, output_activation = "sigmoid";
  bool tied = false;
  std::string init;  // default: he for the ReLU family, glorot otherwise
  std::string loss = "binary_cross_entropy", units = "mean", batch_reduction = "mean";
  bool no_half = false;
  double decoder_sigma = 0.1;  // --sigma: the Gaussian decoder's s (--loss gaussian)
  std::string optimizer = "adam";
  double learning_rate = 1e-3, momentum = 0.9;
  bool freeze_biases = false;
  int batch_size = 128;
  int threads = 1;                     // --threads: the kernels' worker threads (ae/kernels/parallel.h)
  int epochs = 0;                      // per variant: 10 | 20 | 5 (stacked: supervised epochs)
  uint64_t seed = 1;
  double validation = 0.1;
  std::string save_path, curve_path;
  bool quiet = false;
  // The regularized family (ae/regularizers.h, ae/corruption.h); the corruption also serves the
  // stacked variant's (denoising) pretraining.
  std::string corruption = "none";
  double corruption_level = 0.0;
  std::string sparsity = "none";
  double l1_weight = 1e-3, kl_weight = 0.1, sparsity_target = 0.05;
  int top_k = 0;
  double contractive = 0.0, contractive_noise = 0.05;
  std::string contractive_form = "auto";
  // --variant vae (ae/vae.h)
  int latent = 2;
  std::string likelihood = "bernoulli";
  double beta = 1.0, decoder_variance = 1.0;
  int draws = 1, max_test = 0;
  std::string grid_path, samples_path;
  int grid_side = 15;
  double grid_extent = 2.0;
  // --variant stacked (ae/stacked.h)
  int pretrain_epochs = 5, finetune_epochs = 0, labels = 0;
  // The classifiers' own optimizer, η and batch (empty / 0: --optimizer, --lr, --batch).
  std::string classifier_optimizer;
  double classifier_learning_rate = 0;
  int classifier_batch_size = 0;
  bool baseline = true;
  std::string save_baseline_path;
};

// Both splits for a training run: the training set as the data options say (toy data seeded by
// --seed), the test set capped at --max-test.
TrainTest load_train_test(const TrainOptions& o);

// The optimizer the flags describe (every variant).
ae::OptimizerConfig optimizer_from(const TrainOptions& o);

// Refuses (ae::Error, before anything is allocated) a network that cannot be trained in this
// machine's memory: `sizes` = {input, layer 1, …, output} of the largest chain the variant trains,
// `batch` the --batch flag (≤ 0: full batch of `samples`), `data_bytes` what the loaded data takes.
void require_training_memory(const std::vector<int>& sizes, int batch, int samples, ae::OptimizerKind optimizer,
                             uint64_t data_bytes);
int run_train_vae(const TrainOptions& o);      // cli_vae.cpp
int run_train_stacked(const TrainOptions& o);  // cli_stacked.cpp

// One line naming what makes an autoencoder sparse, denoising or contractive ("none (a plain
// autoencoder)" when nothing does).
std::string describe(const ae::Regularization& r, const ae::Autoencoder<float>& model);

// A CLI11 config reader for JSON files: {"lr": 0.001, "layers": [256, 64, 256], "tied": true}.
// Keys are the long option names (without "--") of the sub-command `subcommand`; the command line
// overrides the file. (CLI11 2.1 reads config files only at the top level, so the items are
// addressed to the sub-command by name.)
std::shared_ptr<CLI::Config> json_config(const std::string& subcommand);

// A one-line progress bar on stderr when it is a terminal; nothing otherwise.
struct Progress {
  bool enabled = false;
  explicit Progress(bool want);
  void show(const std::string& label, double fraction, const std::string& detail);
  void clear();
};

// The exit status the chosen sub-command's callback sets (0 on success).
int& exit_status();

// Subcommand registration: each adds its options and a callback that runs it.
void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_step_command(CLI::App& app);
void add_pca_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_lessons_command(CLI::App& app);

}  // namespace cli
