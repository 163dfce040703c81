// autoencoder.h — an autoencoder as a stack of dense layers: encoder h = f(x), decoder y = g(h).
//
//   x (n_0, B) ──layer 0──▶ … ──layer code_layer──▶ h = code (n_code, B) ──…──▶ y (n_0, B)
//
// Layers [0, code_layer] form the encoder, the remaining ones the decoder. The loss compares y
// with the (clean) input x: C = L(x, g(f(x))).
#pragma once

#include "dense.h"
#include "loss.h"
#include "rng.h"

#include <string>
#include <vector>

namespace ae {

struct LayerSpec {
  int size = 2;
  Activation activation = Activation::sigmoid;
};

// The architecture: input size, then each layer's size and activation, and which layer is the code.
struct Architecture {
  int input_size = 2;
  std::vector<LayerSpec> layers;  // encoder then decoder; the last layer's size must be input_size
  int code_layer = 0;
};

enum class Init { glorot_uniform, he_normal };

template <typename T>
struct Autoencoder {
  std::vector<DenseLayer<T>> layers;
  int code_layer = 0;

  int input_size() const { return layers.empty() ? 0 : layers.front().n_in(); }
  int code_size() const { return layers[code_layer].n_out(); }
};

inline void validate(const Architecture& arch) {
  if (arch.input_size <= 0) throw Error("architecture: the input size must be positive");
  if (arch.layers.size() < 2) throw Error("architecture: an autoencoder needs at least an encoder and a decoder layer");
  for (const LayerSpec& l : arch.layers)
    if (l.size <= 0 || l.size > 1 << 16) throw Error("architecture: layer sizes must be in 1..65536");
  if (arch.code_layer < 0 || arch.code_layer >= int(arch.layers.size()) - 1)
    throw Error("architecture: the code layer must be an encoder layer (not the output layer)");
  if (arch.layers.back().size != arch.input_size)
    throw Error("architecture: the output layer must have as many units as the input (" +
                std::to_string(arch.input_size) + ")");
}

// Weights drawn from a seeded Rng; biases start at 0.
//   Glorot/Xavier uniform: W ~ U(−r, r), r = √(6 / (n_in + n_out))   (sigmoid/tanh)
//   He normal:             W ~ N(0, 2 / n_in)                          (ReLU family)
template <typename T>
Autoencoder<T> make_autoencoder(const Architecture& arch, Init init, Rng& rng) {
  validate(arch);
  Autoencoder<T> model;
  model.code_layer = arch.code_layer;
  int n_in = arch.input_size;
  for (const LayerSpec& spec : arch.layers) {
    DenseLayer<T> layer;
    layer.activation = spec.activation;
    layer.W.resize(spec.size, n_in);
    layer.b = Vector<T>::Zero(spec.size);
    const double r = std::sqrt(6.0 / double(n_in + spec.size));
    const double sd = std::sqrt(2.0 / double(n_in));
    for (Eigen::Index i = 0; i < layer.W.size(); ++i)
      layer.W.data()[i] = T(init == Init::glorot_uniform ? rng.uniform(-r, r) : rng.normal(0.0, sd));
    model.layers.push_back(std::move(layer));
    n_in = spec.size;
  }
  return model;
}

// Everything one forward + backward pass produces, kept so that it can be shown and reused.
template <typename T>
struct Workspace {
  std::vector<DenseActivations<T>> acts;   // per layer: z, a
  std::vector<Matrix<T>> deltas;           // per layer: δ (n_out, B)
  std::vector<DenseGradients<T>> grads;    // per layer: ∇W, ∇b
  Matrix<T> g;                             // scratch: ∂C/∂a of the current layer
  Matrix<T> g_prev;                        // scratch: ∂C/∂a of the layer below
  T loss = 0;
};

// Forward pass through every layer: a⁰ = x, aˡ = σ(Wˡ aˡ⁻¹ + bˡ). Returns y = aᴸ.
template <typename T>
const Matrix<T>& forward(const Autoencoder<T>& model, const Matrix<T>& x, Workspace<T>& ws) {
  if (x.rows() != model.input_size())
    throw Error("input has " + std::to_string(x.rows()) + " features, the model expects " +
                std::to_string(model.input_size()));
  ws.acts.resize(model.layers.size());
  const Matrix<T>* a_prev = &x;
  for (size_t l = 0; l < model.layers.size(); ++l) {
    dense_forward(model.layers[l], *a_prev, ws.acts[l]);
    a_prev = &ws.acts[l].a;
  }
  return ws.acts.back().a;
}

// Loss of the last forward pass against targets t, then backpropagation from the output layer
// down to layer 0, filling ws.deltas and ws.grads. Returns C.
template <typename T>
T backward(const Autoencoder<T>& model, const LossConfig& loss, const Matrix<T>& x, const Matrix<T>& t,
           Workspace<T>& ws) {
  const int L = int(model.layers.size());
  ws.deltas.resize(L);
  ws.grads.resize(L);
  const DenseLayer<T>& out = model.layers[L - 1];
  const DenseActivations<T>& out_act = ws.acts[L - 1];
  ws.loss = loss_value(loss, out.activation, out_act.z, out_act.a, t);

  // Output layer: δᴸ = ∇ₐC ⊙ σ'(zᴸ), or δᴸ = scale (y − t) for the fused sigmoid/cross-entropy.
  const bool fused = loss_fuses_with(loss, out.activation);
  loss_gradient(loss, out.activation, out_act.a, t, fused ? ws.deltas[L - 1] : ws.g);
  for (int l = L - 1; l >= 0; --l) {
    const Matrix<T>& a_prev = l > 0 ? ws.acts[l - 1].a : x;
    const bool given = (l == L - 1) && fused;
    // Hidden layers: δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹, where ws.g holds (Wˡ⁺¹)ᵀ δˡ⁺¹.
    dense_backward(model.layers[l], a_prev, ws.acts[l], ws.g, ws.deltas[l], given, ws.grads[l],
                   l > 0 ? &ws.g_prev : nullptr);
    if (l > 0) std::swap(ws.g, ws.g_prev);
  }
  return ws.loss;
}

// Mean loss of the model on a data set, evaluated in chunks (no gradients).
template <typename T>
T evaluate_loss(const Autoencoder<T>& model, const LossConfig& loss, const Matrix<T>& data, int chunk = 1024) {
  Workspace<T> ws;
  double total = 0;
  const Eigen::Index N = data.cols();
  if (N == 0) return T(0);
  for (Eigen::Index start = 0; start < N; start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
    const Matrix<T> x = data.middleCols(start, count);
    forward(model, x, ws);
    const auto& top = ws.acts.back();
    total += double(loss_value(loss, model.layers.back().activation, top.z, top.a, x)) * double(count);
  }
  return T(total / double(N));
}

}  // namespace ae
