// training_panel.h — the training panel shared by the toy-manifold and MNIST scenes: which member
// of the autoencoder family is trained (plain, sparse L1 / KL / k-sparse, denoising, contractive,
// VAE), its sliders, the optimizer, the loss and an architecture editor; plus the training curves
// (objective, reconstruction, penalty or KL, validation) and the code-unit activation plot.
//
// What applies live and what restarts: everything the optimizer or the penalties read at each step
// (η, M, optimizer, corruption, λ, ρ, β, k) changes the running training at the next step — turn
// sparsity on mid-run and watch the code activations fall. What changes the network's shape or its
// initialisation (layers, sizes, activations, tied weights, plain ↔ VAE, seed) restarts training
// from new weights, and the panel says so next to each such control.
#pragma once

#include "ae/ae.h"
#include "app/scene_settings.h"
#include "app/i18n.h"

#include <imgui.h>

#include <cmath>
#include <string>
#include <vector>

namespace app {

// A widget's place on screen, in the same (CSS) pixels as mouse events: exposed to tests so
// they can click or drag the real widget.
struct WidgetRect {
  float x = 0, y = 0, w = 0, h = 0;
};
// The rectangle of the last ImGui item.
WidgetRect last_item_rect();

// The variant's name in English (the state hook for the tests, logs).
const char* variant_title(Variant v);
// The same name in the UI language (the panel, the scenes).
const char* variant_label(Variant v);

// The optimizer's and the loss's names in the UI language ("SGD", "momentum"/"모멘텀", "Adam";
// "squared error", "cross-entropy"), for the panel's combos and the step-through's summary.
const char* optimizer_label(ae::OptimizerKind kind);
const char* loss_label(ae::LossKind kind);

// A corruption process's name in the UI language ("masking", "Gaussian noise", …).
const char* corruption_label(ae::CorruptionKind kind);

// The β-VAE objective E_q[−log p(x|z)] + β KL(q(z|x) ‖ N(0, I)) is the negative ELBO only at β = 1.
inline bool vae_objective_is_elbo(double beta) { return std::abs(beta - 1.0) < 1e-6; }

// A combo of the activation functions (linear, sigmoid, tanh, ReLU, leaky ReLU, softplus), in the
// UI language. Returns true when the user picked another one.
bool activation_combo(const char* label, ae::Activation& f);
// SGD / momentum / Adam; true when the choice changed.
bool optimizer_combo(const char* label, ae::OptimizerKind& kind);

struct PanelOptions {
  bool image_data = true;      // pixels in [0, 1] (masking makes sense) or points (Gaussian noise does)
  bool allow_vae = true;       // the VAE is offered on image data
  int max_layer_size = 512;
  int max_code_size = 64;
};

struct PanelChange {
  bool live = false;     // apply_live_settings is enough
  bool restart = false;  // the network must be rebuilt (new weights)
};

// Switches the variant with sensible starting values for what it adds (denoising: masking 25 % of
// the pixels of images, Gaussian noise σ = 0.1 on points; a sigmoid code for KL, k = code/4,
// contractive λ = 0.01 (points: 1e-3) when unset, and on points ReLU instead of tanh or sigmoid
// hidden layers, which the penalty would hold on the PCA line). The panel and links use it.
PanelChange choose_variant(TrainingSpec& t, NetworkSpec& net, Variant v, bool image_data);

// The widgets; the caller applies the change. `corruption_slider` gets the level slider's screen
// rectangle (for the browser test, which drags it like a user).
PanelChange training_panel(TrainingSpec& t, NetworkSpec& net, const PanelOptions& options, WidgetRect* corruption_slider);

// ---- Curves --------------------------------------------------------------------------------

// Training curves over optimizer steps. objective/reconstruction/penalty are batch means averaged
// since the previous point; validation is the reconstruction loss on held-out data.
struct TrainingCurves {
  std::vector<long long> steps;
  std::vector<float> objective, reconstruction, penalty, validation;
  // Accumulated batch values since the last point.
  double sum_objective = 0, sum_reconstruction = 0, sum_penalty = 0;
  long long batches = 0;

  void clear();
  void add_batch(double objective, double reconstruction, double penalty);
  // Closes a point at `step` with the batches accumulated so far (if none, only validation).
  void add_point(long long step, float validation);
  float last_validation() const { return validation.empty() ? 0.0f : validation.back(); }
};

// The curves' names and the reference line. Every text is already in the UI language: the
// defaults are translated when the style is made, and callers pass translated text too (or
// notation such as "β·KL", which is not translated).
struct CurvesStyle {
  const char* objective_name = tr("training objective");   // the VAE: −ELBO at β = 1, else the β-VAE objective
  const char* reconstruction_name = tr("reconstruction C");
  const char* penalty_name = tr("penalty Ω");               // "β·KL" for the VAE
  const char* validation_name = tr("validation C");
  double reference = -1;                                    // a dashed reference line (the PCA baseline), if > 0
  std::string reference_label;
};

// Log-scale plot of the curves with a legend; series that are all zero are left out.
void curves_plot(const TrainingCurves& c, const CurvesStyle& style, ImVec2 size, bool dark, float scale);

// Bars: the mean activation ρ̂ⱼ of each code unit over the shown data, with the sparsity target ρ
// as a line (when target > 0).
void code_activation_plot(const ae::Vector<float>& mean_activation, double target, ImVec2 size, bool dark, float scale);

}  // namespace app
