// aelab_bench — the benchmark on its own (bench.h), for WebAssembly under node and natively:
//   node --no-experimental-fetch build/web/src/bench/aelab_bench.js [--reps N] [--images N] [--mnist FILE]
//   build/native-release/src/bench/aelab_bench
// Prints the JSON document on stdout, progress on stderr.
#include "bench.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {
std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1) parts.push_back(text.substr(start, comma - start));
  parts.push_back(text.substr(start));
  return parts;
}
}  // namespace

int main(int argc, char** argv) {
  bench::Options o;
#if defined(__EMSCRIPTEN__)
  o.platform = "wasm-node";
#else
  o.platform = "native";
#endif
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "aelab_bench: %s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--reps") o.reps = std::atoi(value().c_str());
    else if (a == "--images") o.images = std::atoi(value().c_str());
    else if (a == "--mnist") o.mnist_images = value();
    else if (a == "--rep-seconds") o.rep_seconds = std::atof(value().c_str());
    else if (a == "--no-gemm") o.gemm = false;
    else if (a == "--no-training") o.training = false;
    else if (a == "--platform") o.platform = value();
    else if (a == "--threads") {  // a list: 1,2,4
      o.threads.clear();
      for (const std::string& part : split_commas(value())) o.threads.push_back(std::atoi(part.c_str()));
    }
    else if (a == "--quiet") quiet = true;
    else if (a == "--help" || a == "-h") {
      std::printf("usage: aelab_bench [--reps N] [--images N] [--mnist FILE] [--rep-seconds S] [--threads 1,2,...] [--no-gemm] [--no-training] [--quiet]\n");
      return 0;
    } else {
      std::fprintf(stderr, "aelab_bench: unknown option %s (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (o.reps < 1 || o.images < 1) { std::fprintf(stderr, "aelab_bench: --reps and --images must be positive\n"); return 2; }
  for (int t : o.threads)
    if (t < 1 || t > ae::kernels::kMaxThreads) {
      std::fprintf(stderr, "aelab_bench: --threads takes counts from 1 to %d\n", ae::kernels::kMaxThreads);
      return 2;
    }
  if (o.threads.empty()) o.threads = {1};
  if (!quiet) o.progress = [](const std::string& line) { std::fprintf(stderr, "  %s\n", line.c_str()); };
  try {
    if (o.mnist_images.empty() && o.training)
      o.mnist_images = ae::locate_mnist_dir() + "/" + ae::mnist_files().train_images;
    std::string table;
    std::fputs(bench::run(o, &table).c_str(), stdout);
    if (!quiet && !table.empty()) std::fprintf(stderr, "\n%s", table.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aelab_bench: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
