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

#include <imgui.h>

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

// The order is part of URLs and tests: append, never reorder.
enum class Variant { plain, sparse_l1, sparse_kl, k_sparse, denoising, contractive, vae };
const char* variant_title(Variant v);

// The encoder as the user edits it; the decoder mirrors it (sizes reversed, same activations).
struct NetworkSpec {
  std::vector<ae::LayerSpec> encoder_hidden{{32, ae::Activation::tanh}};
  int code_size = 1;
  ae::Activation code_activation = ae::Activation::linear;
  ae::Activation output_activation = ae::Activation::sigmoid;
  bool tied_weights = false;
};

// input → encoder hidden → code → mirrored decoder hidden → input.
ae::Architecture architecture_for(const NetworkSpec& net, int input_size);
// "784 → 128 → 2 → 128 → 784"
std::string architecture_text(const NetworkSpec& net, int input_size);

struct TrainingSpec {
  Variant variant = Variant::plain;
  // Holds every slider's value; the variant decides which parts are switched on
  // (effective_regularization), so switching back and forth keeps what the user set.
  ae::Regularization regularization;
  double vae_beta = 1.0;                         // β of the β-VAE (1: the ELBO)
  ae::OptimizerKind optimizer = ae::OptimizerKind::adam;
  float learning_rate = 0.01f;                   // η
  int batch_size = 32;                           // M
  ae::LossKind loss = ae::LossKind::squared_error;
  int seed = 1;
};

// The regularization the trainer uses for the spec's variant. Denoising (corruption) combines with
// every autoencoder variant: the corruption settings are on whenever their level is above 0.
ae::Regularization effective_regularization(const TrainingSpec& t);
// The settings that apply at the next step, without touching the weights.
void apply_live_settings(const TrainingSpec& t, ae::TrainConfig& config);
// Clamps every value to its slider's range (for settings that come from links or lessons).
void clamp_spec(TrainingSpec& t, NetworkSpec& net, int max_layer_size);

struct PanelOptions {
  bool allow_vae = true;       // the VAE is offered on image data
  int max_layer_size = 512;
  int max_code_size = 64;
};

struct PanelChange {
  bool live = false;     // apply_live_settings is enough
  bool restart = false;  // the network must be rebuilt (new weights)
};

// Switches the variant with sensible starting values for what it adds (masking 25 % for denoising,
// a sigmoid code for KL, k = code/4, contractive λ = 0.01 when unset). The panel and links use it.
PanelChange choose_variant(TrainingSpec& t, NetworkSpec& net, Variant v);

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

struct CurvesStyle {
  const char* penalty_name = "penalty Ω";  // "β·KL" for the VAE
  const char* validation_name = "validation C";
  double reference = -1;                  // a dashed reference line (the PCA baseline), if > 0
  std::string reference_label;
};

// Log-scale plot of the curves with a legend; series that are all zero are left out.
void curves_plot(const TrainingCurves& c, const CurvesStyle& style, ImVec2 size, bool dark, float scale);

// Bars: the mean activation ρ̂ⱼ of each code unit over the shown data, with the sparsity target ρ
// as a line (when target > 0).
void code_activation_plot(const ae::Vector<float>& mean_activation, double target, ImVec2 size, bool dark, float scale);

}  // namespace app
