// vae_trainer.h — a VAE trained step by step over a data set, as Trainer (trainer.h) does for the
// autoencoders: the same minibatch walk (MinibatchCursor), vae_train_step (vae.h) per batch, and
// the same "stop with a message and keep the last good weights" on NaN/Inf. The interface runs it
// in time slices; it records the two terms of the objective separately for the plots:
//   objective = reconstruction + β KL       (per sample, batch mean; β = 1: the negative ELBO)
#pragma once

#include "trainer.h"
#include "vae.h"

#include <limits>
#include <string>

namespace ae {

template <typename T>
struct VaeTrainer {
  Vae<T> vae;
  VaeConfig config;
  OptimizerConfig optimizer;
  int batch_size = 64;             // M; 0 or M ≥ N: full batch
  Matrix<T> data;                  // (n, N)
  Rng rng{1};                      // shuffling
  Rng noise_rng{2};                // ε of the reparameterization z = μ + σ ⊙ ε, fresh per batch

  OptimizerState<T> optimizer_state;
  VaeWorkspace<T> ws;              // ws.reconstruction, ws.kl, ws.objective: the last batch's terms
  MinibatchCursor batches;
  Matrix<T> batch;
  long long steps = 0;
  int epoch = 0;
  std::string failure;

  void reset_progress() {
    optimizer_reset(optimizer_state, vae.net);
    batches.reset();
    steps = 0;
    epoch = 0;
    failure.clear();
  }

  // One minibatch update. Returns the batch objective, or NaN once training has failed.
  T step() {
    if (!failure.empty()) return std::numeric_limits<T>::quiet_NaN();
    if (batches.next(data, batch_size, rng, batch)) ++epoch;
    if (!vae_train_step(vae, config, optimizer, optimizer_state, batch, ws, noise_rng)) {
      failure = "training stopped at step " + std::to_string(steps + 1) +
                ": the objective or the weights became NaN or infinite (is the learning rate too large?). "
                "The weights are those of the last good step.";
      return std::numeric_limits<T>::quiet_NaN();
    }
    ++steps;
    return ws.objective;
  }
};

// Compiled once, for float and double, in vae.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_VAE_TRAINER_INSTANCES(EXTERN, T) \
  EXTERN template struct VaeTrainer<T>;
AE_VAE_TRAINER_INSTANCES(extern, float)
AE_VAE_TRAINER_INSTANCES(extern, double)

}  // namespace ae
