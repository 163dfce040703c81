// scene_settings.cpp — see scene_settings.h.
#include "scene_settings.h"

#include "ae/memory.h"
#include "app/i18n.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>

namespace app {

const char* variant_key(Variant v) {
  switch (v) {
    case Variant::plain: return "plain";
    case Variant::sparse_l1: return "l1";
    case Variant::sparse_kl: return "kl";
    case Variant::k_sparse: return "k-sparse";
    case Variant::denoising: return "denoising";
    case Variant::contractive: return "contractive";
    case Variant::vae: return "vae";
  }
  return "?";
}

bool variant_from_key(const std::string& key, Variant& out) {
  for (Variant v : kVariants)
    if (key == variant_key(v)) {
      out = v;
      return true;
    }
  return false;
}

namespace {

int optimizer_slots(ae::OptimizerKind kind) {
  return kind == ae::OptimizerKind::adam ? 2 : kind == ae::OptimizerKind::momentum ? 1 : 0;
}
uint64_t floats(uint64_t count) { return count * sizeof(float); }
constexpr uint64_t kPixels = 784;

std::vector<int> chain(const ae::Architecture& arch) {
  std::vector<int> sizes{arch.input_size};
  for (const auto& l : arch.layers) sizes.push_back(l.size);
  return sizes;
}

}  // namespace

uint64_t mnist_scene_memory(const MnistSettings& o, const DataShape& data) {
  const uint64_t features = uint64_t(data.features);
  const uint64_t pack = floats(uint64_t(data.train + data.test) * features);
  std::vector<int> sizes = chain(architecture_for(o.net, data.features));
  // The VAE's code layer is its two heads, μ and log σ².
  if (o.training.variant == Variant::vae) sizes[o.net.encoder_hidden.size() + 1] = 2 * o.net.code_size;
  const ae::TrainingMemory net = ae::training_memory(sizes, o.training.batch_size, optimizer_slots(o.training.optimizer), 4);
  // + the trainer's copy of the digits, and the training thread's copy of the weights and the
  // optimizer's state (training_thread.h; the digits move into it, the workspace is not copied).
  const uint64_t thread_copy = floats(net.parameters * uint64_t(1 + optimizer_slots(o.training.optimizer)));
  return pack + floats(uint64_t(data.train) * features) + net.bytes + thread_copy;
}

uint64_t stacked_scene_memory(const StackedSettings& o) {
  const uint64_t N = uint64_t(limits::mnist_pack_train);
  const uint64_t pack = floats(uint64_t(limits::mnist_pack_train + limits::mnist_pack_test) * kPixels);
  uint64_t largest = 0;
  // Each stage counts the training thread's copy of its weights and optimizer state as well
  // (training_thread.h; the data move into it, the workspace is not copied). Adam: 2 slots.
  auto thread_copy = [](const ae::TrainingMemory& net, int slots) { return floats(net.parameters * uint64_t(1 + slots)); };
  // Pretraining layer l: its input (pixels or the codes below), its codes, its one-layer autoencoder.
  int n_in = int(kPixels);
  for (const auto& l : o.layers) {
    const ae::TrainingMemory layer = ae::training_memory({n_in, l.size, n_in}, o.batch_size, 2, 4);
    const uint64_t need = floats(N * uint64_t(n_in)) + floats(N * uint64_t(l.size)) + layer.bytes + thread_copy(layer, 2);
    largest = std::max(largest, need);
    n_in = l.size;
  }
  // The unrolled deep autoencoder, pretrained and from random weights, each with its copy of the digits.
  if (o.unrolled_epochs > 0 && !o.layers.empty()) {
    NetworkSpec net;
    net.encoder_hidden.assign(o.layers.begin(), o.layers.end() - 1);
    net.code_size = o.layers.back().size;
    const ae::TrainingMemory deep = ae::training_memory(chain(architecture_for(net, int(kPixels))), o.batch_size, 2, 4);
    largest = std::max(largest, 2 * (floats(N * kPixels) + deep.bytes + thread_copy(deep, 2)) + floats(N * uint64_t(n_in)));
  }
  // Fine-tuning: two classifiers (pretrained and random) on the labelled digits.
  std::vector<int> classifier{int(kPixels)};
  for (const auto& l : o.layers) classifier.push_back(l.size);
  classifier.push_back(10);
  const int head_slots = optimizer_slots(o.finetune_optimizer);
  const ae::TrainingMemory head = ae::training_memory(classifier, o.finetune_batch_size, head_slots, 4);
  largest = std::max(largest, 2 * (head.bytes + thread_copy(head, head_slots) + floats(uint64_t(o.labels) * kPixels)));
  return pack + largest;
}

void require_page_memory(uint64_t need, const char* what) {
  if (need <= limits::page_memory_bytes) return;
  char text[400];
  std::snprintf(text, sizeof text,
                tr("%s needs about %s of memory at these settings, more than the page's %s: use fewer or smaller layers or a "
                   "smaller batch."),
                what, ae::memory_text(need).c_str(), ae::memory_text(limits::page_memory_bytes).c_str());
  throw ae::Error(text);
}

std::string failure_text(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e) == nullptr) return e.what();
  char text[300];
  std::snprintf(text, sizeof text, tr("not enough memory left (the page has %s in all)"),
                ae::memory_text(limits::page_memory_bytes).c_str());
  return text;
}

ae::Architecture architecture_for(const NetworkSpec& net, int input_size) {
  ae::Architecture arch;
  arch.input_size = input_size;
  for (const auto& l : net.encoder_hidden) arch.layers.push_back(l);
  arch.layers.push_back({net.code_size, net.code_activation});
  arch.code_layer = int(net.encoder_hidden.size());
  for (size_t i = net.encoder_hidden.size(); i-- > 0;) arch.layers.push_back(net.encoder_hidden[i]);
  arch.layers.push_back({input_size, net.output_activation});
  arch.tied_weights = net.tied_weights;
  return arch;
}

std::string architecture_text(const NetworkSpec& net, int input_size) {
  std::string text = std::to_string(input_size);
  for (const auto& l : net.encoder_hidden) text += " → " + std::to_string(l.size);
  text += " → [" + std::to_string(net.code_size) + "]";
  for (size_t i = net.encoder_hidden.size(); i-- > 0;) text += " → " + std::to_string(net.encoder_hidden[i].size);
  return text + " → " + std::to_string(input_size);
}

ae::Regularization effective_regularization(const TrainingSpec& t) {
  ae::Regularization r = t.regularization;
  r.sparsity.kind = t.variant == Variant::sparse_l1   ? ae::SparsityKind::l1
                    : t.variant == Variant::sparse_kl ? ae::SparsityKind::kl
                    : t.variant == Variant::k_sparse  ? ae::SparsityKind::top_k
                                                      : ae::SparsityKind::none;
  if (t.variant != Variant::contractive) r.contractive.weight = 0.0;
  if (t.variant == Variant::vae) r.corruption.kind = ae::CorruptionKind::none;
  return r;
}

void apply_live_settings(const TrainingSpec& t, ae::TrainConfig& config) {
  config.regularization = effective_regularization(t);
  config.optimizer.kind = t.optimizer;
  config.optimizer.learning_rate = t.learning_rate;
  config.batch_size = t.batch_size;
  config.loss.kind = t.loss;
  config.loss.sigma = t.decoder_sigma;
}

void clamp_spec(TrainingSpec& t, NetworkSpec& net, int max_layer_size) {
  namespace L = limits;
  auto& r = t.regularization;
  t.decoder_sigma = std::clamp(std::isfinite(t.decoder_sigma) ? t.decoder_sigma : 0.1f, L::min_decoder_sigma, L::max_decoder_sigma);
  r.corruption.level = std::clamp(r.corruption.level, 0.0, L::max_corruption);
  r.sparsity.l1_weight = std::clamp(r.sparsity.l1_weight, 0.0, L::max_l1_weight);
  r.sparsity.kl_weight = std::clamp(r.sparsity.kl_weight, 0.0, L::max_kl_weight);
  r.sparsity.target = std::clamp(r.sparsity.target, L::min_sparsity_target, L::max_sparsity_target);
  r.contractive.weight = std::clamp(r.contractive.weight, 0.0, L::max_contractive_weight);
  r.contractive.noise = std::clamp(r.contractive.noise, L::min_contractive_noise, L::max_contractive_noise);
  t.vae_beta = std::clamp(t.vae_beta, 0.0, L::max_vae_beta);
  t.learning_rate = std::clamp(t.learning_rate, L::min_learning_rate, L::max_learning_rate);
  t.batch_size = std::clamp(t.batch_size, 1, L::max_batch_size);
  t.seed = std::clamp(t.seed, 0, L::max_seed);
  if (net.encoder_hidden.size() > size_t(L::max_hidden_layers)) net.encoder_hidden.resize(size_t(L::max_hidden_layers));
  for (auto& l : net.encoder_hidden) l.size = std::clamp(l.size, 1, max_layer_size);
  net.code_size = std::clamp(net.code_size, 1, max_layer_size);
  r.sparsity.k = std::clamp(r.sparsity.k, 0, net.code_size);  // 0: not chosen yet (choose_variant picks one)
}

void settings_of_model(const ae::SavedModel<float>& saved, int max_layer_size, int max_code_size, NetworkSpec& net,
                       TrainingSpec& training) {
  const ae::ModelInfo& info = saved.info;
  if (info.kind == ae::ModelKind::classifier)
    throw ae::Error(tr("this is a classifier (a stacked encoder with a softmax layer); the lab opens autoencoders and VAEs. "
                       "`aelab eval` reads classifiers."));
  const bool vae = info.kind == ae::ModelKind::vae;
  const ae::Autoencoder<float>& m = vae ? saved.vae.net : saved.autoencoder;
  const int encoder_layers = vae ? saved.vae.encoder_layers : m.code_layer;
  NetworkSpec n;
  n.encoder_hidden.clear();  // (the default spec has one hidden layer)
  for (int l = 0; l < encoder_layers; ++l) n.encoder_hidden.push_back({m.layers[size_t(l)].n_out(), m.layers[size_t(l)].activation});
  n.code_size = m.layers[size_t(encoder_layers)].n_out();
  n.code_activation = m.layers[size_t(encoder_layers)].activation;
  n.output_activation = m.layers.back().activation;
  n.tied_weights = !vae && m.tied();
  // The layers the panel would build for these settings must be the model's own.
  const ae::Architecture arch = architecture_for(n, m.layers.front().n_in());
  const size_t first_decoder = size_t(encoder_layers) + (vae ? 2 : 1);
  bool mirrors = m.layers.size() - first_decoder == arch.layers.size() - size_t(encoder_layers) - 1;
  for (size_t i = 0; mirrors && first_decoder + i < m.layers.size(); ++i) {
    const ae::LayerSpec& want = arch.layers[size_t(encoder_layers) + 1 + i];
    const auto& have = m.layers[first_decoder + i];
    mirrors = have.n_out() == want.size && (have.activation == want.activation || first_decoder + i + 1 == m.layers.size());
  }
  if (!mirrors)
    throw ae::Error(tr("its decoder does not mirror its encoder; the lab's scenes build mirrored networks. `aelab eval` reads it."));
  if (vae && saved.vae.likelihood != ae::VaeLikelihood::bernoulli)
    throw ae::Error(tr("a VAE with a Gaussian decoder; the lab's VAE has a Bernoulli decoder. `aelab eval` reads it."));
  bool within = n.encoder_hidden.size() <= size_t(limits::max_hidden_layers) && n.code_size <= max_code_size;
  for (const auto& l : n.encoder_hidden) within &= l.size <= max_layer_size;
  if (!within) {
    char text[256];
    std::snprintf(text, sizeof text, tr("it is larger than the lab's sliders reach (at most %d hidden layers of %d units, a code of %d)"),
                  limits::max_hidden_layers, max_layer_size, max_code_size);
    throw ae::Error(text);
  }
  TrainingSpec t = training;
  t.loss = vae ? ae::LossKind::binary_cross_entropy : info.loss.kind;
  t.regularization = info.regularization;
  t.vae_beta = info.vae.beta;
  const ae::Regularization& r = info.regularization;
  t.variant = vae                                          ? Variant::vae
              : r.sparsity.kind == ae::SparsityKind::l1    ? Variant::sparse_l1
              : r.sparsity.kind == ae::SparsityKind::kl    ? Variant::sparse_kl
              : r.sparsity.kind == ae::SparsityKind::top_k ? Variant::k_sparse
              : r.contractive.weight > 0                   ? Variant::contractive
              : r.corruption.active()                      ? Variant::denoising
                                                           : Variant::plain;
  clamp_spec(t, n, max_layer_size);
  net = n;
  training = t;
}

}  // namespace app
