// mnist_scene.h — an autoencoder on real MNIST: the code space coloured by digit (updated live
// while training), a digit and its reconstruction, the decoder's image of a grid over the code
// plane, and interpolation between two digits in code space beside pixel space.
#pragma once

#include "ae/ae.h"
#include "app/textures.h"
#include "app/training_panel.h"
#include "ae/vae_trainer.h"

#include <string>
#include <vector>

namespace app {

// A picture kept for comparison (e.g. the filters at 0 %, 20 % and 50 % corruption).
struct Snapshot {
  Texture texture;
  std::string label;
};

struct MnistScene {
  enum class Status { idle, loading, ready, failed };
  Status status = Status::idle;
  std::string error;
  ae::Dataset<float> train, test;         // the page's pack: the first 12,000 / 2,000 images

  MnistSettings settings;
  bool vae = false;                       // which of the two trainers is in use
  ae::Trainer<float> trainer;             // the autoencoder family
  ae::VaeTrainer<float> vae_trainer;      // the VAE
  bool running = false;
  double train_budget_ms = 8.0;         // adapted each frame to keep the UI near 60 frames/s
  TrainingCurves curves;                  // validation: the loss on 300 test digits (VAE: −ELBO)
  double last_curve_update = -1;

  // The code scatter: the test digits shown, their 2-D codes (or a PCA projection of the code).
  int shown = 2000;
  ae::Matrix<float> plane;                // (2, shown)
  ae::Matrix<float> codes;                // (code size, shown), refreshed a chunk per frame; VAE: μ
  int code_cursor = 0;                    // next digit whose code is refreshed
  double last_plane_update = -1;
  int selected = -1, second = -1;         // picked digits (second: for interpolation)
  Texture tex_selected, tex_grid, tex_code_path, tex_pixel_path, tex_filters, tex_denoise, tex_prior;
  double last_picture_update = -1;
  bool pictures_dirty = true;             // a setting changed: redraw the pictures at the next frame
  std::vector<Snapshot> kept_filters;     // "keep these filters" (at most 4)
  // The PCA baseline at the same code size (fitted on 3,000 training digits), as a reference line.
  double pca_loss = -1;                   // in the scene's loss units, on the same test digits
  int pca_k = 0;
  ae::Pca pca_fit;                        // fitted once (128 components); the baseline uses the first k
  double jacobian_norm = -1;              // mean ‖∂h/∂x‖_F on 8 test digits (contractive), −1: not measured
  // A linear autoencoder against PCA at the same k (refreshed with the pictures): the cosines of
  // the principal angles between the decoder's column space and PCA's top-k subspace, largest first.
  std::vector<double> principal_cosines;
  // The principal directions recovered from the decoder's weights (on demand, "Recover" button):
  // |cos| between recovered direction i and PCA's direction i, and both sets as pictures.
  std::vector<double> recovered_cosines;
  Texture tex_recovered, tex_pca_directions;
  // Stochastic against analytic contraction (on demand): per probe σ, the means over test digits.
  struct ContractionRow {
    double sigma = 0;
    double stochastic = 0;  // E‖h(x) − h(x + σε)‖² / σ²
    double analytic = 0;    // ‖∂h/∂x‖²_F
  };
  std::vector<ContractionRow> contraction;
  WidgetRect recover_button, contraction_button;
  // For tests: the corruption level slider's place on screen.
  WidgetRect corruption_slider, start_button, reset_button;
  std::string settings_error;             // a setting the model cannot take (shown in the panel)

  int code_size() const { return vae ? vae_trainer.vae.latent_size() : trainer.model.code_size(); }
  long long steps() const { return vae ? vae_trainer.steps : trainer.steps; }
  int epoch() const { return vae ? vae_trainer.epoch : trainer.epoch; }
  const std::string& failure() const { return vae ? vae_trainer.failure : trainer.failure; }
};

// Starts loading the data (the browser downloads the pack; natively it is read from disk).
void mnist_request_data(MnistScene& scene);
void mnist_reset(MnistScene& scene);
void mnist_ui(MnistScene& scene, float ui_scale, bool dark);
// The training panel in the side bar (variant, sliders, optimizer, architecture).
void mnist_controls(MnistScene& scene);
// Frees the scene's model and its copy of the training data (37 MB) while another scene uses the
// digits (the stacked lesson); opening an MNIST lesson builds it again (mnist_reset).
void mnist_release_model(MnistScene& scene);
// Applies settings.training to the running trainer (no restart).
void mnist_apply_live(MnistScene& scene);
// Per-frame training slice; returns true when training ran this frame.
bool mnist_train_slice(MnistScene& scene);

// Up to 64 rows of a first-layer weight matrix W (n, 784) as 28×28 images, 8 per row.
void filters_texture(Texture& tex, const ae::Matrix<float>& W);

// A colour-blind-safe palette for the ten digits (Okabe–Ito's eight plus two of Paul Tol's).
ImU32 digit_colour(int digit, float alpha = 1.0f);

}  // namespace app
