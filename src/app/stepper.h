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
//
// Besides phase by phase, the view steps whole updates: one batch (the example's inputs, all at
// once: full-batch gradient descent) or one sample (the shown column alone: SGD with M = 1), and
// runs them a few per second so the loss and the weights visibly change. Reset returns to the same
// initial weights; New seed draws fresh Glorot-uniform weights from a numbered seed (the engine's
// Rng and make_autoencoder, so a seed means the same numbers everywhere).
//
// Network drawing: a small network shows every unit and connection; a big one (more than 12 units
// in a column, more than 200 connections, or too little room for the numbers) shows each layer as
// columns of coloured cells (z, a, δ of each unit) and each W as a heatmap between them. Under each
// layer, both drawings write ‖δˡ‖ once the backward pass has reached it.
#pragma once

#include "ae/ae.h"

#include <string>
#include <vector>

namespace app {

enum class NetworkDrawing { automatic, units, blocks };

enum class PhaseKind { forward_z, forward_a, loss, output_delta, hidden_delta, gradients, update };

struct Phase {
  PhaseKind kind;
  int layer;  // engine layer index (lecture layer = layer + 1); -1 for loss/update
};

struct Stepper {
  ae::WorkedExample example;            // as loaded: the weights before the first step
  ae::Autoencoder<double> initial_model;  // what Reset returns to: the file's weights or the seed's
  long long seed = 0;                   // 0: the weights listed in the file; else Glorot uniform from this seed
  long long file_seed = 0;              // the seed the file says its weights came from ("weights_from"), if any
  ae::Autoencoder<double> model;        // the weights at the start of the step being shown
  ae::OptimizerState<double> optimizer_state;
  ae::StepTrace<double> trace;          // the step being shown
  std::vector<Phase> phases;
  int phase = -1;                       // -1: before the step; phases.size() − 1: the update
  int steps_done = 0;
  std::vector<double> loss_history;     // C (whole batch) before each update
  int sample_updates = 0;               // how many of steps_done were on one sample alone
  // Run mode: whole steps (one batch each), steps_per_second of them, while running.
  bool running = false;
  float steps_per_second = 4;
  double run_clock = 0;                 // seconds owed to run mode, carried between frames
  NetworkDrawing drawing = NetworkDrawing::automatic;
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
void stepper_reset(Stepper& s);         // back to the initial weights (the file's, or the seed's)
void stepper_next_phase(Stepper& s);    // past the update: the next step starts
void stepper_prev_phase(Stepper& s);
void stepper_finish_step(Stepper& s);   // run the remaining phases of this step at once; at the
                                        // update already: the next whole step (= step one batch)
void stepper_step_sample(Stepper& s);   // one update on the shown sample alone (M = 1), same train_step
void stepper_new_seed(Stepper& s, long long seed = 0);  // Glorot uniform from `seed` (0: the next seed), then reset
void stepper_toggle_run(Stepper& s);    // run / pause: whole steps, steps_per_second of them
void stepper_tick(Stepper& s, double seconds);  // run mode's clock; stepper_ui calls it every frame
                                                // with the frame's time, so the app need not
// The phase's name in English: the tr() key of the name on screen, and the state hook's label.
const char* phase_title(const Phase& p);
// ‖δˡ‖ = √(Σⱼ (δˡⱼ)²) of engine layer `layer` (lecture layer layer + 1) for the shown sample, once
// the backward phases have computed δˡ; −1 before that. The view writes it under each layer: the
// colours share one scale for all layers, the norms show each layer's size.
double stepper_delta_norm(const Stepper& s, int layer);

// Draws the step-through view into the current ImGui window: controls, the network, the
// equation with numbers, the layer's matrices.
void stepper_ui(Stepper& s, float ui_scale, bool dark);

}  // namespace app
