// stacked.h — stacked autoencoders: greedy layer-wise pretraining, unrolled fine-tuning, and a
// softmax classifier on top of the pretrained encoder.
//
// 1. Greedy layer-wise pretraining. Layer 1 is trained as a one-hidden-layer autoencoder of x;
//    then its codes h¹ = f₁(x) are the data for layer 2's autoencoder, and so on:
//        x ──AE₁──▶ h¹ ──AE₂──▶ h² ──▶ …        each AEₖ: hᵏ = σ(Wₖ hᵏ⁻¹ + bₖ), ĥᵏ⁻¹ = σ'(W'ₖ hᵏ + b'ₖ)
//    Each one is trained by the ordinary Trainer (trainer.h), so its TrainConfig may corrupt the
//    input: with corruption this is the stacked DENOISING autoencoder (each layer denoises the
//    codes of the one below; only the training input is corrupted, the codes passed up are clean).
// 2. (a) Unrolled fine-tuning: encoders W₁ … W_L and decoders W'_L … W'₁ become one deep
//    autoencoder x → h¹ → … → hᴸ → … → x̂, trained end to end by backprop.
//    (b) Classifier: the decoders are dropped and a softmax layer p = softmax(W_c hᴸ + b_c) is put on
//    the code; the whole network is fine-tuned on the labels with the cross-entropy
//        C = −(1/B) Σ_b log p_{label_b}        δ_out = (p − onehot(label)) / B
//    (the softmax analogue of the fused sigmoid/cross-entropy δ = y − t), then backprop as usual.
// Its baseline is the same network from random initialisation trained with the same supervised
// budget (epochs, batch, optimizer) — what pretraining buys.
#pragma once

#include "autoencoder.h"
#include "optimizer.h"
#include "trainer.h"

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace ae {

// ---- 1. greedy layer-wise pretraining ---------------------------------------------------------

// One layer's autoencoder: input n_in (the codes below) → spec → n_in. Its output activation and
// loss: sigmoid + `loss` when the inputs lie in [0, 1] (pixels, sigmoid codes), else linear +
// squared error.
template <typename T>
struct LayerwiseResult {
  std::vector<DenseLayer<T>> encoders;  // W₁ … W_L (each layer 0 of its AE)
  std::vector<DenseLayer<T>> decoders;  // W'₁ … W'_L (each layer 1 of its AE)
  std::vector<double> final_losses;     // each AE's last epoch loss (its reconstruction of the layer below)
};

// The trainer of layer k's autoencoder on `input` (the codes below it, or the data for k = 0),
// ready to step: input → spec → input, sigmoid output + config's loss when the inputs lie in [0, 1],
// else linear output + squared error; config's corruption makes it denoising.
template <typename T>
Trainer<T> layer_autoencoder_trainer(const Matrix<T>& input, const LayerSpec& spec, const TrainConfig& config, uint64_t seed,
                                     size_t k) {
  const bool unit_range = input.minCoeff() >= T(0) && input.maxCoeff() <= T(1);
  Architecture arch;
  arch.input_size = int(input.rows());
  arch.layers = {spec, {int(input.rows()), unit_range ? Activation::sigmoid : Activation::linear}};
  arch.code_layer = 0;
  Rng init_rng(seed + 101 * (k + 1));
  Trainer<T> trainer;
  const bool relu = spec.activation == Activation::relu || spec.activation == Activation::leaky_relu;
  trainer.model = make_autoencoder<T>(arch, relu ? Init::he_normal : Init::glorot_uniform, init_rng);
  trainer.data = input;
  trainer.config = config;
  if (!unit_range) trainer.config.loss.kind = LossKind::squared_error;
  trainer.rng.reseed(seed * 31 + k);
  trainer.noise_rng.reseed(seed * 57 + k);
  trainer.reset_progress();
  return trainer;
}

// Trains the layers one after the other on `data` (n, N). `config` is each layer AE's TrainConfig
// (corruption in it makes the stack denoising). `on_epoch(layer, epoch, loss)` reports progress.
template <typename T>
LayerwiseResult<T> pretrain_layerwise(const Matrix<T>& data, const std::vector<LayerSpec>& layers, const TrainConfig& config,
                                      int epochs, uint64_t seed,
                                      const std::function<void(int, int, double)>& on_epoch = nullptr) {
  LayerwiseResult<T> result;
  Matrix<T> input = data;
  for (size_t k = 0; k < layers.size(); ++k) {
    Trainer<T> trainer = layer_autoencoder_trainer(input, layers[k], config, seed, k);
    double loss = 0;
    for (int e = 1; e <= epochs; ++e) {
      loss = trainer.finish_epoch();
      if (!trainer.failure.empty()) throw Error("pretraining layer " + std::to_string(k + 1) + ": " + trainer.failure);
      if (on_epoch) on_epoch(int(k) + 1, e, loss);
    }
    result.final_losses.push_back(loss);
    result.encoders.push_back(trainer.model.layers[0]);
    result.decoders.push_back(trainer.model.layers[1]);
    input = encode(trainer.model, input);  // the clean codes are the next layer's data
  }
  return result;
}

// 2(a). The unrolled deep autoencoder: encoders, then the decoders in reverse order.
template <typename T>
Autoencoder<T> unroll(const LayerwiseResult<T>& stack) {
  Autoencoder<T> model;
  for (const auto& l : stack.encoders) model.layers.push_back(l);
  for (size_t k = stack.decoders.size(); k-- > 0;) model.layers.push_back(stack.decoders[k]);
  model.code_layer = int(stack.encoders.size()) - 1;
  return model;
}

// ---- 2(b). the softmax classifier ---------------------------------------------------------------

// Layers: the encoder (hidden layers) and a final linear layer whose outputs are the logits;
// p = softmax(logits). Kept as an Autoencoder<T> (a stack of dense layers) so that the ordinary
// optimizer_step updates it.
template <typename T>
struct Classifier {
  Autoencoder<T> net;
  int num_classes() const { return net.layers.back().n_out(); }
};

// On top of pretrained encoder layers (or, with `encoders` built by make_dense, a random network).
template <typename T>
Classifier<T> make_classifier(const std::vector<DenseLayer<T>>& encoders, int num_classes, Rng& rng) {
  if (encoders.empty()) throw Error("a classifier needs at least one encoder layer");
  Classifier<T> c;
  c.net.layers = encoders;
  for (auto& l : c.net.layers) l.tied_to = -1;
  DenseLayer<T> out;
  out.activation = Activation::linear;  // logits; the softmax is part of the loss
  const int n_in = encoders.back().n_out();
  out.W.resize(num_classes, n_in);
  out.b = Vector<T>::Zero(num_classes);
  const double r = std::sqrt(6.0 / double(n_in + num_classes));
  for (Eigen::Index i = 0; i < out.W.size(); ++i) out.W.data()[i] = T(rng.uniform(-r, r));
  c.net.layers.push_back(out);
  c.net.code_layer = int(encoders.size()) - 1;
  return c;
}

// The same shapes and activations as `encoders`, from random initialisation (Glorot / He).
template <typename T>
std::vector<DenseLayer<T>> random_encoders(int input_size, const std::vector<LayerSpec>& layers, Rng& rng) {
  std::vector<DenseLayer<T>> out;
  int n_in = input_size;
  for (const auto& spec : layers) {
    DenseLayer<T> l;
    l.activation = spec.activation;
    l.W.resize(spec.size, n_in);
    l.b = Vector<T>::Zero(spec.size);
    const bool he = spec.activation == Activation::relu || spec.activation == Activation::leaky_relu;
    const double r = std::sqrt(6.0 / double(n_in + spec.size)), sd = std::sqrt(2.0 / double(n_in));
    for (Eigen::Index i = 0; i < l.W.size(); ++i) l.W.data()[i] = T(he ? rng.normal(0.0, sd) : rng.uniform(-r, r));
    out.push_back(std::move(l));
    n_in = spec.size;
  }
  return out;
}

// p = softmax(z) per column, computed as exp(z − max z) / Σ exp(z − max z) (no overflow).
template <typename T>
Matrix<T> softmax_columns(const Matrix<T>& z) {
  Matrix<T> p(z.rows(), z.cols());
  for (Eigen::Index c = 0; c < z.cols(); ++c) {
    const T m = z.col(c).maxCoeff();
    p.col(c) = (z.col(c).array() - m).exp().matrix();
    p.col(c) /= p.col(c).sum();
  }
  return p;
}

// Forward + cross-entropy C = −(1/B) Σ_b log p_{label_b}; with `ws` gradients wanted, backward too:
//   δ_out = (p − onehot) / B,  then δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹ as always. Returns C.
template <typename T>
T classifier_loss(const Classifier<T>& c, const Matrix<T>& x, const std::vector<int>& labels, Workspace<T>& ws,
                  bool want_gradients) {
  const int L = int(c.net.layers.size());
  if (int(labels.size()) != x.cols()) throw Error("classifier: one label per sample needed");
  ws.acts.resize(size_t(L));
  const Matrix<T>* a = &x;
  for (int l = 0; l < L; ++l) {
    dense_forward(c.net.layers[size_t(l)], *a, ws.acts[size_t(l)]);
    a = &ws.acts[size_t(l)].a;
  }
  const Matrix<T>& logits = ws.acts.back().z;
  const T B = T(x.cols());
  T loss = 0;
  Matrix<T> p = softmax_columns(logits);
  for (Eigen::Index b = 0; b < x.cols(); ++b) {
    const int y = labels[size_t(b)];
    if (y < 0 || y >= c.num_classes()) throw Error("classifier: label " + std::to_string(y) + " out of range");
    // −log p_y = log Σ exp(z) − z_y, from the shifted logits (never log 0)
    const T m = logits.col(b).maxCoeff();
    loss += std::log((logits.col(b).array() - m).exp().sum()) + m - logits(y, b);
    p(y, b) -= T(1);  // p − onehot
  }
  loss /= B;
  ws.loss = loss;
  if (!want_gradients) return loss;
  ws.deltas.resize(size_t(L));
  ws.grads.resize(size_t(L));
  ws.deltas[size_t(L - 1)] = p / B;  // δ_out = (p − onehot) / B
  for (int l = L - 1; l >= 0; --l) {
    const Matrix<T>& a_prev = l > 0 ? ws.acts[size_t(l - 1)].a : x;
    dense_backward(c.net.layers[size_t(l)], a_prev, ws.acts[size_t(l)], ws.g, ws.deltas[size_t(l)], l == L - 1,
                   ws.grads[size_t(l)], l > 0 ? &ws.g_prev : nullptr);
    if (l > 0) std::swap(ws.g, ws.g_prev);
  }
  return loss;
}

// Predicted class per sample (argmax of the logits).
template <typename T>
std::vector<int> classifier_predict(const Classifier<T>& c, const Matrix<T>& x, int chunk = 2048) {
  std::vector<int> out;
  out.reserve(size_t(x.cols()));
  for (Eigen::Index start = 0; start < x.cols(); start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, x.cols() - start);
    Matrix<T> a = x.middleCols(start, count);
    DenseActivations<T> act;
    for (const auto& l : c.net.layers) {
      dense_forward(l, a, act);
      a.swap(act.a);
    }
    for (Eigen::Index b = 0; b < count; ++b) {
      Eigen::Index best;
      a.col(b).maxCoeff(&best);
      out.push_back(int(best));
    }
  }
  return out;
}

template <typename T>
double classifier_accuracy(const Classifier<T>& c, const Matrix<T>& x, const std::vector<int>& labels) {
  const std::vector<int> predicted = classifier_predict(c, x);
  if (predicted.empty()) return 0;
  size_t right = 0;
  for (size_t i = 0; i < predicted.size(); ++i) right += predicted[i] == labels[i];
  return double(right) / double(predicted.size());
}

// Supervised training step by step (the interface runs it in time slices): shuffled minibatches
// of (x, label) through classifier_loss and the optimizer. A NaN/Inf loss stops it with a message.
template <typename T>
struct ClassifierTrainer {
  Classifier<T> classifier;
  OptimizerConfig optimizer;
  int batch_size = 64;             // M; 0 or M ≥ N: full batch
  Matrix<T> data;                  // (n, N)
  std::vector<int> labels;         // N class indices
  Rng rng{1};                      // shuffling

  OptimizerState<T> state;
  Workspace<T> ws;
  MinibatchCursor batches;
  Matrix<T> batch;
  std::vector<int> batch_labels;
  long long steps = 0;
  int epoch = 0;                   // completed epochs
  std::string failure;

  void reset_progress() {
    optimizer_reset(state, classifier.net);
    batches.reset();
    steps = 0;
    epoch = 0;
    failure.clear();
  }

  // One minibatch update; returns its cross-entropy (NaN once training has failed).
  T step() {
    if (!failure.empty()) return std::numeric_limits<T>::quiet_NaN();
    if (int(labels.size()) != data.cols()) throw Error("classifier training: one label per sample needed");
    if (batches.next(data, batch_size, rng, batch)) ++epoch;
    const int count = int(batch.cols());
    const int* index = batches.last_batch_indices(count);
    batch_labels.resize(size_t(count));
    for (int j = 0; j < count; ++j) batch_labels[size_t(j)] = labels[size_t(index[j])];
    const T loss = classifier_loss(classifier, batch, batch_labels, ws, true);
    if (!std::isfinite(double(loss))) {
      failure = "classifier training stopped at step " + std::to_string(steps + 1) +
                ": the loss became NaN or infinite (learning rate too large?)";
      return loss;
    }
    optimizer_step(optimizer, state, classifier.net, ws);
    ++steps;
    return loss;
  }
};

// Supervised training: `epochs` passes of shuffled minibatches; returns the last epoch's mean loss.
// on_epoch(epoch, loss, classifier) sees the classifier as it is after that epoch (`c` itself is
// only written back at the end).
template <typename T>
double train_classifier(Classifier<T>& c, const Matrix<T>& x, const std::vector<int>& labels, const OptimizerConfig& opt,
                        int batch_size, int epochs, Rng& rng,
                        const std::function<void(int, double, const Classifier<T>&)>& on_epoch = nullptr) {
  ClassifierTrainer<T> trainer;
  trainer.classifier = std::move(c);
  trainer.optimizer = opt;
  trainer.batch_size = batch_size;
  trainer.data = x;
  trainer.labels = labels;
  trainer.rng = rng;
  trainer.reset_progress();
  double epoch_loss = 0;
  for (int e = 1; e <= epochs; ++e) {
    double sum = 0;
    long long samples = 0;
    do {
      const T loss = trainer.step();
      if (!trainer.failure.empty()) throw Error(trainer.failure);
      sum += double(loss) * double(trainer.batch.cols());
      samples += trainer.batch.cols();
    } while (!trainer.batches.epoch_finished());
    epoch_loss = sum / double(samples);
    if (on_epoch) on_epoch(e, epoch_loss, trainer.classifier);
  }
  c = std::move(trainer.classifier);
  rng = trainer.rng;
  return epoch_loss;
}

// Compiled once, for float and double, in stacked.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_STACKED_INSTANCES(EXTERN, T) \
  EXTERN template Trainer<T> layer_autoencoder_trainer<T>(const Matrix<T>&, const LayerSpec&, const TrainConfig&, \
      uint64_t, size_t); \
  EXTERN template LayerwiseResult<T> pretrain_layerwise<T>(const Matrix<T>&, const std::vector<LayerSpec>&, \
      const TrainConfig&, int, uint64_t, const std::function<void(int, int, double)>&); \
  EXTERN template Autoencoder<T> unroll<T>(const LayerwiseResult<T>&); \
  EXTERN template Classifier<T> make_classifier<T>(const std::vector<DenseLayer<T>>&, int, Rng&); \
  EXTERN template std::vector<DenseLayer<T>> random_encoders<T>(int, const std::vector<LayerSpec>&, Rng&); \
  EXTERN template Matrix<T> softmax_columns<T>(const Matrix<T>&); \
  EXTERN template T classifier_loss<T>(const Classifier<T>&, const Matrix<T>&, const std::vector<int>&, \
      Workspace<T>&, bool); \
  EXTERN template std::vector<int> classifier_predict<T>(const Classifier<T>&, const Matrix<T>&, int); \
  EXTERN template double classifier_accuracy<T>(const Classifier<T>&, const Matrix<T>&, const std::vector<int>&); \
  EXTERN template double train_classifier<T>(Classifier<T>&, const Matrix<T>&, const std::vector<int>&, \
      const OptimizerConfig&, int, int, Rng&, const std::function<void(int, double, const Classifier<T>&)>&); \
  EXTERN template struct ClassifierTrainer<T>;
AE_STACKED_INSTANCES(extern, float)
AE_STACKED_INSTANCES(extern, double)

}  // namespace ae
