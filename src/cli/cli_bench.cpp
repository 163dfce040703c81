// aelab bench — the kernels' benchmark (src/bench/bench.h): GEMM GFLOP/s at the shapes of M1 and
// M2, training samples/s with the kernels and with the readable Eigen reference in the same run,
// and memory; one JSON document on stdout.
#include "cli.h"

#include "bench/bench.h"

#include <cstdio>

namespace cli {

void add_bench_command(CLI::App& app) {
  struct Opts {
    bench::Options bench;
    std::string data_dir;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand("bench", "Benchmark the matrix kernels and training speed (JSON on stdout)");
  cmd->add_option("--reps", o->bench.reps, "Timed repetitions per figure (the median is reported)")->check(CLI::Range(1, 1000));
  cmd->add_option("--images", o->bench.images, "MNIST training images to train on")->check(CLI::Range(1, 60000));
  cmd->add_option("--rep-seconds", o->bench.rep_seconds, "Length of one timed repetition")->check(CLI::Range(0.001, 60.0));
  cmd->add_option("--data-dir", o->data_dir, "Folder with the MNIST files (default: as `train --data mnist`)");
  cmd->add_flag("--no-gemm", [o](int64_t) { o->bench.gemm = false; }, "Skip the GEMM figures");
  cmd->add_flag("--no-training", [o](int64_t) { o->bench.training = false; }, "Skip the training figures");
  cmd->add_option("--threads", o->bench.threads,
                  "Thread counts of the training figures, e.g. 1,2,4 (SGD beyond 1, each against one thread in the same run)")
      ->delimiter(',')
      ->check(CLI::Range(1, ae::kernels::kMaxThreads));
  cmd->add_flag("--quiet", o->quiet, "No progress lines or table on stderr");
  cmd->footer("The JSON goes to stdout; progress and a table of the training figures to stderr.\n"
              "Example:\n  aelab bench --reps 15 --threads 1,2 > bench.json");
  cmd->callback([o] {
    o->bench.platform = "native";
    if (!o->quiet) o->bench.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
    if (o->bench.training)
      o->bench.mnist_images = ae::locate_mnist_dir(o->data_dir) + "/" + ae::mnist_files().train_images;
    std::string table;
    std::fputs(bench::run(o->bench, &table).c_str(), stdout);
    if (!o->quiet && !table.empty()) std::fprintf(stderr, "\n%s", table.c_str());
    exit_status() = 0;
  });
}

}  // namespace cli
