// bench.h — the AE Lab benchmark, one implementation for every place it runs:
// `aelab bench` (native), `aelab_bench` (native, and WebAssembly under node) and the browser page
// (`?bench`, src/platform/browser_main.cpp). It prints one JSON document:
//
//   gemm       GFLOP/s of the three products backprop needs (NN: z = W a, NT: ∇W = δ aᵀ,
//              TN: Wᵀ δ) at every layer shape of M1 and M2, for the engine's kernels (kernels::gemm,
//              the compile-time backend) and for plain Eigen, measured side by side.
//   training   samples/s of whole training steps (ae::Trainer: batch gather, forward, loss,
//              backward, optimizer update) for
//                M1 = 784-256-64-256-784, batch 128      M2 = 784-128-2-128-784, batch 64
//              (ReLU hidden layers, linear code for M2, sigmoid output + cross-entropy), with SGD and
//              Adam, on real MNIST; once through the kernels and once through the readable Eigen
//              reference path (kernels::set_enabled(false)) — "before" and "after" in one run.
//   memory     the WebAssembly memory size (it only grows, so it is the peak) after loading 10,000
//              MNIST images and training M1 on them; natively the peak resident set size.
//
// Every figure is a median over `reps` repetitions after `warmup` untimed steps; the individual
// repetitions are in the JSON too. What is compared (kernels vs Eigen) alternates rep by rep, so the
// ratios hold even on a loaded, shared machine. Single thread.
#pragma once

#include "ae/ae.h"
#include "ae/kernels/kernels.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#if defined(__EMSCRIPTEN__)
#include <emscripten/heap.h>
#else
#include <sys/resource.h>
#endif

namespace bench {

struct Options {
  std::string platform = "native";  // a label for the JSON: native, wasm-node, browser
  std::string mnist_images;         // path of train-images-idx3-ubyte (only the first `images` are read)
  int images = 10000;
  int reps = 9;                     // timed repetitions (the median is reported)
  double rep_seconds = 0.25;        // target length of one timed repetition
  int warmup_steps = 5;
  bool gemm = true, training = true;
  std::function<void(const std::string&)> progress;  // optional: a line per finished measurement
};

inline double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline std::string num(double x, int digits = 4) {
  if (!(x == x)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

inline std::string list(const std::vector<double>& v, int digits = 4) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + num(v[i], digits);
  return s + "]";
}

// The first `count` images of an MNIST images file, read without the rest of the file (the page
// and the memory figure should not pay for 60,000 images when 10,000 are used).
inline ae::Matrix<float> load_mnist_prefix(const std::string& path, int count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ae::Error("benchmark: cannot open MNIST images '" + path + "'");
  std::vector<uint8_t> bytes(16);
  in.read(reinterpret_cast<char*>(bytes.data()), 16);
  if (!in) throw ae::Error("benchmark: '" + path + "' is too short for an IDX header");
  const uint32_t total = uint32_t(bytes[4]) << 24 | uint32_t(bytes[5]) << 16 | uint32_t(bytes[6]) << 8 | bytes[7];
  const uint32_t n = std::min<uint32_t>(total, uint32_t(count));
  const size_t image_bytes = 28 * 28;
  bytes.resize(16 + size_t(n) * image_bytes);
  in.read(reinterpret_cast<char*>(bytes.data()) + 16, std::streamsize(size_t(n) * image_bytes));
  if (!in) throw ae::Error("benchmark: '" + path + "' holds fewer images than its header says");
  bytes[4] = uint8_t(n >> 24);  // the header now describes what was read
  bytes[5] = uint8_t(n >> 16);
  bytes[6] = uint8_t(n >> 8);
  bytes[7] = uint8_t(n);
  const ae::IdxArray images = ae::parse_idx(bytes.data(), bytes.size(), path);
  std::vector<uint8_t>().swap(bytes);
  return ae::dataset_from_idx<float>(images, nullptr, 0, "MNIST train").x;
}

struct Model {
  const char* name;
  std::vector<int> sizes;  // input, then each layer
  int batch;
};

inline std::vector<Model> models() {
  return {{"M1", {784, 256, 64, 256, 784}, 128}, {"M2", {784, 128, 2, 128, 784}, 64}};
}

inline std::string arch_string(const Model& m) {
  std::string s;
  for (size_t i = 0; i < m.sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(m.sizes[i]);
  return s;
}

inline ae::Architecture architecture(const Model& m) {
  ae::Architecture arch;
  arch.input_size = m.sizes[0];
  const int L = int(m.sizes.size()) - 1;
  for (int l = 0; l < L; ++l) {
    ae::Activation f = ae::Activation::relu;
    if (l == L - 1) f = ae::Activation::sigmoid;
    else if (m.sizes[l + 1] <= 2) f = ae::Activation::linear;  // a 2-D code: linear, so nothing dies
    arch.layers.push_back({m.sizes[l + 1], f});
  }
  arch.code_layer = L / 2 - 1;
  return arch;
}

// Runs `body` `inner` times per repetition, `reps` times; returns seconds per call of each rep.
inline std::vector<double> time_reps(const std::function<void()>& body, int inner, int reps) {
  std::vector<double> out;
  for (int r = 0; r < reps; ++r) {
    const double t0 = now_seconds();
    for (int i = 0; i < inner; ++i) body();
    out.push_back((now_seconds() - t0) / inner);
  }
  return out;
}

// How many calls make one repetition of about `seconds`.
inline int calls_for(const std::function<void()>& body, double seconds) {
  const double t0 = now_seconds();
  body();
  const double one = std::max(now_seconds() - t0, 1e-6);
  return std::max(1, int(seconds / one));
}

// ---- GEMM -------------------------------------------------------------------------------------

using GemmFn = void (*)(ae::kernels::Trans, ae::kernels::Trans, int, int, int, float, const float*, int, const float*,
                        int, float, float*, int);

inline void gemm_dispatch(ae::kernels::Trans ta, ae::kernels::Trans tb, int m, int n, int k, float alpha, const float* A,
                          int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  ae::kernels::gemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
inline void gemm_eigen(ae::kernels::Trans ta, ae::kernels::Trans tb, int m, int n, int k, float alpha, const float* A,
                       int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  ae::kernels::gemm_eigen<float>(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
inline void gemm_simd(ae::kernels::Trans ta, ae::kernels::Trans tb, int m, int n, int k, float alpha, const float* A,
                      int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  ae::kernels::gemm_simd(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

struct GemmImpl {
  const char* name;
  GemmFn fn;
};

inline std::vector<GemmImpl> gemm_impls() {
  std::vector<GemmImpl> v = {{"kernels", gemm_dispatch}, {"eigen", gemm_eigen}};
  if (ae::kernels::kBackend != ae::kernels::Backend::simd) v.push_back({"packed_simd", gemm_simd});
  return v;
}

inline std::string run_gemm(const Options& o) {
  using ae::kernels::Trans;
  std::ostringstream js;
  js << "[";
  bool first = true;
  const auto impls = gemm_impls();
  std::ostringstream summary;
  summary << "{";
  bool first_model = true;
  for (const Model& model : models()) {
    // totals per form and implementation: Σ flops / Σ seconds over the model's layers (the
    // mix one training step runs)
    std::vector<std::vector<double>> flops(3, std::vector<double>(impls.size())), secs = flops;
    for (size_t l = 0; l + 1 < model.sizes.size(); ++l) {
      const int n_in = model.sizes[l], n_out = model.sizes[l + 1], B = model.batch;
      ae::Rng rng(7);
      std::vector<float> W(size_t(n_out) * n_in), X(size_t(n_in) * B), D(size_t(n_out) * B), C(std::max({size_t(n_out) * B, size_t(n_out) * n_in, size_t(n_in) * B}));
      for (auto& v : W) v = float(rng.uniform(-0.1, 0.1));
      for (auto& v : X) v = float(rng.uniform(0, 1));
      for (auto& v : D) v = float(rng.uniform(-0.1, 0.1));
      struct Form { const char* name; Trans ta, tb; int m, n, k; const float *A, *Bm; int lda, ldb; };
      const Form forms[3] = {
          {"NN", Trans::no, Trans::no, n_out, B, n_in, W.data(), X.data(), n_out, n_in},      // z = W a
          {"NT", Trans::no, Trans::yes, n_out, n_in, B, D.data(), X.data(), n_out, n_in},     // ∇W = δ aᵀ
          {"TN", Trans::yes, Trans::no, n_in, B, n_out, W.data(), D.data(), n_out, n_out}};   // Wᵀ δ
      for (int f = 0; f < 3; ++f) {
        const Form& F = forms[f];
        js << (first ? "" : ",") << "\n    {\"model\":\"" << model.name << "\",\"layer\":\"" << n_in << "->" << n_out
           << "\",\"form\":\"" << F.name << "\",\"m\":" << F.m << ",\"n\":" << F.n << ",\"k\":" << F.k
           << ",\"gflops\":{";
        first = false;
        const double fl = 2.0 * F.m * F.n * F.k;
        // implementations alternate rep by rep (as in training), each rep ≈ rep_seconds / 4
        std::vector<std::function<void()>> bodies;
        std::vector<int> inner;
        for (size_t i = 0; i < impls.size(); ++i) {
          const GemmFn fn = impls[i].fn;
          bodies.push_back([&, fn] { fn(F.ta, F.tb, F.m, F.n, F.k, 1.0f, F.A, F.lda, F.Bm, F.ldb, 0.0f, C.data(), F.m); });
          for (int w = 0; w < 3; ++w) bodies[i]();
          inner.push_back(calls_for(bodies[i], o.rep_seconds / 4));
        }
        std::vector<std::vector<double>> times(impls.size());
        for (int r = 0; r < std::max(3, o.reps); ++r)
          for (size_t i = 0; i < impls.size(); ++i) times[i].push_back(time_reps(bodies[i], inner[i], 1)[0]);
        for (size_t i = 0; i < impls.size(); ++i) {
          const double t = median(times[i]);
          flops[f][i] += fl;
          secs[f][i] += t;
          js << (i ? "," : "") << "\"" << impls[i].name << "\":" << num(fl / t * 1e-9, 3);
        }
        js << "}}";
        if (o.progress) o.progress(std::string("gemm ") + model.name + " " + std::to_string(n_in) + "->" + std::to_string(n_out) + " " + F.name);
      }
    }
    summary << (first_model ? "" : ",") << "\n    \"" << model.name << "\":{";
    first_model = false;
    const char* names[3] = {"NN", "NT", "TN"};
    for (int f = 0; f < 3; ++f) {
      summary << (f ? "," : "") << "\"" << names[f] << "\":{";
      for (size_t i = 0; i < impls.size(); ++i)
        summary << (i ? "," : "") << "\"" << impls[i].name << "\":" << num(flops[f][i] / secs[f][i] * 1e-9, 3);
      summary << ",\"kernels_over_eigen\":" << num((flops[f][0] / secs[f][0]) / (flops[f][1] / secs[f][1]), 3) << "}";
    }
    summary << "}";
  }
  summary << "}";
  js << "\n  ]";
  return "\"gemm\": " + js.str() + ",\n  \"gemm_by_form\": " + summary.str();
}

// ---- Training ---------------------------------------------------------------------------------

inline double memory_bytes() {
#if defined(__EMSCRIPTEN__)
  return double(emscripten_get_heap_size());
#else
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) * 1024.0;
#endif
}

// A trainer for `model` on `data` (moved in; take it back with trainer.data.swap).
inline std::unique_ptr<ae::Trainer<float>> make_trainer(const Model& model, ae::OptimizerKind opt) {
  ae::Rng rng(1);
  auto trainer = std::make_unique<ae::Trainer<float>>();
  trainer->model = ae::make_autoencoder<float>(architecture(model), ae::Init::he_normal, rng);
  trainer->config.batch_size = model.batch;
  trainer->config.loss.kind = ae::LossKind::binary_cross_entropy;
  trainer->config.loss.units = ae::Reduction::mean;
  trainer->config.optimizer.kind = opt;
  trainer->config.optimizer.learning_rate = opt == ae::OptimizerKind::adam ? 1e-3 : 0.5;
  trainer->reset_progress();
  return trainer;
}

// samples/s of Trainer::step with the kernels (fast) and through the readable Eigen reference
// (ref). The two alternate rep by rep — fast, ref, fast, ref, … — so that a shared machine's load
// changes hit both alike; `data` is lent to the trainer (swapped in and out), never copied.
inline void train_samples_per_s(const Model& model, ae::OptimizerKind opt, ae::Matrix<float>& data, const Options& o,
                                std::vector<double>& fast, std::vector<double>& ref) {
  auto trainer = make_trainer(model, opt);
  struct Restore {
    ae::Trainer<float>& t; ae::Matrix<float>& d;
    ~Restore() { t.data.swap(d); ae::kernels::set_enabled(true); }
  } restore{*trainer, data};
  trainer->data.swap(data);
  auto run_steps = [&](bool kernels_on, int steps) {
    ae::kernels::set_enabled(kernels_on);
    const double t0 = now_seconds();
    for (int i = 0; i < steps; ++i) trainer->step();
    return double(steps) * model.batch / (now_seconds() - t0);
  };
  run_steps(true, o.warmup_steps);
  run_steps(false, o.warmup_steps);
  ae::kernels::set_enabled(true);
  const int inner = calls_for([&] { trainer->step(); }, o.rep_seconds);
  fast.clear();
  ref.clear();
  for (int r = 0; r < o.reps; ++r) {
    fast.push_back(run_steps(true, inner));
    ref.push_back(run_steps(false, inner));
  }
  if (!trainer->failure.empty()) throw ae::Error("benchmark: training failed: " + trainer->failure);
}

inline std::string run_training(const Options& o, ae::Matrix<float>& data, double& memory_after_m1) {
  std::ostringstream js;
  js << "[";
  bool first = true;
  for (const Model& model : models()) {
    for (ae::OptimizerKind opt : {ae::OptimizerKind::sgd, ae::OptimizerKind::adam}) {
      std::vector<double> fast, ref;
      train_samples_per_s(model, opt, data, o, fast, ref);
      const double mf = median(fast), mr = median(ref);
      js << (first ? "" : ",") << "\n    {\"model\":\"" << model.name << "\",\"layers\":\"" << arch_string(model)
         << "\",\"batch\":" << model.batch << ",\"optimizer\":\"" << ae::optimizer_name(opt)
         << "\",\"samples_per_s\":{\"kernels\":" << num(mf, 5) << ",\"eigen_reference\":" << num(mr, 5)
         << "},\"kernels_over_eigen\":" << num(mf / mr, 3) << ",\"reps\":{\"kernels\":" << list(fast, 5)
         << ",\"eigen_reference\":" << list(ref, 5) << "}}";
      first = false;
      if (o.progress) o.progress(std::string("train ") + model.name + " " + ae::optimizer_name(opt) + ": " + num(mf, 5) + " samples/s");
    }
    if (std::string(model.name) == "M1") memory_after_m1 = memory_bytes();
  }
  js << "\n  ]";
  return js.str();
}

// The whole benchmark as a JSON document.
inline std::string run(const Options& o) {
  std::ostringstream js;
  const double t0 = now_seconds();
  js << "{\n  \"benchmark\": \"aelab\",\n  \"platform\": \"" << o.platform << "\",\n  \"build\": \""
     << ae::build_description() << "\",\n  \"gemm_backend\": \"" << ae::kernels::backend_name(ae::kernels::kBackend)
     << "\",\n  \"threads\": 1,\n  \"reps\": " << o.reps << ",\n  \"warmup_steps\": " << o.warmup_steps
     << ",\n  \"statistic\": \"median\"";
  const double mem_start = memory_bytes();
  if (o.training) {
    ae::Matrix<float> data = load_mnist_prefix(o.mnist_images, o.images);
    const double mem_loaded = memory_bytes();
    double mem_m1 = 0;
    const std::string training = run_training(o, data, mem_m1);
    js << ",\n  \"data\": {\"set\": \"MNIST train\", \"images\": " << data.cols() << "}";
    js << ",\n  \"training\": " << training;
    js << ",\n  \"memory\": {\"what\": \""
#if defined(__EMSCRIPTEN__)
       << "wasm memory size (grows only: the peak)"
#else
       << "peak resident set size"
#endif
       << "\", \"start_mb\": " << num(mem_start / 1048576.0, 4) << ", \"after_loading_mb\": " << num(mem_loaded / 1048576.0, 4)
       << ", \"after_training_M1_mb\": " << num(mem_m1 / 1048576.0, 4) << ", \"limit_mb\": 256}";
  }
  if (o.gemm) js << ",\n  " << run_gemm(o);
  js << ",\n  \"seconds\": " << num(now_seconds() - t0, 3) << "\n}\n";
  return js.str();
}

}  // namespace bench
