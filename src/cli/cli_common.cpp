// cli_common.cpp — data-set specs, the JSON config reader, the progress bar.
#include "cli.h"

#include "ae/images.h"
#include "ae/memory.h"
#include "app/own_data.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace cli {

void add_data_options(CLI::App& cmd, DataOptions& data, const std::string& max_flag_help) {
  cmd.add_option("--data", data.spec, "data set: mnist | fashion | csv:FILE | toy:NAME (circle, spiral, two_moons, "
                                      "swiss_roll, s_curve, helix, sphere) | images:DIR_OR_ZIP | idx:FILE[,LABELS] "
                                      "(the last two as the page reads them, with its train/test split)")
      ->capture_default_str();
  cmd.add_option("--image-side", data.image_side, "images: pictures are resized to side × side")
      ->check(CLI::Range(ae::kImageMinSide, 64))->capture_default_str();
  cmd.add_flag("--invert", data.invert, "images: invert the grey levels (dark ink on white paper → light on dark)");
  cmd.add_option("--data-dir", data.dir, "folder with the MNIST / Fashion-MNIST IDX files (default: found by the "
                                         "build; env AELAB_MNIST_DIR / AELAB_FASHION_MNIST_DIR)");
  cmd.add_option("--csv-labels", data.csv_labels, "CSV label column: none | last | 0-based index")->capture_default_str();
  cmd.add_option("--max", data.max_count, max_flag_help)->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd.add_option("--toy-points", data.toy_points, "toy data: number of points")->check(CLI::Range(1, 1000000))->capture_default_str();
  cmd.add_option("--toy-noise", data.toy_noise, "toy data: Gaussian noise σ")->check(CLI::Range(0.0, 1.0))->capture_default_str();
}

ae::Dataset<float> load_data(const DataOptions& data, const std::string& split) {
  const std::string& spec = data.spec;
  if (spec == "mnist") return ae::load_mnist<float>(split, data.max_count, data.dir);
  if (spec == "fashion" || spec == "fashion-mnist") return ae::load_fashion_mnist<float>(split, data.max_count, data.dir);
  if (spec.rfind("csv:", 0) == 0) {
    ae::CsvOptions options;
    options.label_column = ae::csv_label_column_from_string(data.csv_labels);
    ae::Dataset<float> d = ae::read_csv<float>(spec.substr(4), options);
    if (data.max_count > 0 && data.max_count < d.size()) {
      d.x.conservativeResize(Eigen::NoChange, data.max_count);
      if (!d.labels.empty()) d.labels.resize(size_t(data.max_count));
    }
    return d;
  }
  if (spec.rfind("images:", 0) == 0 || spec.rfind("idx:", 0) == 0) {
    // What the page does with the same files dropped on it (app/own_data.h): the same reader,
    // limits and train/test split, so a student's experiment in the page can be run here.
    std::vector<ae::NamedBytes> files;
    const std::string paths = spec.substr(spec.find(':') + 1);
    if (spec.rfind("images:", 0) == 0 && std::filesystem::is_directory(paths)) {
      files = ae::read_picture_folder(paths, app::own_limits::max_samples);
    } else {
      for (size_t start = 0; start <= paths.size();) {
        const size_t comma = spec.rfind("idx:", 0) == 0 ? paths.find(',', start) : std::string::npos;
        const std::string path = paths.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        files.push_back({std::filesystem::path(path).filename().string(), ae::read_file_bytes(path, app::own_limits::max_file_bytes)});
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    app::OwnDataOptions options;
    options.image_side = data.image_side;
    options.invert = data.invert;
    app::OwnData own = app::read_own_data(files, options);
    ae::Dataset<float> d = split == "train" ? std::move(own.train) : std::move(own.test);
    if (data.max_count > 0 && data.max_count < d.size()) {
      d.x.conservativeResize(Eigen::NoChange, data.max_count);
      if (!d.labels.empty()) d.labels.resize(size_t(data.max_count));
    }
    d.name = spec;
    return d;
  }
  if (spec.rfind("toy:", 0) == 0) {
    const ae::ToyManifold kind = ae::toy_from_name(spec.substr(4));
    ae::Rng rng(data.seed + (split == "train" ? 0 : 1));
    ae::ToyData<float> toy = ae::make_toy<float>(kind, data.toy_points, data.toy_noise, rng);
    ae::Dataset<float> d;
    d.x = std::move(toy.points);
    d.name = spec + " (" + split + ")";
    return d;
  }
  throw ae::Error("unknown data set '" + spec + "' (expected mnist, fashion, csv:FILE, toy:NAME, images:DIR_OR_ZIP or idx:FILE[,LABELS])");
}

void require_training_memory(const std::vector<int>& sizes, int batch, int samples, ae::OptimizerKind optimizer,
                             uint64_t data_bytes) {
  const int m = batch <= 0 ? samples : std::min(batch, samples);
  const int slots = optimizer == ae::OptimizerKind::adam ? 2 : optimizer == ae::OptimizerKind::momentum ? 1 : 0;
  std::string shape;
  for (int n : sizes) shape += (shape.empty() ? "" : "-") + std::to_string(n);
  ae::require_memory(ae::training_memory(sizes, m, slots, int(sizeof(float))), data_bytes, ae::available_memory_bytes(),
                     "the network " + shape, "this machine", m);
}

TrainTest load_train_test(const DataOptions& data, int max_test) {
  TrainTest out;
  out.train = load_data(data, "train");
  DataOptions test_options = data;
  test_options.max_count = max_test;
  out.test = load_data(test_options, "test");
  return out;
}

TrainTest load_train_test(const TrainOptions& o) {
  DataOptions data = o.data;
  data.seed = o.seed;
  return load_train_test(data, o.max_test);
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

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {

// CLI11's config interface, reading one flat JSON object.
class ConfigJson : public CLI::Config {
  std::string subcommand_;

 public:
  explicit ConfigJson(std::string subcommand) : subcommand_(std::move(subcommand)) {}

  std::string to_config(const CLI::App* app, bool default_also, bool, std::string) const override {
    nlohmann::json j;
    for (const CLI::Option* opt : app->get_options({})) {
      if (opt->get_lnames().empty() || !opt->get_configurable()) continue;
      const std::string name = opt->get_lnames()[0];
      if (opt->count() > 0) {
        const auto& results = opt->results();
        j[name] = results.size() == 1 ? nlohmann::json(results[0]) : nlohmann::json(results);
      } else if (default_also && !opt->get_default_str().empty()) {
        j[name] = opt->get_default_str();
      }
    }
    return j.dump(2);
  }

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    nlohmann::json j;
    try {
      input >> j;
    } catch (const nlohmann::json::exception& e) {
      throw CLI::ConversionError(std::string("the config file is not valid JSON: ") + e.what());
    }
    if (!j.is_object()) throw CLI::ConversionError("the config file must hold one JSON object");
    std::vector<CLI::ConfigItem> items;
    for (auto it = j.begin(); it != j.end(); ++it) {
      CLI::ConfigItem item;
      item.parents = {subcommand_};
      item.name = it.key();
      const nlohmann::json& v = it.value();
      auto text = [](const nlohmann::json& x) { return x.is_string() ? x.get<std::string>() : x.dump(); };
      if (v.is_boolean()) {
        item.inputs = {v.get<bool>() ? "true" : "false"};
      } else if (v.is_array()) {
        std::string joined;  // lists become comma-separated values: "layers": [256, 64, 256]
        for (size_t i = 0; i < v.size(); ++i) joined += (i ? "," : "") + text(v[i]);
        item.inputs = {joined};
      } else if (v.is_object() || v.is_null()) {
        throw CLI::ConversionError("config key '" + it.key() + "': expected a number, string, boolean or list");
      } else {
        item.inputs = {text(v)};
      }
      items.push_back(item);
    }
    return items;
  }
};

}  // namespace

int& exit_status() {
  static int status = 0;
  return status;
}

std::shared_ptr<CLI::Config> json_config(const std::string& subcommand) { return std::make_shared<ConfigJson>(subcommand); }

Progress::Progress(bool want) : enabled(want && ::isatty(STDERR_FILENO)) {}

void Progress::show(const std::string& label, double fraction, const std::string& detail) {
  if (!enabled) return;
  const int width = 30;
  const int filled = int(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
  std::string bar(size_t(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%s [%s] %3.0f%%  %s\033[K", label.c_str(), bar.c_str(), 100.0 * fraction, detail.c_str());
  std::fflush(stderr);
}

void Progress::clear() {
  if (!enabled) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace cli
