// mnist_scene.h — an autoencoder on real MNIST: the code space coloured by digit (updated live
// while training), a digit and its reconstruction, the decoder's image of a grid over the code
// plane, and interpolation between two digits in code space beside pixel space.
#pragma once

#include "ae/ae.h"
#include "app/textures.h"
#include "app/training_panel.h"
#include "ae/vae_trainer.h"

#include <memory>
#include <string>
#include <vector>

namespace app {

// A picture kept for comparison (e.g. the filters at 0 %, 20 % and 50 % corruption).
struct Snapshot {
  Texture texture;
  std::string label;
};

// The likelihood lesson's figure: one output unit's −log-likelihood as curves, and the model's
// test negative log-likelihood under a Gaussian and a Bernoulli decoder (mnist_likelihood.cpp).
struct LikelihoodView {
  float unit_t = 0.8f, unit_y = 0.3f, unit_s = 0.3f;  // the one-unit curves: target t, output y, s
  int digits = 0;                  // test digits measured
  double squared_error = -1;       // mean Σᵢ (xᵢ − yᵢ)² per digit
  double gaussian_nll = 0;         // −log N(x; y, s²I) at the decoder's s, nats per digit
  double best_sigma = 0, best_nll = 0;  // the s that maximizes the likelihood (s² = Σ(x − y)²/784) and its NLL
  double bernoulli_nll = 0;        // −log Bernoulli(x_b; y) on the binarized digits x_b = [x > 0.5]
  Texture tex_samples;             // a digit, its mean y and samples of p(x|z)
  int samples_of = -1;             // the digit sampled
  unsigned sample_seed = 1;        // "Draw again" changes it
};

// The manifold lesson's figure: distances in high dimensions and nearest neighbours
// (mnist_manifolds.cpp).
struct ManifoldView {
  std::vector<int> dimensions;           // d of the uniform-cube curve
  std::vector<double> uniform_ratio;     // nearest / farthest distance, uniform points in [0, 1]^d
  double mnist_ratio = -1;               // the same for MNIST test digits (784 pixels)
  double median_pixel = 0, median_code = 0;  // median distance between test digits: pixels, codes
  Texture tex_noise;                     // random 28×28 images beside digits
  // 1-nearest-neighbour label agreement of test digits against training digits (on demand).
  double knn_pixels = -1, knn_pca = -1, knn_code = -1;
  int knn_queries = 0, knn_reference = 0, knn_k = 0;
  long long knn_steps = -1;              // the model's step when measured
  WidgetRect knn_button;
};

// The depth lesson's figure: how large δˡ is in each layer while training (vanishing gradients),
// and what the codes are good for: 1-nearest-neighbour classification of test digits from 300
// labelled training digits, in pixels, in PCA's k dimensions and in the code (mnist_representation.cpp).
struct RepresentationView {
  std::vector<double> delta_norms;       // per layer, ‖δˡ‖_F of the batch, a running mean over the last steps
  long long delta_steps = 0;             // steps the running mean has seen
  double knn_pixels = -1, knn_pca = -1, knn_code = -1;
  int knn_k = 0;
  long long knn_steps = -1;              // the model's step when measured
  WidgetRect knn_button;
};

struct MnistScene {
  enum class Status { idle, loading, ready, failed };
  Status status = Status::idle;
  std::string error;
  ae::Dataset<float> train, test;         // the page's pack: the first 12,000 / 2,000 images
  // The learner's own data in place of MNIST (own_data.h): its name ("" while the scene shows
  // MNIST), the class folder names of pictures, and where it came from. Opening an MNIST lesson
  // brings MNIST back.
  uint64_t loaded_bytes = 0, total_bytes = 0;  // the page's download of the pack (total 0: not known yet)
  std::string own_data;
  std::vector<std::string> classes;
  // A model file opened before the data were in: adopted when they are (mnist_adopt_model).
  std::shared_ptr<ae::SavedModel<float>> pending_model;
  bool own() const { return !own_data.empty(); }
  int input_size() const { return int(train.x.rows()); }
  bool images() const { return train.image_width > 0 && train.image_height > 0; }

  MnistSettings settings;
  bool vae = false;                       // which of the two trainers is in use
  ae::Trainer<float> trainer;             // the autoencoder family
  ae::VaeTrainer<float> vae_trainer;      // the VAE
  bool running = false;
  // Counts the changes to the model or trainer other than the live settings (a reset, a model
  // opened, the model freed): a TrainingThread's copy then takes the scene's (mnist_copy_sync).
  long long edits = 0;
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
  WidgetRect corruption_slider, start_button, reset_button, scatter_rect;
  bool show_likelihood = false;           // the likelihood lesson's panel (lesson view "likelihood")
  bool show_manifolds = false;            // the manifold lesson's panel (lesson view "manifolds")
  bool show_representation = false;       // the depth lesson's panel (lesson view "representation")
  LikelihoodView likelihood;
  ManifoldView manifolds;
  RepresentationView representation;
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
// One slice of training: steps for `budget_ms` (at least one), then the curves, codes and pictures
// that follow them (training_thread.h); returns true when a step was taken. While paused it only
// redraws pictures marked dirty.
bool mnist_train_slice(MnistScene& scene, double budget_ms);

// The scene as a TrainingThread trains it: a copy of its trainer (and curves, and the depth
// lesson's record of δ) that the worker steps without the App (training_thread.h, CopyTraining).
struct MnistCopy;
std::shared_ptr<MnistCopy> mnist_make_copy();
// Holding the App: brings the scene and the copy together (see mnist_scene.cpp); `shown`: the MNIST
// scene is the one on screen. Returns whether the copy trains on.
bool mnist_copy_sync(MnistScene& scene, bool shown, MnistCopy& copy);
// Without the App: steps of the copy until `budget_ms` has passed or a step fails; whether a step
// was taken.
bool mnist_copy_train(MnistCopy& copy, double budget_ms);

// The scene's model: codes of x (the VAE: the mean μ of q(z|x)) and the decoder's mean output.
ae::Matrix<float> mnist_encode(const MnistScene& scene, const ae::Matrix<float>& x);
ae::Matrix<float> mnist_decode(const MnistScene& scene, const ae::Matrix<float>& h);
// Images (width·height, n) as a grid texture, cols × rows, row-major, values clipped to [0, 1].
void digits_texture(Texture& tex, const ae::Matrix<float>& images, int cols, int rows, int width = 28, int height = 28);
// Puts the learner's own data set in the scene instead of MNIST (own_data.h) and builds the model;
// mnist_use_mnist() goes back to the page's MNIST pack (loaded again when the scene is next shown).
struct OwnData;
void mnist_use_own_data(MnistScene& scene, OwnData&& data);
void mnist_use_mnist(MnistScene& scene);
// Shows and trains a saved model (its settings already put in scene.settings by settings_of_model):
// the data are loaded first if they are not in yet.
void mnist_adopt_model(MnistScene& scene, ae::SavedModel<float>&& model);

// The likelihood lesson's panel (refreshes its numbers with the pictures) and the manifold lesson's.
void likelihood_update(MnistScene& scene);
void likelihood_panel(MnistScene& scene, float width, float digit, bool dark, float scale);
void manifold_update(MnistScene& scene);
void manifold_panel(MnistScene& scene, float width, float digit, bool dark, float scale);
// After each training step: the running mean of ‖δˡ‖ per layer, from the step's deltas. Then the
// depth lesson's panel.
void representation_record(const std::vector<ae::Matrix<float>>& deltas, RepresentationView& view);
void representation_panel(MnistScene& scene, float width, bool dark, float scale);

// Up to 64 rows of a first-layer weight matrix W (n, width·height) as images, 8 per row.
void filters_texture(Texture& tex, const ae::Matrix<float>& W, int width = 28, int height = 28);

// A colour-blind-safe palette for the ten digits (Okabe–Ito's eight plus two of Paul Tol's).
ImU32 digit_colour(int digit, float alpha = 1.0f);

}  // namespace app
