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
void add_vae_command(CLI::App& app);
void add_stacked_command(CLI::App& app);
void add_bench_command(CLI::App& app);

}  // namespace cli
