// app.h — the AE Lab user interface (Dear ImGui), shared by the browser page and the desktop app.
//
// The platform layer (src/platform) owns the window, the GL context and the main loop; each frame
// it calls app_frame() between ImGui::NewFrame() and ImGui::Render(). Everything the lab shows and
// does lives here and in the engine (src/ae), so both front ends behave identically.
#pragma once

#include "ae/ae.h"
#include "app/descent_scene.h"
#include "app/mnist_scene.h"
#include "app/stacked_scene.h"
#include "app/stepper.h"
#include "app/training_panel.h"
#include "app/lesson.h"
#include "app/host.h"
#include "app/lecture_map.h"
#include "app/layout.h"
#include "app/own_data.h"
#include "app/training_thread.h"

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
  int c = -1, left = -1, right = -1, enter = -1, p = -1, n = -1, f = -1;
};

// The toy scene's settings (scene_settings.h).
using Settings = ToySettings;

// Where a shared text (string table, lesson) could not be drawn: the codepoints of the texts in the
// UI language that the font atlas has no glyph for (they would show as "?").
struct GlyphReport {
  int checked = 0;                 // distinct codepoints looked up
  std::vector<unsigned> missing;   // those without a glyph
};

struct App {
  Scene mode = Scene::toy;
  std::vector<Lesson> lessons = built_in_lessons();  // the menu: built-in, then those opened from files
  int lesson = -1;                 // index into lessons, −1: free exploration
  Stepper stepper;
  std::string worked_example_file; // the step-through scene's file (a name in assets/worked-examples/, or a path)
  MnistScene mnist;                // also the MNIST data of the stacked scene
  StackedScene stacked;
  DescentScene descent;
  Settings settings;
  ae::Trainer<float> trainer;
  ae::Vector<float> intrinsic;     // the manifold coordinate of each data point (colour)
  ae::Matrix<float> shown;         // (dim, ≤ 600): the points drawn and used for the validation C
  ae::Vector<float> shown_intrinsic;
  TrainingCurves curves;           // validation: C on (up to 500 of) the data points
  double last_curve_update = -1;
  bool running = false;
  // Counts the UI's changes to the toy training state other than its live settings: app_reset,
  // a model opened, a Step. A TrainingThread trains a copy of that state and gives the App its
  // progress; when this has moved, it takes the App's state instead (app_copy_training).
  long long toy_edits = 0;
  // Training's slice of each frame when it shares the UI thread, adapted frame by frame
  // (next_train_budget_ms), and how long the last slice took.
  double train_budget_ms = 8.0;
  double last_slice_ms = 0;
  TrainingThread* training_thread = nullptr;  // the thread that trains, if any (training_thread.h)
  std::string no_thread_reason;    // why training shares the UI thread, in English (the help shows tr() of it)
  std::string error;               // shown in a banner; training stops
  // The learner's own data (own_data.h): the files of the last drop (read again when an option
  // changes), the reading options, and 2-D/3-D points for the toy scene, scaled into the unit
  // square (empty: the toy manifolds).
  std::vector<ae::NamedBytes> own_files;
  OwnDataOptions own_options;
  FileKind own_kind = FileKind::csv;  // what the last drop was (the panel's options depend on it)
  ae::Dataset<float> own_points;
  std::string own_points_scaling;  // how they were scaled, said in the panel
  std::string notice;              // shown in the same place, not an error (e.g. where a file was saved)

  // View state.
  KeyCodes keys;
  std::vector<int> keys_pressed;   // key codes pressed since the last frame (filled by the platform)
  float ui_scale = 1.0f;
  float pixel_ratio = 1.0f;        // device pixels per UI pixel (fonts are rasterised at this density)
  bool fonts_dirty = false;        // the platform rebuilds the font atlas texture when set
  bool dark_theme = true;
  float view_yaw = 0.6f, view_pitch = 0.35f;  // rotation of the 3-D data view
  bool show_field = false;         // toy view: the reconstruction field r(x) − x on a grid (2-D data)
  bool show_jacobian = false;
  bool show_lecture_map = false;   // toy view: the lecture's four keywords over the autoencoder (lesson "map")
  LectureMap lecture_map;
  double field_off_data = -1;      // mean ‖r(p) − p‖ at the field's grid points away from the data, −1: not shown
  int field_off_data_points = 0;      // toy view: the encoder Jacobian's singular directions at some points
  bool show_help = false;
  bool hide_controls = false;      // projector mode: the side panel is folded away (key C)
  // The compact layout, for portrait and narrow windows (tablets, phones): the views stacked over
  // the whole width, a bar with the scene's controls under the menu bar, and the side panel as a
  // drawer over the views (its button in that bar, key C, or a tap beside it closes it).
  bool compact = false;            // this frame's layout (app_compact_layout)
  bool drawer_open = false;
  bool drawer_raise = false;       // bring the drawer in front of the views at the next frame
  DragScroll drag_scroll;          // a finger scrolling a window (layout.h)
  // Presenter mode (key F): only the lesson's figure, its title and the step controls, at projector
  // scale (ui_scale at least 1.5 while it lasts; the user's own scale comes back on leaving), and
  // optionally the lesson's text as a large caption under the figure.
  bool presenter = false;
  bool presenter_caption = false;
  float scale_before_presenter = 1.0f;
  std::string font_path;           // DejaVu Sans (cut to the ranges the lab uses), or empty for ImGui's built-in font
  std::string korean_font_path;    // NanumGothic cut to the 11,172 Hangul syllables, merged into the atlas
  std::vector<ImWchar> atlas_extra;  // codepoints beyond the base ranges in the atlas (sorted)
  int atlas_width = 0, atlas_height = 0;
  int frame_count = 0;
  double fps = 0;

  // A picture of the window or of one view, for slides (File ▸ Save the window as PNG, or a view's
  // right-click menu): the platform reads it from the frame drawn `frames` frames later (so the menu
  // that asked for it is gone), encodes a PNG and saves it (host().save_file).
  struct PictureRequest {
    bool pending = false;
    int frames = 0;
    WidgetRect rect;               // UI pixels; w = 0: the whole window
    std::string name;              // "aelab-mnist.png"
  } picture;

  // For tests and the JS state hook.
  WidgetRect start_button, reset_button, corruption_slider, drawer_button;
};

// Creates the trainer, data and model from app.settings (same seed ⇒ same scene).
void app_reset(App& app);
// Opens lesson i of app.lessons (sets up its scene).
void app_open_lesson(App& app, int i);
// Reads a lesson file (its text) and opens it, after the built-in ones in the menu. A malformed
// file leaves the scene as it is and sets app.error to the reader's message; returns false then.
bool app_open_lesson_file(App& app, const std::string& json_text, const std::string& name);
// The current scene's preset as a lesson (the open lesson's id and texts): file → scene → file
// gives the file back; "Save scene as a lesson file" writes it.
Lesson app_scene_as_lesson(const App& app);
// Switches the UI language (the font atlas is rebuilt for the new text's glyphs).
void app_set_language(App& app, Language language);
// Whether the atlas has every character of `text` (else fonts_dirty should be set).
bool atlas_covers(const App& app, const std::string& text);
// Which codepoints of the texts in the UI language the font atlas lacks.
GlyphReport app_check_glyphs(const App& app);
// Opens the files of one drop (or one pick in the file dialog): lessons into the Lessons menu, a
// model (.aelab) into the scene that fits it, data files (own_data.h) as one data set: 2-D and 3-D
// points in the toy scene, anything else in the MNIST scene's views. A file that cannot be opened
// leaves the scene as it is and sets app.error to the reader's message.
void app_open_files(App& app, std::vector<ae::NamedBytes> files);
// The current scene's model as a model file (ae/model_io.h), "" when the scene has none to save.
std::string app_model_file(const App& app, std::string* file_name = nullptr);
// The current scene's training curves as CSV (step, objective, reconstruction, penalty, validation).
std::string app_curves_csv(const App& app);
// Asks for a PNG of `rect` (w = 0: the whole window) named `name`, taken two frames from now.
void app_request_picture(App& app, const std::string& name, WidgetRect rect = WidgetRect());
// Whether a window of this size (UI pixels) gets the compact layout: portrait, or too narrow for
// the side panel and the views side by side at this UI scale.
bool app_compact_layout(float width, float height, float ui_scale);
// Shows or hides the side panel (key C, View ▸ Side panel): the drawer in the compact layout.
void app_toggle_side_panel(App& app);
// Presenter mode on or off (key F).
void app_set_presenter(App& app, bool on);
// Starts training in the current scene, as the Start button does.
void app_start_training(App& app);
// Whether the current scene trains (started and not paused, stopped or finished).
bool app_training(const App& app);
// The loss of the current scene's model before training and now, and the steps taken.
void app_training_progress(const App& app, float& first, float& last, long long& steps);
// Loads fonts at ui_scale × pixel_ratio and applies the theme. Call before the first frame and
// whenever fonts_dirty is set (then rebuild the renderer's font texture).
void app_setup_style(App& app);
// The colour the screen is cleared to before the UI is drawn: what the side panel's and the views'
// backgrounds would paint over it. Those windows tile the screen and draw no background of their
// own (ImGuiWindowFlags_NoBackground), so the GPU fills the screen once, not twice: a full-screen
// fill costs a software renderer about 10 ms a frame at 1280 × 800.
ImVec4 app_clear_colour(const App& app);
// Stops training in every scene and shows `why` (an exception out of a training slice).
void app_stop_training(App& app, const std::string& why);
// Builds the whole UI for one frame and, unless a TrainingThread trains, runs a slice of training.
void app_frame(App& app);

// A one-line JSON summary of the app's state (for the browser test hook and the desktop smoke test).
std::string app_state_json(const App& app);

}  // namespace app
