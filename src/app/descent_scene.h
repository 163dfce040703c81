// descent_scene.h — gradient descent itself, on a map the learner can see.
//
// A small autoencoder is first trained on toy data (Adam, until its loss settles). Then two of its
// weights — a = W¹₁₁, the first weight of the encoder, and b = Wᴸ₁₁, the first weight of the
// decoder — are set back to a starting point and learn alone, by plain gradient descent, while
// every other weight stays at its trained value. The loss over those two weights,
//     L(a, b) = (1/N) Σₙ ½‖xₙ − g(f(xₙ; a), b)‖²,
// is then an exact picture: a map of L over the (a, b) plane with the path of the steps on it.
//
// Each step θ ← θ − η g uses the gradient g of a minibatch of M samples (M = N: the full
// gradient ∇L). To first order the loss changes by
//     ΔL ≈ −η ∇L · g        (M = N: ΔL ≈ −η‖∇L‖²),
// shown next to the actual ΔL: close for a small η, far apart where the step overshoots, and a
// step whose loss or weights stop being finite is refused (the last good weights stay).
// The spread of minibatch gradients around ∇L is drawn at the current point: it shrinks as M
// grows and is zero at M = N.
#pragma once

#include "ae/ae.h"
#include "app/scene_settings.h"
#include "app/training_panel.h"

#include <imgui.h>

#include <string>
#include <vector>

namespace app {

struct DescentScene {
  DescentSettings settings;
  ae::Autoencoder<float> model;   // float, as everywhere in the lab: a diverging step overflows to ∞ soon
  ae::LossConfig loss;
  ae::Matrix<float> data;         // (dim, N)
  std::vector<float> intrinsic;    // the manifold coordinate of each point (colour)
  double trained_a = 0, trained_b = 0, trained_loss = 0;  // where Adam left the two weights
  double a = 0, b = 0, loss_now = 0;                      // the current point

  // The map: L on a grid over [−extent, extent]² (row-major, b rows from the top), its range.
  static constexpr int kGrid = 64;
  std::vector<double> map;
  double map_lo = 0, map_hi = 1;

  // The path and the last steps.
  struct Step {
    double loss_before = 0, predicted = 0, actual = 0;  // ΔL predicted (−η ∇L·g) and actual
    double eta = 0;
    int batch = 0;
  };
  std::vector<ImVec2> path;        // (a, b) after each step, the start first
  std::vector<Step> steps;
  int steps_done = 0;
  bool running = false;
  double last_step_time = -1;
  std::string stopped;             // why the last step was refused (non-finite), empty else

  // The minibatch gradients at the current point (for the spread), and the full one.
  std::vector<ImVec2> minibatch_gradients;
  ImVec2 full_gradient{0, 0};
  double spread = 0;               // √(mean ‖g_M − ∇L‖²) / ‖∇L‖, 0 at M = N
  int spread_batch = -1;           // the M it was measured at (re-measured when M or the point moves)

  ae::Rng rng{1};
  std::string error;               // a setting that could not be built
  // For tests: the controls on screen.
  WidgetRect step_button, run_button, reset_button, eta_slider, batch_slider, map_rect;
};

// Builds the data and the network, trains it, and puts the two weights at the start point.
void descent_reset(DescentScene& s);
// The side panel's controls (η, M, step, run, reset) and the step table.
void descent_controls(DescentScene& s);
// The map, the path and the minibatch gradients.
void descent_ui(DescentScene& s, float ui_scale, bool dark);
// Runs the steps due this frame while running.
void descent_frame(DescentScene& s);
// One gradient-descent step of the two weights; false when it was refused (non-finite).
bool descent_step(DescentScene& s);

}  // namespace app
