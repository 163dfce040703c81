// stepper.h — step-through mode: one gradient-descent step of a small network, phase by phase,
// with the lecture's equations and the actual numbers plugged in.
//
// Phases of one step, for a network of L layers (lecture layers 1..L; a⁰ = x):
//   forward:   for l = 1..L:  zˡ = Wˡ aˡ⁻¹ + bˡ,  then  aˡ = σ(zˡ)
//   loss:      C(x, aᴸ)
//   deltas:    δᴸ = ∇ₐC ⊙ σ'(zᴸ),  then for l = L−1..1:  δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹
//   gradients: for l = L..1:  ∇_b C = δˡ,  ∇_W C = δˡ (aˡ⁻¹)ᵀ
//   update:    W ← W − η ∇_W C,  b ← b − η ∇_b C
// The engine computes the whole step once (train_step with a StepTrace); the phases reveal it.
#pragma once

#include "ae/ae.h"

#include <string>
#include <vector>

namespace app {

enum class PhaseKind { forward_z, forward_a, loss, output_delta, hidden_delta, gradients, update };

struct Phase {
  PhaseKind kind;
  int layer;  // engine layer index (lecture layer = layer + 1); -1 for loss/update
};

struct Stepper {
  ae::WorkedExample example;            // as loaded: the weights before the first step
  ae::Autoencoder<double> model;        // the weights at the start of the step being shown
  ae::OptimizerState<double> optimizer_state;
  ae::StepTrace<double> trace;          // the step being shown
  std::vector<Phase> phases;
  int phase = -1;                       // -1: before the step; phases.size() − 1: the update
  int steps_done = 0;
  std::vector<double> loss_history;     // C before each step
  int sample = 0;                       // which column of the batch the scalar view shows
  // The selection: a unit (layer, unit) and a weight W[layer](unit, input).
  int sel_layer = 0, sel_unit = 0, sel_input = 0;
  bool weight_selected = false;
  std::string name, error;
  bool loaded = false;
  // For tests: the phase's name and the number it highlights, exposed through the state hook.
  std::string phase_label;
  double phase_value = 0;
};

// Loads a worked example (see src/ae/worked_example.h). On error, sets stepper.error.
void stepper_load(Stepper& s, const std::string& json_text, const std::string& name);
void stepper_reset(Stepper& s);         // back to the example's weights
void stepper_next_phase(Stepper& s);    // past the update: the next step starts
void stepper_prev_phase(Stepper& s);
void stepper_finish_step(Stepper& s);   // run the remaining phases of this step at once
const char* phase_title(const Phase& p);

// Draws the step-through view into the current ImGui window: controls, the network, the
// equation with numbers, the layer's matrices.
void stepper_ui(Stepper& s, float ui_scale, bool dark);

}  // namespace app
