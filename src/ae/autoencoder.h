// autoencoder.h — an autoencoder as a stack of dense layers: encoder h = f(x), decoder y = g(h).
//
//   x (n_0, B) ──layer 0──▶ … ──layer code_layer──▶ h = code (n_code, B) ──…──▶ y (n_0, B)
//
// Layers [0, code_layer] form the encoder, the remaining ones the decoder. The loss compares y
// with the target — the (clean) input x for an autoencoder: C = L(x, g(f(x))). Nothing here
// requires target = input, so the same code runs the textbook's small worked examples (a 2-2-2
// network with its own targets).
//
// Tied weights: decoder layer k uses W_k = (W_{L−1−k})ᵀ, the mirror encoder layer's matrix. The
// copy in layer k is kept in sync (sync_tied_weights) and gets no update of its own; the shared
// matrix's gradient is the sum of both uses:  ∂C/∂W = ∇_W(encoder use) + (∇_W(decoder use))ᵀ.
#pragma once

#include "dense.h"
#include "loss.h"
#include "rng.h"

#include <algorithm>
#include <numeric>
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
  std::vector<LayerSpec> layers;  // encoder then decoder
  int code_layer = 0;
  bool tied_weights = false;
  bool output_matches_input = true;  // false for general networks (worked examples with own targets)
};

enum class Init { glorot_uniform, he_normal };

inline const char* init_name(Init i) { return i == Init::glorot_uniform ? "glorot_uniform" : "he_normal"; }
inline Init init_from_name(const std::string& name) {
  if (name == "glorot" || name == "glorot_uniform" || name == "xavier") return Init::glorot_uniform;
  if (name == "he" || name == "he_normal") return Init::he_normal;
  throw Error("unknown initialisation '" + name + "' (expected glorot or he)");
}

template <typename T>
struct Autoencoder {
  std::vector<DenseLayer<T>> layers;
  int code_layer = 0;
  // k-sparse autoencoder: when > 0, the code keeps only the k largest activations of each sample
  // and the others are set to 0 (apply_top_k). This is part of the encoder function h = f(x), so
  // the model carries it and forward/encode/evaluate_loss all apply it; train_step keeps it in
  // step with TrainConfig::regularization.sparsity (regularizers.h).
  int code_top_k = 0;

  int input_size() const { return layers.empty() ? 0 : layers.front().n_in(); }
  int output_size() const { return layers.empty() ? 0 : layers.back().n_out(); }
  int code_size() const { return layers[code_layer].n_out(); }
  bool tied() const {
    for (const auto& l : layers)
      if (l.tied_to >= 0) return true;
    return false;
  }
  // Number of trainable numbers (a tied matrix counts once).
  long long parameter_count() const {
    long long n = 0;
    for (const auto& l : layers) n += (l.tied_to >= 0 ? 0 : l.W.size()) + l.b.size();
    return n;
  }
};

inline void validate(const Architecture& arch) {
  if (arch.input_size <= 0 || arch.input_size > 1 << 20) throw Error("architecture: the input size must be in 1..1048576");
  if (arch.layers.size() < 2) throw Error("architecture: an autoencoder needs at least an encoder and a decoder layer");
  if (arch.layers.size() > 64) throw Error("architecture: at most 64 layers");
  for (const LayerSpec& l : arch.layers)
    if (l.size <= 0 || l.size > 1 << 16) throw Error("architecture: layer sizes must be in 1..65536");
  if (arch.code_layer < 0 || arch.code_layer >= int(arch.layers.size()) - 1)
    throw Error("architecture: the code layer must be an encoder layer (not the output layer)");
  if (arch.output_matches_input && arch.layers.back().size != arch.input_size)
    throw Error("architecture: the output layer must have as many units as the input (" +
                std::to_string(arch.input_size) + ")");
  if (arch.tied_weights) {
    const int L = int(arch.layers.size()), encoder_layers = arch.code_layer + 1;
    if (L != 2 * encoder_layers)
      throw Error("architecture: tied weights need a mirrored network (as many decoder as encoder layers; the code is layer " +
                  std::to_string(encoder_layers - 1) + " of " + std::to_string(L) + ")");
    // Layer k's W (n_k × n_{k−1}) is the transpose of layer L−1−k's (n_{L−1−k} × n_{L−2−k}).
    for (int k = encoder_layers; k < L; ++k) {
      const int src = L - 1 - k;
      const int n_out_k = arch.layers[k].size, n_in_k = arch.layers[k - 1].size;
      const int n_out_src = arch.layers[src].size, n_in_src = src == 0 ? arch.input_size : arch.layers[src - 1].size;
      if (n_out_k != n_in_src || n_in_k != n_out_src)
        throw Error("architecture: tied weights need mirrored layer sizes (layer " + std::to_string(k) + " is " +
                    std::to_string(n_out_k) + "×" + std::to_string(n_in_k) + ", the transpose of layer " +
                    std::to_string(src) + " would be " + std::to_string(n_in_src) + "×" + std::to_string(n_out_src) + ")");
    }
  }
}

// Copies every tied layer's W from its source: W_k = (W_src)ᵀ. Call after any change to weights.
template <typename T>
void sync_tied_weights(Autoencoder<T>& model) {
  for (auto& layer : model.layers)
    if (layer.tied_to >= 0) layer.W = model.layers[layer.tied_to].W.transpose();
}

// Weights drawn from a seeded Rng; biases start at 0.
//   Glorot/Xavier uniform: W ~ U(−r, r), r = √(6 / (n_in + n_out))   (sigmoid/tanh/linear)
//   He normal:             W ~ N(0, 2 / n_in)                          (ReLU family)
template <typename T>
Autoencoder<T> make_autoencoder(const Architecture& arch, Init init, Rng& rng) {
  validate(arch);
  Autoencoder<T> model;
  model.code_layer = arch.code_layer;
  const int L = int(arch.layers.size());
  int n_in = arch.input_size;
  for (int k = 0; k < L; ++k) {
    const LayerSpec& spec = arch.layers[k];
    DenseLayer<T> layer;
    layer.activation = spec.activation;
    layer.W.resize(spec.size, n_in);
    layer.b = Vector<T>::Zero(spec.size);
    if (arch.tied_weights && k > arch.code_layer) {
      layer.tied_to = L - 1 - k;  // filled by sync_tied_weights below
    } else {
      const double r = std::sqrt(6.0 / double(n_in + spec.size));
      const double sd = std::sqrt(2.0 / double(n_in));
      for (Eigen::Index i = 0; i < layer.W.size(); ++i)
        layer.W.data()[i] = T(init == Init::glorot_uniform ? rng.uniform(-r, r) : rng.normal(0.0, sd));
    }
    model.layers.push_back(std::move(layer));
    n_in = spec.size;
  }
  sync_tied_weights(model);
  return model;
}

// The weights an update replaced (optimizer.h: optimizer_step_keeping writes each new W and b into
// these buffers and swaps them with the model's, so they hold the weights from before the step
// without a copy; optimizer_undo swaps them back).
template <typename T>
struct PreviousWeights {
  std::vector<Matrix<T>> W;
  std::vector<Vector<T>> b;
  std::vector<char> W_replaced, b_replaced;  // per layer: whether the last step replaced its W, b
};

// Everything one forward + backward pass produces, kept so that it can be shown and reused.
template <typename T>
struct Workspace {
  std::vector<DenseActivations<T>> acts;   // per layer: z, a
  std::vector<Matrix<T>> deltas;           // per layer: δ (n_out, B)
  std::vector<DenseGradients<T>> grads;    // per layer: ∇W, ∇b (tied sources: the total of both uses)
  Matrix<T> g;                             // scratch: ∂C/∂a of the current layer
  Matrix<T> g_prev;                        // scratch: ∂C/∂a of the layer below
  Matrix<T> code_mask;                     // k-sparse: (n_code, B) 1 for kept code units, 0 else (empty: none)
  T loss = 0;                              // the objective C + Ω that the gradients are of
  // The parts of `loss` (regularizers.h): reconstruction C(x, y) and the penalties on the code.
  T reconstruction = 0;
  T sparsity_penalty = 0;                  // λ Σ|h| or β Σⱼ KL(ρ ‖ ρ̂ⱼ)
  T contractive_penalty = 0;               // λ ‖∂h/∂x‖²_F (exact or stochastic estimate)
  // Scratch of the variants (trainer.h, regularizers.h).
  Matrix<T> corrupted;                     // x̃ (n_0, B), the denoising AE's input
  Matrix<T> noisy_input;                   // x + σε, the stochastic contractive penalty's second point
  std::vector<DenseActivations<T>> noisy_acts;  // encoder layers at noisy_input
  Matrix<T> noisy_code_mask;
  PreviousWeights<T> previous;             // the weights before the last update (train_step)
};

// The extra terms a penalty Ω(h) on the code layer puts into the backward pass (regularizers.h
// fills it). Each may be left empty.
//   dh  ∂Ω/∂h  (n_code, B)     added to ∂C/∂a at the code layer before its δ is formed
//   dz  ∂Ω/∂z  (n_code, B)     added to δ itself (a penalty that depends on σ'(z), e.g. contractive)
//   dW  ∂Ω/∂W  (n_code, n_in)  a direct dependence on the code layer's W (contractive: ‖W‖²)
template <typename T>
struct CodePenaltyGradient {
  T value = 0;  // Ω, added to the loss
  Matrix<T> dh, dz, dW;
};

// k-sparse: keep the k largest entries of each column of a (n, B), zero the rest; mask gets 1 at
// the kept entries. Ties go to the lower index, so the result is deterministic.
template <typename T>
void apply_top_k(Matrix<T>& a, int k, Matrix<T>& mask) {
  const Eigen::Index n = a.rows();
  mask.setZero(n, a.cols());
  if (k <= 0 || k >= n) {
    mask.setOnes();
    return;
  }
  std::vector<int> order(size_t(n), 0);
  for (Eigen::Index col = 0; col < a.cols(); ++col) {
    std::iota(order.begin(), order.end(), 0);
    std::nth_element(order.begin(), order.begin() + (k - 1), order.end(), [&](int i, int j) {
      return a(i, col) > a(j, col) || (a(i, col) == a(j, col) && i < j);
    });
    for (int r = 0; r < k; ++r) mask(order[size_t(r)], col) = T(1);
  }
  a = a.cwiseProduct(mask);
}

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
    // k-sparse: h = top_k(σ(z)); the decoder sees only the k largest code units.
    if (int(l) == model.code_layer && model.code_top_k > 0) apply_top_k(ws.acts[l].a, model.code_top_k, ws.code_mask);
    a_prev = &ws.acts[l].a;
  }
  if (model.code_top_k <= 0) ws.code_mask.resize(0, 0);
  return ws.acts.back().a;
}

// The encoder alone, layers 0..code_layer, into `acts` (and the k-sparse mask into `mask`).
template <typename T>
const Matrix<T>& encoder_forward(const Autoencoder<T>& model, const Matrix<T>& x, std::vector<DenseActivations<T>>& acts,
                                 Matrix<T>& mask) {
  acts.resize(size_t(model.code_layer) + 1);
  const Matrix<T>* a_prev = &x;
  for (int l = 0; l <= model.code_layer; ++l) {
    dense_forward(model.layers[size_t(l)], *a_prev, acts[size_t(l)]);
    if (l == model.code_layer && model.code_top_k > 0) apply_top_k(acts[size_t(l)].a, model.code_top_k, mask);
    a_prev = &acts[size_t(l)].a;
  }
  if (model.code_top_k <= 0) mask.resize(0, 0);
  return acts.back().a;
}

// Loss of the last forward pass against targets t, then backpropagation from the output layer
// down to layer 0, filling ws.deltas and ws.grads. Returns C (+ Ω when a code penalty is given).
//
// A penalty Ω(h) on the code (sparse and contractive AEs, regularizers.h) enters at the code
// layer c, before its δ is formed:
//   ∂(C + Ω)/∂hᶜ = (Wᶜ⁺¹)ᵀ δᶜ⁺¹ + ∂Ω/∂h                 (penalty->dh)
//   δᶜ = [∂(C + Ω)/∂hᶜ ⊙ mask] ⊙ σ'(zᶜ) + ∂Ω/∂z          (mask: k-sparse; penalty->dz)
//   ∇_Wᶜ = δᶜ (aᶜ⁻¹)ᵀ + ∂Ω/∂W                            (penalty->dW)
// The layers below see the combined δᶜ through the usual δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹.
template <typename T>
T backward(const Autoencoder<T>& model, const LossConfig& loss, const Matrix<T>& x, const Matrix<T>& t,
           Workspace<T>& ws, const CodePenaltyGradient<T>* penalty = nullptr) {
  const int L = int(model.layers.size());
  if (t.rows() != model.output_size() || t.cols() != x.cols())
    throw Error("target is " + std::to_string(t.rows()) + "×" + std::to_string(t.cols()) + ", the output is " +
                std::to_string(model.output_size()) + "×" + std::to_string(x.cols()));
  ws.deltas.resize(L);
  ws.grads.resize(L);
  const DenseLayer<T>& out = model.layers[L - 1];
  const DenseActivations<T>& out_act = ws.acts[L - 1];
  ws.reconstruction = loss_value(loss, out.activation, out_act.z, out_act.a, t);
  ws.loss = ws.reconstruction + (penalty ? penalty->value : T(0));

  // Output layer: δᴸ = ∇ₐC ⊙ σ'(zᴸ), or δᴸ = scale (y − t) for the fused sigmoid/cross-entropy.
  const bool fused = loss_fuses_with(loss, out.activation);
  loss_gradient(loss, out.activation, out_act.a, t, fused ? ws.deltas[L - 1] : ws.g);
  for (int l = L - 1; l >= 0; --l) {
    const Matrix<T>& a_prev = l > 0 ? ws.acts[l - 1].a : x;
    bool given = (l == L - 1) && fused;
    if (l == model.code_layer) {
      // The code layer: add ∂Ω/∂h, keep only the k-sparse units, form δ = g ⊙ σ'(z) (+ ∂Ω/∂z).
      if (penalty && penalty->dh.size() > 0) ws.g += penalty->dh;
      if (ws.code_mask.size() > 0) ws.g = ws.g.cwiseProduct(ws.code_mask);
      if (penalty && penalty->dz.size() > 0) {
        Matrix<T> dadz;
        activation_derivative(model.layers[l].activation, ws.acts[l].z, ws.acts[l].a, dadz);
        ws.deltas[l] = ws.g.cwiseProduct(dadz) + penalty->dz;
        given = true;
      }
    }
    // Hidden layers: δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹, where ws.g holds (Wˡ⁺¹)ᵀ δˡ⁺¹.
    dense_backward(model.layers[l], a_prev, ws.acts[l], ws.g, ws.deltas[l], given, ws.grads[l],
                   l > 0 ? &ws.g_prev : nullptr);
    if (l == model.code_layer && penalty && penalty->dW.size() > 0) ws.grads[l].dW += penalty->dW;
    if (l > 0) std::swap(ws.g, ws.g_prev);
  }
  // Tied weights: W is used twice (encoder layer src, and transposed in decoder layer k), so
  // ∂C/∂W = ∇_W(src) + (∇_W(k))ᵀ. The sum is stored with the source layer, which owns W.
  for (int k = 0; k < L; ++k)
    if (model.layers[k].tied_to >= 0) ws.grads[model.layers[k].tied_to].dW += ws.grads[k].dW.transpose();
  return ws.loss;
}

// Mean loss per sample C(x, g(f(input(x)))) of the model on a data set, in chunks, no gradients:
// the target is always the clean x; `input` maps a chunk x (n, count) to what the network sees —
// x itself (evaluate_loss) or a corrupted copy x̃ (regularizers.h: evaluate_loss_corrupted).
// With the batch reduction "mean" this is C over the whole set; with "sum" it is C per sample.
template <typename T, typename Input>
T evaluate_loss_of(const Autoencoder<T>& model, const LossConfig& loss, const Matrix<T>& data, Input input,
                   int chunk = 1024) {
  Workspace<T> ws;
  double total = 0;
  const Eigen::Index N = data.cols();
  if (N == 0) return T(0);
  LossConfig per_sample = loss;
  per_sample.batch = Reduction::sum;
  for (Eigen::Index start = 0; start < N; start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
    const Matrix<T> x = data.middleCols(start, count);
    forward(model, input(x), ws);
    const auto& top = ws.acts.back();
    total += double(loss_value(per_sample, model.layers.back().activation, top.z, top.a, x));
  }
  return T(total / double(N));
}

// The same with the clean inputs (targets = inputs).
template <typename T>
T evaluate_loss(const Autoencoder<T>& model, const LossConfig& loss, const Matrix<T>& data, int chunk = 1024) {
  return evaluate_loss_of(model, loss, data, [](const Matrix<T>& x) -> const Matrix<T>& { return x; }, chunk);
}

// Mean over samples of the squared reconstruction error Σᵢ (xᵢ − yᵢ)² (no ½), the usual figure
// for comparing with PCA.
template <typename T>
double mean_squared_reconstruction_error(const Autoencoder<T>& model, const Matrix<T>& data, int chunk = 1024) {
  Workspace<T> ws;
  double total = 0;
  const Eigen::Index N = data.cols();
  if (N == 0) return 0;
  for (Eigen::Index start = 0; start < N; start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
    const Matrix<T> x = data.middleCols(start, count);
    total += double((forward(model, x, ws) - x).squaredNorm());
  }
  return total / double(N);
}

// The code h = f(x) of every sample (n_code, N).
template <typename T>
Matrix<T> encode(const Autoencoder<T>& model, const Matrix<T>& x) {
  Workspace<T> ws;
  forward(model, x, ws);
  return ws.acts[model.code_layer].a;
}

// The decoder alone: y = g(h) for codes h (n_code, B).
template <typename T>
Matrix<T> decode(const Autoencoder<T>& model, const Matrix<T>& h) {
  if (h.rows() != model.code_size())
    throw Error("code has " + std::to_string(h.rows()) + " units, the model's code has " + std::to_string(model.code_size()));
  Matrix<T> a = h;
  DenseActivations<T> act;
  for (size_t l = model.code_layer + 1; l < model.layers.size(); ++l) {
    dense_forward(model.layers[l], a, act);
    a.swap(act.a);
  }
  return a;
}

// Compiled once, for float and double, in autoencoder.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_AUTOENCODER_INSTANCES(EXTERN, T) \
  EXTERN template void sync_tied_weights<T>(Autoencoder<T>&); \
  EXTERN template Autoencoder<T> make_autoencoder<T>(const Architecture&, Init, Rng&); \
  EXTERN template void apply_top_k<T>(Matrix<T>&, int, Matrix<T>&); \
  EXTERN template const Matrix<T>& forward<T>(const Autoencoder<T>&, const Matrix<T>&, Workspace<T>&); \
  EXTERN template const Matrix<T>& encoder_forward<T>(const Autoencoder<T>&, const Matrix<T>&, \
      std::vector<DenseActivations<T>>&, Matrix<T>&); \
  EXTERN template T backward<T>(const Autoencoder<T>&, const LossConfig&, const Matrix<T>&, const Matrix<T>&, \
      Workspace<T>&, const CodePenaltyGradient<T>*); \
  EXTERN template T evaluate_loss<T>(const Autoencoder<T>&, const LossConfig&, const Matrix<T>&, int); \
  EXTERN template double mean_squared_reconstruction_error<T>(const Autoencoder<T>&, const Matrix<T>&, int); \
  EXTERN template Matrix<T> encode<T>(const Autoencoder<T>&, const Matrix<T>&); \
  EXTERN template Matrix<T> decode<T>(const Autoencoder<T>&, const Matrix<T>&);
AE_AUTOENCODER_INSTANCES(extern, float)
AE_AUTOENCODER_INSTANCES(extern, double)

}  // namespace ae
