// trainer.h — training as in the lecture: gradient descent Δθ = −η ∇L on minibatches of M < N
// samples (M = N is full-batch gradient descent), reshuffled every epoch.
//
// train_step() is one update: forward, loss, backward, optimizer step — optionally recording
// everything into a StepTrace. The regularized family (sparse, denoising, contractive; see
// regularizers.h) is configuration of this same path (TrainConfig::regularization):
//   compute_gradients:  x̃ = corrupt(x)  →  forward(x̃)  →  Ω(h) and its pieces  →  backward with
//                       ∂Ω/∂h added at the code layer  →  (stochastic CAE: the noisy encoder pass)
//   train_step:         compute_gradients, then the optimizer.
// Trainer drives it over a data set, splits off a validation set, and stops with a message (keeping the last good weights) when the loss or the weights stop
// being finite.
#pragma once

#include "autoencoder.h"
#include "corruption.h"
#include "optimizer.h"
#include "regularizers.h"
#include "trace.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace ae {

struct TrainConfig {
  LossConfig loss;
  OptimizerConfig optimizer;
  int batch_size = 32;  // M; 0 or M ≥ N gives full-batch gradient descent
  Regularization regularization;  // denoising / sparse / contractive (all off by default)
};

// Whether the settings draw random numbers in a step (corruption, stochastic contractive noise).
template <typename T>
bool needs_noise(const Autoencoder<T>& model, const Regularization& r) {
  return r.corruption.active() ||
         (r.contractive.weight > 0.0 && contractive_form_for(model, r.contractive) == ContractiveForm::stochastic);
}

// The objective C(t, y) + Ω(h) on the batch x (targets t) and its gradient in ws.grads, without
// changing the weights. `noise` supplies the corruption and the stochastic contractive ε (it may
// be null when neither is configured). Returns the objective; ws.reconstruction, ws.sparsity_penalty
// and ws.contractive_penalty hold its parts. The network's actual input is ws.corrupted when
// denoising, else x.
template <typename T>
T compute_gradients(Autoencoder<T>& model, const TrainConfig& config, const Matrix<T>& x, const Matrix<T>& t,
                    Workspace<T>& ws, Rng* noise) {
  const Regularization& r = config.regularization;
  apply_model_settings(model, r);
  const Matrix<T>* input = &x;
  if (r.corruption.active()) {  // denoising: x̃ ~ C(x̃|x) fresh for this batch; the target stays t (clean)
    if (!noise) throw Error("corrupting the input needs a random number generator");
    corrupt(r.corruption, x, ws.corrupted, *noise);
    input = &ws.corrupted;
  }
  forward(model, *input, ws);
  const bool penalized = r.sparsity.kind == SparsityKind::l1 || r.sparsity.kind == SparsityKind::kl ||
                         r.contractive.weight > 0.0;
  if (!penalized) {
    ws.sparsity_penalty = ws.contractive_penalty = 0;
    return backward(model, config.loss, *input, t, ws);
  }
  CodePenaltyGradient<T> penalty;
  code_penalties(model, r, config.loss, *input, ws, noise, penalty);
  const T objective = backward(model, config.loss, *input, t, ws, &penalty);
  if (r.contractive.weight > 0.0 && contractive_form_for(model, r.contractive) == ContractiveForm::stochastic)
    contractive_noisy_backward(model, r, config.loss, ws);
  return objective;
}

// The outcome of one update.
enum class StepStatus { ok, non_finite_loss, non_finite_weights };

// One gradient-descent update on the batch x with targets t. On a non-finite loss nothing is
// changed; on non-finite weights after the update the previous weights are restored.
// `noise` is needed only by the stochastic variants (corruption, stochastic contractive); Trainer
// passes its own seeded noise_rng.
template <typename T>
StepStatus train_step(Autoencoder<T>& model, const TrainConfig& config, OptimizerState<T>& state, const Matrix<T>& x,
                      const Matrix<T>& t, Workspace<T>& ws, StepTrace<T>* trace = nullptr, Rng* noise = nullptr) {
  if (trace) {
    trace->step = state.t + 1;
    trace->clean_input = x;
    trace->target = t;
    trace->layers.resize(model.layers.size());
    for (size_t l = 0; l < model.layers.size(); ++l) {
      trace->layers[l].activation = model.layers[l].activation;
      trace->layers[l].tied_to = model.layers[l].tied_to;
      trace->layers[l].W_before = model.layers[l].W;
      trace->layers[l].b_before = model.layers[l].b;
    }
  }
  const T loss = compute_gradients(model, config, x, t, ws, noise);
  if (trace) {
    trace->input = config.regularization.corruption.active() ? ws.corrupted : x;
    trace->loss = loss;
    trace->reconstruction = ws.reconstruction;
    trace->sparsity_penalty = ws.sparsity_penalty;
    trace->contractive_penalty = ws.contractive_penalty;
    trace->code_mask = ws.code_mask;
    for (size_t l = 0; l < model.layers.size(); ++l) {
      trace->layers[l].z = ws.acts[l].z;
      trace->layers[l].a = ws.acts[l].a;
      trace->layers[l].delta = ws.deltas[l];
      trace->layers[l].dW = ws.grads[l].dW;
      trace->layers[l].db = ws.grads[l].db;
    }
  }
  if (!std::isfinite(double(loss))) return StepStatus::non_finite_loss;

  // A diverging update is undone ("keep the last good weights"): the update keeps the weights it
  // replaces (swapped, not copied: optimizer.h) and puts them back when a new one is not finite.
  if (!optimizer_step_keeping(config.optimizer, state, model, ws, ws.previous)) {
    optimizer_undo(model, ws.previous);
    return StepStatus::non_finite_weights;
  }
  if (trace)
    for (size_t l = 0; l < model.layers.size(); ++l) {
      trace->layers[l].W_after = model.layers[l].W;
      trace->layers[l].b_after = model.layers[l].b;
    }
  return StepStatus::ok;
}

// order = a uniformly random permutation of 0..N−1 (Fisher–Yates, drawing from the seeded rng).
inline void shuffled_indices(int N, Rng& rng, std::vector<int>& order) {
  order.resize(size_t(N));
  std::iota(order.begin(), order.end(), 0);
  for (int i = N - 1; i > 0; --i) std::swap(order[size_t(i)], order[rng.below(uint64_t(i) + 1)]);
}

// Walks a data set in minibatches of M samples, reshuffled every epoch — the "for each epoch,
// shuffle, then take M at a time" of the lecture, shared by every trainer (Trainer, VaeTrainer).
struct MinibatchCursor {
  std::vector<int> order;  // this epoch's shuffled sample order
  size_t cursor = 0;       // next position in `order`

  void reset() {
    order.clear();
    cursor = 0;
  }
  bool epoch_finished() const { return !order.empty() && cursor >= order.size(); }

  // Copies the next batch (M ≤ 0: all N, full-batch gradient descent) of data's columns into
  // `batch`. Returns true when this call started a new epoch after a finished one.
  template <typename T>
  bool next(const Matrix<T>& data, int M, Rng& rng, Matrix<T>& batch) {
    const int N = int(data.cols());
    if (N == 0) throw Error("the training set is empty");
    bool new_epoch = false;
    if (order.empty() || cursor >= order.size()) {
      new_epoch = !order.empty();
      shuffled_indices(N, rng, order);
      cursor = 0;
    }
    const int wanted = M <= 0 ? N : M;
    const int count = std::min<int>(wanted, int(order.size() - cursor));
    batch.resize(data.rows(), count);
    // batch.col(j) = data.col(order[cursor + j]), on the kernels' threads when there are several
    kernels::gather_columns(int(data.rows()), count, data.data(), order.data() + cursor, batch.data());
    cursor += size_t(count);
    return new_epoch;
  }

  // The data indices (columns) of the batch the last next() copied; `count` = its size.
  const int* last_batch_indices(int count) const { return order.data() + (cursor - size_t(count)); }
};

// Splits the columns of `data` (and labels, when given) into a training and a validation part:
// a seeded random permutation, the last round(fraction · N) samples become the validation set.
template <typename T>
void split_train_validation(const Matrix<T>& data, const std::vector<int>& labels, double fraction, Rng& rng,
                            Matrix<T>& train, std::vector<int>& train_labels, Matrix<T>& validation,
                            std::vector<int>& validation_labels) {
  if (!(fraction >= 0.0 && fraction < 1.0)) throw Error("the validation fraction must be in [0, 1)");
  const int N = int(data.cols());
  std::vector<int> order;
  shuffled_indices(N, rng, order);
  const int n_val = int(std::lround(fraction * N));
  if (N - n_val < 1) throw Error("the validation split leaves no training samples");
  const bool has_labels = !labels.empty();
  train.resize(data.rows(), N - n_val);
  validation.resize(data.rows(), n_val);
  train_labels.clear();
  validation_labels.clear();
  for (int j = 0; j < N; ++j) {
    const int src = order[j];
    if (j < N - n_val) {
      train.col(j) = data.col(src);
      if (has_labels) train_labels.push_back(labels[src]);
    } else {
      validation.col(j - (N - n_val)) = data.col(src);
      if (has_labels) validation_labels.push_back(labels[src]);
    }
  }
}

template <typename T>
struct Trainer {
  Autoencoder<T> model;
  TrainConfig config;
  Matrix<T> data;                  // (n, N) the training set; targets are the inputs
  Rng rng{1};                      // shuffling
  Rng noise_rng{2};                // corruption and stochastic-contractive noise, fresh per batch

  OptimizerState<T> optimizer_state;
  Workspace<T> ws;
  MinibatchCursor batches;         // this epoch's shuffled order and position in it
  long long steps = 0;             // optimizer updates made
  int epoch = 0;                   // completed epochs
  double epoch_loss_sum = 0;       // Σ batch loss × batch size, this epoch so far (objective C + Ω)
  double epoch_reconstruction_sum = 0;  // … of the reconstruction term C alone
  double epoch_penalty_sum = 0;         // … of the penalties Ω (sparsity + contractive)
  long long epoch_samples = 0;
  double last_epoch_loss = std::numeric_limits<double>::quiet_NaN();  // mean batch loss of the last full epoch
  std::string failure;             // set when training stopped on NaN/Inf
  Matrix<T> batch;                 // scratch (n, M)
  StepTrace<T>* trace = nullptr;   // when set, the next steps are recorded into it

  void reset_progress() {
    optimizer_reset(optimizer_state, model);
    batches.reset();
    steps = 0;
    epoch = 0;
    epoch_loss_sum = 0;
    epoch_reconstruction_sum = 0;
    epoch_penalty_sum = 0;
    epoch_samples = 0;
    last_epoch_loss = std::numeric_limits<double>::quiet_NaN();
    failure.clear();
  }

  bool epoch_finished() const { return batches.epoch_finished(); }

  // One minibatch step. Returns the batch loss, or NaN when training has failed.
  T step() {
    if (!failure.empty()) return std::numeric_limits<T>::quiet_NaN();
    if (batches.next(data, config.batch_size, rng, batch)) {  // an epoch ended: close its figures
      ++epoch;
      last_epoch_loss = epoch_samples > 0 ? epoch_loss_sum / double(epoch_samples) : last_epoch_loss;
      epoch_loss_sum = 0;
      epoch_reconstruction_sum = 0;
      epoch_penalty_sum = 0;
      epoch_samples = 0;
    }
    const int M = int(batch.cols());

    const StepStatus status = train_step(model, config, optimizer_state, batch, batch, ws, trace, &noise_rng);
    if (status != StepStatus::ok) {
      failure = "training stopped at step " + std::to_string(steps + 1) + ": " +
                (status == StepStatus::non_finite_loss ? "the loss became NaN or infinite"
                                                       : "the weights became NaN or infinite") +
                " (is the learning rate too large?). The weights are those of the last good step.";
      return std::numeric_limits<T>::quiet_NaN();
    }
    ++steps;
    epoch_loss_sum += double(ws.loss) * M;
    epoch_reconstruction_sum += double(ws.reconstruction) * M;
    epoch_penalty_sum += double(ws.sparsity_penalty + ws.contractive_penalty) * M;
    epoch_samples += M;
    return ws.loss;
  }

  // Runs steps until the current epoch is complete (or training fails). Returns the epoch's
  // mean batch loss (weighted by batch size), as Keras and most tutorials report it.
  double finish_epoch() {
    do step();
    while (failure.empty() && !epoch_finished());
    return epoch_samples > 0 ? epoch_loss_sum / double(epoch_samples) : std::numeric_limits<double>::quiet_NaN();
  }
};

// Compiled once, for float and double, in trainer.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_TRAINER_INSTANCES(EXTERN, T) \
  EXTERN template T compute_gradients<T>(Autoencoder<T>&, const TrainConfig&, const Matrix<T>&, const Matrix<T>&, \
      Workspace<T>&, Rng*); \
  EXTERN template StepStatus train_step<T>(Autoencoder<T>&, const TrainConfig&, OptimizerState<T>&, \
      const Matrix<T>&, const Matrix<T>&, Workspace<T>&, StepTrace<T>*, Rng*); \
  EXTERN template void split_train_validation<T>(const Matrix<T>&, const std::vector<int>&, double, Rng&, \
      Matrix<T>&, std::vector<int>&, Matrix<T>&, std::vector<int>&); \
  EXTERN template struct Trainer<T>;
AE_TRAINER_INSTANCES(extern, float)
AE_TRAINER_INSTANCES(extern, double)

}  // namespace ae
