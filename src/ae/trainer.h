// trainer.h — minibatch training: shuffle each epoch, cut into batches of M samples, and for each
// batch run forward, backward and one optimizer update. Stops (and keeps the last good weights)
// when the loss or the weights stop being finite.
#pragma once

#include "autoencoder.h"
#include "optimizer.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace ae {

struct TrainConfig {
  LossConfig loss;
  OptimizerConfig optimizer;
  int batch_size = 32;  // M; M ≥ N gives full-batch gradient descent
};

template <typename T>
struct Trainer {
  Autoencoder<T> model;
  TrainConfig config;
  Matrix<T> data;                  // (n, N) the training set
  Rng rng{1};

  OptimizerState<T> optimizer_state;
  Workspace<T> ws;
  std::vector<int> order;          // this epoch's shuffled sample order
  size_t cursor = 0;               // next position in `order`
  long long steps = 0;             // optimizer updates made
  int epoch = 0;                   // completed epochs
  std::string failure;             // set when training stopped on NaN/Inf
  Matrix<T> batch;                 // scratch (n, M)

  void reset_progress() {
    optimizer_reset(optimizer_state, model);
    order.clear();
    cursor = 0;
    steps = 0;
    epoch = 0;
    failure.clear();
  }

  // One minibatch step. Returns the batch loss, or NaN when training has failed.
  T step() {
    if (!failure.empty()) return std::numeric_limits<T>::quiet_NaN();
    const int N = int(data.cols());
    if (N == 0) throw Error("training set is empty");
    if (order.empty() || cursor >= order.size()) {
      if (!order.empty()) ++epoch;
      order.resize(N);
      std::iota(order.begin(), order.end(), 0);
      for (int i = N - 1; i > 0; --i) std::swap(order[i], order[rng.below(uint64_t(i) + 1)]);  // Fisher–Yates
      cursor = 0;
    }
    const int M = std::min<int>(std::max(config.batch_size, 1), int(order.size() - cursor));
    batch.resize(data.rows(), M);
    for (int j = 0; j < M; ++j) batch.col(j) = data.col(order[cursor + j]);
    cursor += M;

    forward(model, batch, ws);
    const T loss = backward(model, config.loss, batch, batch, ws);
    if (!std::isfinite(double(loss))) {
      failure = "training stopped at step " + std::to_string(steps + 1) +
                ": the loss became " + (std::isnan(double(loss)) ? "NaN" : "infinite") +
                " (learning rate too large?). The weights are those of the last good step.";
      return loss;
    }
    const Autoencoder<T> last_good = model;
    optimizer_step(config.optimizer, optimizer_state, model, ws);
    for (const auto& layer : model.layers) {
      if (!layer.W.allFinite() || !layer.b.allFinite()) {
        model = last_good;
        failure = "training stopped at step " + std::to_string(steps + 1) +
                  ": the weights became NaN/Inf (learning rate too large?). The weights are those of the last good step.";
        return std::numeric_limits<T>::quiet_NaN();
      }
    }
    ++steps;
    return loss;
  }
};

}  // namespace ae
