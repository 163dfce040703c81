// optimizer.h — gradient-descent updates Δθ = −η ∇L and their refinements.
//
//   sgd       θ ← θ − η g
//   momentum  v ← μ v − η g ;  θ ← θ + v
//   adam      m ← β₁ m + (1 − β₁) g ;  v ← β₂ v + (1 − β₂) g²
//             θ ← θ − η m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
// The readable update is detail::update_one (Eigen expressions); detail::update sends it through the
// kernels (kernels/kernels.h) unless they are switched off.
// "Full-batch gradient descent" is sgd with the batch size set to the data set size; the
// difference between the two lives in the trainer, not here.
#pragma once

#include "autoencoder.h"

#include <cmath>
#include <string>
#include <vector>

namespace ae {

enum class OptimizerKind { sgd, momentum, adam };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  double learning_rate = 0.1;   // η
  double momentum = 0.9;        // μ
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  bool update_biases = true;    // some worked examples keep b fixed
};

inline OptimizerKind optimizer_from_name(const std::string& name) {
  if (name == "sgd" || name == "gd") return OptimizerKind::sgd;
  if (name == "momentum") return OptimizerKind::momentum;
  if (name == "adam") return OptimizerKind::adam;
  throw Error("unknown optimizer '" + name + "' (expected sgd, momentum or adam)");
}

inline const char* optimizer_name(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::sgd: return "sgd";
    case OptimizerKind::momentum: return "momentum";
    case OptimizerKind::adam: return "adam";
  }
  return "?";
}

template <typename T>
struct OptimizerState {
  std::vector<Matrix<T>> mW, vW;  // first/second moments (momentum uses mW as the velocity)
  std::vector<Vector<T>> mb, vb;
  long long t = 0;                // number of updates made
};

template <typename T>
void optimizer_reset(OptimizerState<T>& s, const Autoencoder<T>& model) {
  s = OptimizerState<T>();
  for (const auto& layer : model.layers) {
    s.mW.push_back(Matrix<T>::Zero(layer.W.rows(), layer.W.cols()));
    s.vW.push_back(Matrix<T>::Zero(layer.W.rows(), layer.W.cols()));
    s.mb.push_back(Vector<T>::Zero(layer.b.size()));
    s.vb.push_back(Vector<T>::Zero(layer.b.size()));
  }
}

namespace detail {
// θ_out = update(θ) for one parameter matrix; θ_out may be θ itself (in place). The moments m, v
// are updated in place. Returns whether every new value is finite.
template <typename T, typename P, typename G>
bool update_one(const OptimizerConfig& cfg, long long t, const P& theta, const G& g, P& m, P& v, P& out) {
  const T eta = T(cfg.learning_rate);
  switch (cfg.kind) {
    case OptimizerKind::sgd: out = theta - eta * g; break;
    case OptimizerKind::momentum:
      m = T(cfg.momentum) * m - eta * g;
      out = theta + m;
      break;
    case OptimizerKind::adam: {
      const T b1 = T(cfg.beta1), b2 = T(cfg.beta2);
      m = b1 * m + (T(1) - b1) * g;
      v = b2 * v + (T(1) - b2) * g.cwiseProduct(g);
      const T c1 = T(1) - T(std::pow(cfg.beta1, double(t)));
      const T c2 = T(1) - T(std::pow(cfg.beta2, double(t)));
      const T eps = T(cfg.epsilon);
      out = (theta.array() - eta * (m.array() / c1) / ((v.array() / c2).sqrt() + eps)).matrix();
      break;
    }
  }
  return out.allFinite();
}
// The same updates through the kernels (one pass over θ, g and the moments; Adam vectorized).
template <typename T, typename P, typename G>
bool update_one_fast(const OptimizerConfig& cfg, long long t, const P& theta, const G& g, P& m, P& v, P& out) {
  const T eta = T(cfg.learning_rate);
  const std::ptrdiff_t n = theta.size();
  switch (cfg.kind) {
    case OptimizerKind::sgd: return kernels::sgd_update(n, eta, theta.data(), g.data(), out.data());
    case OptimizerKind::momentum: return kernels::momentum_update(n, T(cfg.momentum), eta, theta.data(), g.data(), m.data(), out.data());
    case OptimizerKind::adam: {
      const T c1 = T(1) - T(std::pow(cfg.beta1, double(t)));
      const T c2 = T(1) - T(std::pow(cfg.beta2, double(t)));
      return kernels::adam_update(n, eta, T(cfg.beta1), T(cfg.beta2), c1, c2, T(cfg.epsilon), theta.data(), g.data(), m.data(),
                                  v.data(), out.data());
    }
  }
  return true;
}

template <typename T, typename P, typename G>
bool update(const OptimizerConfig& cfg, long long t, const P& theta, const G& g, P& m, P& v, P& out) {
  out.resize(theta.rows(), theta.cols());  // nothing happens when it has the shape already
  if (kernels::enabled() && g.size() == theta.size() && m.size() == theta.size() && v.size() == theta.size())
    return update_one_fast<T>(cfg, t, theta, g, m, v, out);
  if (&out == &theta) return update_one<T>(cfg, t, P(theta), g, m, v, out);  // the expressions read θ while writing out
  return update_one<T>(cfg, t, theta, g, m, v, out);
}
}  // namespace detail

// One update of every layer from the gradients in ws.grads, in place. Tied copies are not updated
// themselves: their source got the summed gradient, and they are re-synced from it.
template <typename T>
void optimizer_step(const OptimizerConfig& cfg, OptimizerState<T>& s, Autoencoder<T>& model,
                    const Workspace<T>& ws) {
  if (s.mW.size() != model.layers.size()) optimizer_reset(s, model);
  ++s.t;
  for (size_t l = 0; l < model.layers.size(); ++l) {
    DenseLayer<T>& layer = model.layers[l];
    if (layer.tied_to < 0) detail::update<T>(cfg, s.t, layer.W, ws.grads[l].dW, s.mW[l], s.vW[l], layer.W);
    if (cfg.update_biases) detail::update<T>(cfg, s.t, layer.b, ws.grads[l].db, s.mb[l], s.vb[l], layer.b);
  }
  if (model.tied()) sync_tied_weights(model);
}

// The same update, keeping the weights it replaces: each new W and b is written into `previous`'s
// buffers and then swapped with the model's (O(1), no copy), so `previous` holds the weights from
// before the step and optimizer_undo can put them back. Returns whether every new weight and bias
// is finite.
template <typename T>
bool optimizer_step_keeping(const OptimizerConfig& cfg, OptimizerState<T>& s, Autoencoder<T>& model, const Workspace<T>& ws,
                            PreviousWeights<T>& previous) {
  if (s.mW.size() != model.layers.size()) optimizer_reset(s, model);
  ++s.t;
  const size_t L = model.layers.size();
  previous.W.resize(L);
  previous.b.resize(L);
  previous.W_replaced.assign(L, 0);
  previous.b_replaced.assign(L, 0);
  bool finite = true;
  for (size_t l = 0; l < L; ++l) {
    DenseLayer<T>& layer = model.layers[l];
    if (layer.tied_to < 0) {
      finite = detail::update<T>(cfg, s.t, layer.W, ws.grads[l].dW, s.mW[l], s.vW[l], previous.W[l]) && finite;
      layer.W.swap(previous.W[l]);
      previous.W_replaced[l] = 1;
    }
    if (cfg.update_biases) {
      finite = detail::update<T>(cfg, s.t, layer.b, ws.grads[l].db, s.mb[l], s.vb[l], previous.b[l]) && finite;
      layer.b.swap(previous.b[l]);
      previous.b_replaced[l] = 1;
    }
  }
  if (model.tied()) sync_tied_weights(model);
  return finite;
}

// Puts back the weights the last optimizer_step_keeping replaced.
template <typename T>
void optimizer_undo(Autoencoder<T>& model, PreviousWeights<T>& previous) {
  for (size_t l = 0; l < model.layers.size() && l < previous.W.size(); ++l) {
    if (previous.W_replaced[l]) model.layers[l].W.swap(previous.W[l]);
    if (previous.b_replaced[l]) model.layers[l].b.swap(previous.b[l]);
    previous.W_replaced[l] = previous.b_replaced[l] = 0;
  }
  if (model.tied()) sync_tied_weights(model);
}

// Compiled once, for float and double, in autoencoder.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_OPTIMIZER_INSTANCES(EXTERN, T) \
  EXTERN template void optimizer_reset<T>(OptimizerState<T>&, const Autoencoder<T>&); \
  EXTERN template void optimizer_step<T>(const OptimizerConfig&, OptimizerState<T>&, Autoencoder<T>&, \
      const Workspace<T>&); \
  EXTERN template bool optimizer_step_keeping<T>(const OptimizerConfig&, OptimizerState<T>&, Autoencoder<T>&, \
      const Workspace<T>&, PreviousWeights<T>&); \
  EXTERN template void optimizer_undo<T>(Autoencoder<T>&, PreviousWeights<T>&);
AE_OPTIMIZER_INSTANCES(extern, float)
AE_OPTIMIZER_INSTANCES(extern, double)

}  // namespace ae
