// mnist_scene.h — an autoencoder on real MNIST: the code space coloured by digit (updated live
// while training), a digit and its reconstruction, the decoder's image of a grid over the code
// plane, and interpolation between two digits in code space beside pixel space.
#pragma once

#include "ae/ae.h"
#include "app/textures.h"

#include <string>
#include <vector>

namespace app {

struct MnistSettings {
  int hidden_size = 128;
  int code_size = 2;
  ae::Activation hidden_activation = ae::Activation::relu;
  ae::Activation code_activation = ae::Activation::linear;
  float learning_rate = 1e-3f;
  int batch_size = 64;
  int seed = 1;
  bool linear = false;  // the linear-AE-vs-PCA lesson: 784 → k → 784, no nonlinearity, squared error
};

struct MnistScene {
  enum class Status { idle, loading, ready, failed };
  Status status = Status::idle;
  std::string error;
  ae::Dataset<float> train, test;         // the page's pack: the first 12,000 / 2,000 images
  std::vector<std::vector<uint8_t>> downloads;
  int pending = 0;

  MnistSettings settings;
  ae::Trainer<float> trainer;
  bool running = false;
  double train_budget_ms = 8.0;         // adapted each frame to keep the UI near 60 frames/s
  struct Point { long long step; float loss; };
  std::vector<Point> curve;               // test loss (on the shown digits) over steps

  // The code scatter: the test digits shown, their 2-D codes (or a PCA projection of the code).
  int shown = 2000;
  ae::Matrix<float> plane;                // (2, shown)
  ae::Matrix<float> codes;                // (code size, shown), refreshed a chunk per frame
  int code_cursor = 0;                    // next digit whose code is refreshed
  double last_plane_update = -1;
  double last_loss_update = -1;
  int selected = -1, second = -1;         // picked digits (second: for interpolation)
  Texture tex_selected, tex_grid, tex_code_path, tex_pixel_path, tex_filters;
  double last_grid_update = -1;
  double last_filter_update = -1;
  // The PCA baseline at the same code size (fitted on 3,000 training digits), as a reference line.
  double pca_loss = -1;                   // in the scene's loss units, on the same test digits
  int pca_k = 0;
};

// Starts loading the data (the browser downloads the pack; natively it is read from disk).
void mnist_request_data(MnistScene& scene);
void mnist_reset(MnistScene& scene);
void mnist_ui(MnistScene& scene, float ui_scale, bool dark, bool colour_blind_safe);
// Per-frame training slice; returns true when training ran this frame.
bool mnist_train_slice(MnistScene& scene);

// A colour-blind-safe palette for the ten digits (Okabe–Ito's eight plus two of Paul Tol's).
ImU32 digit_colour(int digit, float alpha = 1.0f);

}  // namespace app
