// app.h — the AE Lab user interface (Dear ImGui), shared by the browser page and the desktop app.
//
// The platform layer (src/platform) owns the window, the GL context and the main loop; each frame
// it calls app_frame() between ImGui::NewFrame() and ImGui::Render(). Everything the lab shows and
// does lives here and in the engine (src/ae), so both front ends behave identically.
#pragma once

#include "ae/ae.h"
#include "app/mnist_scene.h"
#include "app/stepper.h"

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
  int c = -1, left = -1, right = -1, enter = -1;
};

// The scene a user sets up: data, architecture and training settings.
struct Settings {
  ae::ToyManifold manifold = ae::ToyManifold::spiral;
  int n_points = 600;
  float noise = 0.02f;
  int hidden_size = 32;
  int code_size = 1;
  ae::Activation hidden_activation = ae::Activation::tanh;
  ae::OptimizerKind optimizer = ae::OptimizerKind::adam;
  float learning_rate = 0.01f;    // η
  int batch_size = 32;            // M
  int seed = 1;
};

// One point of the loss curve: loss on the whole data set after `step` updates.
struct LossPoint {
  long long step;
  float loss;
};

// A widget's place on screen, in the same (CSS) pixels as mouse events: exposed to tests so
// they can click the real button.
struct WidgetRect {
  float x = 0, y = 0, w = 0, h = 0;
};

// What the main area shows.
enum class Mode { toy_manifold, backprop_steps, mnist };

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
  MnistScene mnist;
  Settings settings;
  ae::Trainer<float> trainer;
  ae::Vector<float> intrinsic;     // the manifold coordinate of each data point (colour)
  std::vector<LossPoint> loss_curve;
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
  bool show_help = false;
  bool hide_controls = false;      // projector mode: the side panel is folded away (key C)
  std::string font_path;           // DejaVu Sans, or empty for ImGui's built-in font
  int frame_count = 0;
  double fps = 0;

  // For tests and the JS state hook.
  WidgetRect start_button, reset_button;
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
