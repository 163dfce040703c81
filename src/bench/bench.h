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
//              reference path (kernels::set_enabled(false)) — "before" and "after" in one run —
//              and, for SGD, a plain Eigen loop of the same step (the peer the engine's own
//              overhead is measured against) and the kernels on more threads (Options::threads).
//   memory     the WebAssembly memory size (it only grows, so it is the peak) after loading 10,000
//              MNIST images and training M1 on them; natively the peak resident set size.
//
// Every figure is a median over `reps` repetitions after `warmup` untimed steps; the individual
// repetitions are in the JSON too. What is compared (kernels vs Eigen) alternates rep by rep, so the
// ratios hold even on a loaded, shared machine. One thread unless Options::threads asks for more.
#pragma once

#include "ae/ae.h"
#include "ae/kernels/kernels.h"
#include "ae/kernels/parallel.h"

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
  std::vector<int> threads = {1};   // thread counts of the training figures (SGD beyond 1)
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

// ---- The peer: a plain Eigen training loop -------------------------------------------------------

// The same model and step as Trainer with SGD (a batch gathered at random from the data, forward,
// sigmoid output + cross-entropy averaged over units and batch, backward, the update) written as a
// numerics programmer would in a page of Eigen, with nothing around it: no workspace, no checks,
// no bookkeeping. What the engine's own overhead is measured against, at the same ISA.
struct PlainEigenLoop {
  std::vector<Eigen::MatrixXf> W, dW, z, a, delta;  // a[0] is the batch; z[l], a[l+1], delta[l] per layer
  std::vector<Eigen::VectorXf> b;
  std::vector<bool> linear;  // the 2-D code of M2 is linear, every other hidden layer ReLU
  const ae::Matrix<float>* data = nullptr;
  ae::Rng rng{3};
  float eta = 0.5f;
  float loss = 0;

  PlainEigenLoop(const Model& m, const ae::Matrix<float>& x) : data(&x) {
    const int L = int(m.sizes.size()) - 1, B = m.batch;
    ae::Rng init(1);
    a.push_back(Eigen::MatrixXf(m.sizes[0], B));
    for (int l = 0; l < L; ++l) {
      const int n_in = m.sizes[size_t(l)], n_out = m.sizes[size_t(l) + 1];
      const float r = std::sqrt(6.0f / float(n_in + n_out));
      W.push_back(Eigen::MatrixXf(n_out, n_in));
      for (Eigen::Index i = 0; i < W.back().size(); ++i) W.back().data()[i] = float(init.uniform(-r, r));
      b.push_back(Eigen::VectorXf::Zero(n_out));
      dW.push_back(Eigen::MatrixXf(n_out, n_in));
      z.push_back(Eigen::MatrixXf(n_out, B));
      a.push_back(Eigen::MatrixXf(n_out, B));
      delta.push_back(Eigen::MatrixXf(n_out, B));
      linear.push_back(l < L - 1 && n_out <= 2);
    }
  }

  void step() {
    const int L = int(W.size()), B = int(a[0].cols()), N = int(data->cols());
    for (int j = 0; j < B; ++j) a[0].col(j) = data->col(Eigen::Index(rng.below(uint64_t(N))));
    for (int l = 0; l < L; ++l) {
      z[size_t(l)].noalias() = W[size_t(l)] * a[size_t(l)];
      z[size_t(l)].colwise() += b[size_t(l)];
      if (l == L - 1) a[size_t(l) + 1] = (1.0f + (-z[size_t(l)].array()).exp()).inverse().matrix();
      else if (linear[size_t(l)]) a[size_t(l) + 1] = z[size_t(l)];
      else a[size_t(l) + 1] = z[size_t(l)].cwiseMax(0.0f);
    }
    const float scale = 1.0f / float(a[0].size());
    const auto& zL = z[size_t(L) - 1].array();
    loss = scale * (zL.max(0.0f) - a[0].array() * zL + (1.0f + (-zL.abs()).exp()).log()).sum();
    delta[size_t(L) - 1] = scale * (a[size_t(L)] - a[0]);
    for (int l = L - 1; l >= 0; --l) {
      dW[size_t(l)].noalias() = delta[size_t(l)] * a[size_t(l)].transpose();
      if (l > 0) {
        delta[size_t(l) - 1].noalias() = W[size_t(l)].transpose() * delta[size_t(l)];
        if (!linear[size_t(l) - 1]) delta[size_t(l) - 1].array() *= (z[size_t(l) - 1].array() > 0.0f).cast<float>();
      }
      W[size_t(l)] -= eta * dW[size_t(l)];
      b[size_t(l)] -= eta * delta[size_t(l)].rowwise().sum();
    }
  }
};

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

// One training figure: samples/s of whole steps, medians of the repetitions.
struct TrainRow {
  std::string model, layers, optimizer;
  int batch = 0, threads = 1;
  double flops_per_sample = 0;       // of one sample's forward and backward pass
  std::vector<double> kernels, eigen_reference, plain_eigen, one_thread;  // samples/s of each repetition
};

// Floating-point operations of one sample's training step: forward W a, ∇W = δ aᵀ at every layer,
// Wᵀ δ at every layer but the first (2 flops per multiply-add).
inline double flops_per_sample(const Model& m) {
  double f = 0;
  for (size_t l = 0; l + 1 < m.sizes.size(); ++l) f += (l == 0 ? 4.0 : 6.0) * m.sizes[l] * m.sizes[l + 1];
  return f;
}

// samples/s of Trainer::step, of the readable Eigen reference (kernels::set_enabled(false)), of the
// plain Eigen loop (SGD only) and, with threads > 1, of the kernels on `threads` threads against one
// thread. What is compared alternates rep by rep — a, b, c, a, b, c, … — so that a shared machine's
// load changes hit all alike; `data` is lent to the trainer (swapped in and out), never copied.
inline TrainRow train_row(const Model& model, ae::OptimizerKind opt, int threads, ae::Matrix<float>& data, const Options& o) {
  TrainRow row;
  row.model = model.name;
  row.layers = arch_string(model);
  row.optimizer = ae::optimizer_name(opt);
  row.batch = model.batch;
  row.threads = threads;
  row.flops_per_sample = flops_per_sample(model);
  auto trainer = make_trainer(model, opt);
  struct Restore {
    ae::Trainer<float>& t; ae::Matrix<float>& d;
    ~Restore() { t.data.swap(d); ae::kernels::set_enabled(true); ae::kernels::set_threads(1); }
  } restore{*trainer, data};
  trainer->data.swap(data);
  std::unique_ptr<PlainEigenLoop> plain;
  if (opt == ae::OptimizerKind::sgd && threads == 1) plain = std::make_unique<PlainEigenLoop>(model, trainer->data);
  auto run_steps = [&](bool kernels_on, int thread_count, int steps) {
    ae::kernels::set_enabled(kernels_on);
    ae::kernels::set_threads(thread_count);
    const double t0 = now_seconds();
    for (int i = 0; i < steps; ++i) trainer->step();
    return double(steps) * model.batch / (now_seconds() - t0);
  };
  auto run_plain = [&](int steps) {
    ae::kernels::set_threads(1);
    const double t0 = now_seconds();
    for (int i = 0; i < steps; ++i) plain->step();
    return double(steps) * model.batch / (now_seconds() - t0);
  };
  run_steps(true, threads, o.warmup_steps);
  run_steps(threads > 1, 1, o.warmup_steps);  // the second figure: the Eigen reference, or one thread
  if (plain) run_plain(o.warmup_steps);
  ae::kernels::set_enabled(true);
  ae::kernels::set_threads(1);
  const int inner = calls_for([&] { trainer->step(); }, o.rep_seconds);
  for (int r = 0; r < o.reps; ++r) {
    row.kernels.push_back(run_steps(true, threads, inner));
    if (threads == 1) row.eigen_reference.push_back(run_steps(false, 1, inner));
    else row.one_thread.push_back(run_steps(true, 1, inner));
    if (plain) row.plain_eigen.push_back(run_plain(inner));
  }
  if (!trainer->failure.empty()) throw ae::Error("benchmark: training failed: " + trainer->failure);
  if (plain && !std::isfinite(plain->loss)) throw ae::Error("benchmark: the plain Eigen loop diverged");
  return row;
}

inline std::string train_row_json(const TrainRow& r) {
  std::ostringstream js;
  const double k = median(r.kernels);
  js << "{\"model\":\"" << r.model << "\",\"layers\":\"" << r.layers << "\",\"batch\":" << r.batch << ",\"optimizer\":\""
     << r.optimizer << "\",\"threads\":" << r.threads << ",\"samples_per_s\":{\"kernels\":" << num(k, 5);
  if (!r.eigen_reference.empty()) js << ",\"eigen_reference\":" << num(median(r.eigen_reference), 5);
  if (!r.plain_eigen.empty()) js << ",\"plain_eigen_loop\":" << num(median(r.plain_eigen), 5);
  if (!r.one_thread.empty()) js << ",\"kernels_one_thread\":" << num(median(r.one_thread), 5);
  js << "},\"gflops\":" << num(k * r.flops_per_sample * 1e-9, 4);
  if (!r.eigen_reference.empty()) js << ",\"kernels_over_eigen\":" << num(k / median(r.eigen_reference), 3);
  if (!r.plain_eigen.empty()) js << ",\"kernels_over_plain_eigen_loop\":" << num(k / median(r.plain_eigen), 3);
  if (!r.one_thread.empty()) js << ",\"speedup_over_one_thread\":" << num(k / median(r.one_thread), 3);
  js << ",\"reps\":{\"kernels\":" << list(r.kernels, 5);
  if (!r.eigen_reference.empty()) js << ",\"eigen_reference\":" << list(r.eigen_reference, 5);
  if (!r.plain_eigen.empty()) js << ",\"plain_eigen_loop\":" << list(r.plain_eigen, 5);
  if (!r.one_thread.empty()) js << ",\"kernels_one_thread\":" << list(r.one_thread, 5);
  js << "}}";
  return js.str();
}

// The training figures as a table a person reads (the JSON has every repetition).
inline std::string train_table(const std::vector<TrainRow>& rows, const Options& o) {
  std::ostringstream t;
  t << "AE Lab benchmark: " << o.platform << ", " << ae::build_description() << ", GEMM "
    << ae::kernels::backend_name(ae::kernels::kBackend) << "; medians of " << o.reps << " repetitions\n";
  char line[320];
  std::snprintf(line, sizeof line, "%-5s %-20s %-5s %7s %10s %8s  %s\n", "model", "layers", "opt", "threads", "samples/s", "GFLOP/s",
                "ratio (same run)");
  t << line;
  for (const TrainRow& r : rows) {
    const double k = median(r.kernels);
    std::string ratio;
    if (!r.eigen_reference.empty()) ratio += num(k / median(r.eigen_reference), 3) + "x the Eigen reference path";
    if (!r.plain_eigen.empty()) ratio += ", " + num(k / median(r.plain_eigen), 3) + "x a plain Eigen loop";
    // One thread's own figure too: it alternated with this row's repetitions, so it can differ from
    // the one-thread row above it on a machine whose load changes.
    // The spread of the pairs' ratios shows how far a shared machine moved during the run.
    if (!r.one_thread.empty()) {
      double lowest = 1e300, highest = 0;
      for (size_t i = 0; i < r.kernels.size() && i < r.one_thread.size(); ++i) {
        lowest = std::min(lowest, r.kernels[i] / r.one_thread[i]);
        highest = std::max(highest, r.kernels[i] / r.one_thread[i]);
      }
      ratio += num(k / median(r.one_thread), 3) + "x one thread (" + num(median(r.one_thread), 5) +
               " samples/s alternating with it; pairs " + num(lowest, 3) + "-" + num(highest, 3) + "x)";
    }
    std::snprintf(line, sizeof line, "%-5s %-20s %-5s %7d %10.0f %8.2f  %s\n", r.model.c_str(), r.layers.c_str(), r.optimizer.c_str(),
                  r.threads, k, k * r.flops_per_sample * 1e-9, ratio.c_str());
    t << line;
  }
  return t.str();
}

inline std::string run_training(const Options& o, ae::Matrix<float>& data, double& memory_after_m1, std::vector<TrainRow>& rows) {
  std::ostringstream js;
  js << "[";
  for (const Model& model : models()) {
    for (ae::OptimizerKind opt : {ae::OptimizerKind::sgd, ae::OptimizerKind::adam})
      for (int threads : o.threads) {
        if (threads > 1 && opt != ae::OptimizerKind::sgd) continue;  // the thread figures: SGD only
        rows.push_back(train_row(model, opt, threads, data, o));
        js << (rows.size() > 1 ? "," : "") << "\n    " << train_row_json(rows.back());
        if (o.progress)
          o.progress(std::string("train ") + model.name + " " + ae::optimizer_name(opt) + ", " + std::to_string(threads) +
                     " thread(s): " + num(median(rows.back().kernels), 5) + " samples/s");
      }
    if (std::string(model.name) == "M1") memory_after_m1 = memory_bytes();
  }
  js << "\n  ]";
  return js.str();
}

// The whole benchmark as a JSON document.
// `table`, when given, gets the training figures as a table (train_table).
inline std::string run(const Options& o, std::string* table = nullptr) {
  std::ostringstream js;
  const double t0 = now_seconds();
  js << "{\n  \"benchmark\": \"aelab\",\n  \"platform\": \"" << o.platform << "\",\n  \"build\": \""
     << ae::build_description() << "\",\n  \"gemm_backend\": \"" << ae::kernels::backend_name(ae::kernels::kBackend)
     << "\",\n  \"threads\": " << list(std::vector<double>(o.threads.begin(), o.threads.end())) << ",\n  \"hardware_threads\": "
     << ae::kernels::hardware_threads() << ",\n  \"reps\": " << o.reps << ",\n  \"warmup_steps\": " << o.warmup_steps
     << ",\n  \"statistic\": \"median\"";
  const double mem_start = memory_bytes();
  if (o.training) {
    ae::Matrix<float> data = load_mnist_prefix(o.mnist_images, o.images);
    const double mem_loaded = memory_bytes();
    double mem_m1 = 0;
    std::vector<TrainRow> rows;
    const std::string training = run_training(o, data, mem_m1, rows);
    if (table) *table = train_table(rows, o);
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
