// trace.h — a record of every number one training step computes, for the step-through UI, the
// `aelab step` command and the worked-example tests.
//
// Recording is opt-in: train_step() fills a StepTrace only when handed one, so the ordinary
// training path pays nothing (one null-pointer test per step).
#pragma once

#include "autoencoder.h"

#include <vector>

namespace ae {

template <typename T>
struct LayerTrace {
  Activation activation = Activation::linear;
  int tied_to = -1;
  Matrix<T> W_before;  // (n_out, n_in)  Wˡ used in this step's forward pass
  Vector<T> b_before;  // (n_out)
  Matrix<T> z;         // (n_out, B)     zˡ = Wˡ aˡ⁻¹ + bˡ
  Matrix<T> a;         // (n_out, B)     aˡ = σ(zˡ)
  Matrix<T> delta;     // (n_out, B)     δˡ
  Matrix<T> dW;        // (n_out, n_in)  ∇_W C = δˡ (aˡ⁻¹)ᵀ (for a tied source: the sum of both uses)
  Vector<T> db;        // (n_out)        ∇_b C = δˡ 1
  Matrix<T> W_after;   // (n_out, n_in)  after the optimizer's update
  Vector<T> b_after;   // (n_out)
};

template <typename T>
struct StepTrace {
  long long step = 0;           // 1-based index of this update
  Matrix<T> input;              // (n_0, B) what the network saw (corrupted input, when denoising)
  Matrix<T> target;             // (n_L, B) what the output is compared with
  T loss = 0;                   // C before the update (the objective: reconstruction + penalties)
  // The variants (regularizers.h): the parts of `loss`, the clean input and the k-sparse mask.
  Matrix<T> clean_input;        // (n_0, B) x before corruption (= input when not denoising)
  T reconstruction = 0;         // C(t, y)
  T sparsity_penalty = 0;       // λ Σ|h| or β Σⱼ KL(ρ ‖ ρ̂ⱼ)
  T contractive_penalty = 0;    // λ ‖∂h/∂x‖²_F (exact or stochastic)
  Matrix<T> code_mask;          // (n_code, B) k-sparse: 1 = kept (empty when not k-sparse)
  std::vector<LayerTrace<T>> layers;
};

}  // namespace ae
