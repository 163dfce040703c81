// app.h — the AE Lab user interface (Dear ImGui), shared by the browser page and the desktop app.
//
// The platform layer (src/platform) owns the window, the GL context and the main loop; each frame
// it calls app_frame() between ImGui::NewFrame() and ImGui::Render(). Everything the lab shows and
// does lives here and in the engine (src/ae), so both front ends behave identically.
#pragma once

#include "ae/ae.h"
#include "app/mnist_scene.h"
#include "app/stacked_scene.h"
#include "app/stepper.h"
#include "app/training_panel.h"

#include <imgui.h>

#include <string>
#include <vector>

namespace app {

// Shortcut keys as the platform's key codes (SDL scancodes); the platform layer fills this in.
// Dear ImGui 1.86 names only a few keys and keeps key *state*, so a press and release that both
// happen between two slow frames would be lost; the platform therefore also records every key-down
// event of the frame in App::keys_pressed, and shortcuts read that.
struct KeyCodes {
  int space = -1, s = -1, r = -1, h = -1, slash = -1, equals = -1, minus = -1, keypad_plus = -1, keypad_minus = -1;
  int c = -1, left = -1, right = -1, enter = -1, p = -1, n = -1;
};

// The toy scene a user sets up: the data, then the network and its training (training_panel.h).
struct Settings {
  ae::ToyManifold manifold = ae::ToyManifold::spiral;
  int n_points = 600;
  float noise = 0.02f;
  NetworkSpec net;          // 2 → 32 tanh → 1 → 32 tanh → 2 by default
  TrainingSpec training;    // Adam, η = 0.01, M = 32, squared error
};

// What the main area shows.
enum class Mode { toy_manifold, backprop_steps, mnist, stacked };

// A lesson: a scene set up in one click, with a short text tying the lecture to the screen.
struct Lesson {
  const char* title;
  const char* explanation;
  Mode mode;
  const char* worked_example;  // embedded file for backprop_steps, or nullptr
  Settings toy;                // for toy_manifold
  MnistSettings mnist;         // for mnist
};
const std::vector<Lesson>& lessons();

struct App {
  Mode mode = Mode::toy_manifold;
  int lesson = -1;                 // index into lessons(), −1: free exploration
  Stepper stepper;
  MnistScene mnist;                // also the MNIST data of the stacked scene
  StackedScene stacked;
  Settings settings;
  ae::Trainer<float> trainer;
  ae::Vector<float> intrinsic;     // the manifold coordinate of each data point (colour)
  ae::Matrix<float> shown;         // (dim, ≤ 600): the points drawn and used for the validation C
  ae::Vector<float> shown_intrinsic;
  TrainingCurves curves;           // validation: C on (up to 500 of) the data points
  double last_curve_update = -1;
  bool running = false;
  double train_budget_ms = 8.0;    // time slice per frame, keeps the UI responsive
  std::string error;               // shown in a banner; training stops

  // View state.
  KeyCodes keys;
  std::vector<int> keys_pressed;   // key codes pressed since the last frame (filled by the platform)
  float ui_scale = 1.0f;
  float pixel_ratio = 1.0f;        // device pixels per UI pixel (fonts are rasterised at this density)
  bool fonts_dirty = false;        // the platform rebuilds the font atlas texture when set
  bool dark_theme = true;
  float view_yaw = 0.6f, view_pitch = 0.35f;  // rotation of the 3-D data view
  bool show_field = false;         // toy view: the reconstruction field r(x) − x on a grid (2-D data)
  bool show_jacobian = false;      // toy view: the encoder Jacobian's singular directions at some points
  bool show_help = false;
  bool hide_controls = false;      // projector mode: the side panel is folded away (key C)
  std::string font_path;           // DejaVu Sans, or empty for ImGui's built-in font
  int frame_count = 0;
  double fps = 0;

  // For tests and the JS state hook.
  WidgetRect start_button, reset_button, corruption_slider;
};

// Creates the trainer, data and model from app.settings (same seed ⇒ same scene).
void app_reset(App& app);
// Opens lesson i (sets up its scene).
void app_open_lesson(App& app, int i);
// Starts training in the current scene (toy or MNIST), as the Start button does.
void app_start_training(App& app);
// The loss of the current scene's model before training and now, and the steps taken.
void app_training_progress(const App& app, float& first, float& last, long long& steps);
// Loads fonts at ui_scale × pixel_ratio and applies the theme. Call before the first frame and
// whenever fonts_dirty is set (then rebuild the renderer's font texture).
void app_setup_style(App& app);
// Builds the whole UI for one frame and runs this frame's slice of training.
void app_frame(App& app);

// A one-line JSON summary of the app's state (for the browser test hook and the desktop smoke test).
std::string app_state_json(const App& app);

}  // namespace app
