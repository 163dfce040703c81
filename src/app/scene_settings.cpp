// scene_settings.cpp — see scene_settings.h.
#include "scene_settings.h"

#include <algorithm>
#include <cmath>

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

}  // namespace app
