// app.cpp — the AE Lab user interface: controls, the data/reconstruction view and the loss curve.
//
// Immediate-mode UI: every frame rebuilds the widgets from the App struct, so there is no UI state
// to keep in sync with the engine. Training runs in a time slice per frame (App::train_budget_ms),
// so the page stays responsive while the network learns.
#include "app.h"

#include "embedded.h"
#include "url_state.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace app {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Perceptually ordered colour map for the manifold coordinate (viridis, 5 stops interpolated).
ImU32 viridis(float t, float alpha = 1.0f) {
  static const float stops[5][3] = {
      {0.267f, 0.005f, 0.329f}, {0.229f, 0.322f, 0.546f}, {0.128f, 0.567f, 0.551f},
      {0.369f, 0.789f, 0.383f}, {0.993f, 0.906f, 0.144f}};
  t = std::clamp(t, 0.0f, 1.0f) * 4.0f;
  const int i = std::min(int(t), 3);
  const float f = t - float(i);
  float c[3];
  for (int k = 0; k < 3; ++k) c[k] = stops[i][k] + f * (stops[i + 1][k] - stops[i][k]);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], alpha));
}

WidgetRect last_item_rect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return {a.x, a.y, b.x - a.x, b.y - a.y};
}

void add_loss_point(App& app) {
  auto& curve = app.loss_curve;
  const float loss = ae::evaluate_loss(app.trainer.model, app.trainer.config.loss, app.trainer.data);
  curve.push_back({app.trainer.steps, loss});
  // Keep the curve short enough to draw every frame: thin the old half when it grows long.
  if (curve.size() > 4000) {
    std::vector<LossPoint> thinned;
    for (size_t i = 0; i < curve.size(); ++i)
      if (i % 2 == 0 || i + 1 == curve.size()) thinned.push_back(curve[i]);
    curve.swap(thinned);
  }
}

// ---- Controls ---------------------------------------------------------------------------------

void controls_panel(App& app) {
  Settings& s = app.settings;
  bool needs_reset = false;

  ImGui::TextUnformatted("Training");
  ImGui::Separator();
  const char* run_label = app.running ? "Pause" : (app.trainer.steps == 0 ? "Start" : "Resume");
  const float button_w = ImGui::GetContentRegionAvail().x / 3.0f - ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginDisabled(!app.trainer.failure.empty());
  if (ImGui::Button(run_label, ImVec2(button_w, 0))) app.running = !app.running;
  ImGui::EndDisabled();
  app.start_button = last_item_rect();
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(button_w, 0))) needs_reset = true;
  app.reset_button = last_item_rect();
  ImGui::SameLine();
  ImGui::BeginDisabled(app.running || !app.trainer.failure.empty());
  if (ImGui::Button("Step", ImVec2(button_w, 0))) {
    app.trainer.step();
    add_loss_point(app);
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("One minibatch: forward, loss, backward, one update (key: S)");

  ImGui::Text("epoch %d   step %lld", app.trainer.epoch, app.trainer.steps);
  if (!app.loss_curve.empty()) ImGui::Text("loss %.5f", app.loss_curve.back().loss);

  ImGui::Spacing();
  ImGui::TextUnformatted("Optimizer");
  ImGui::Separator();
  // Learning rate on a log scale: 1e-4 … 10. Values outside are clamped, never accepted.
  if (ImGui::SliderFloat("η (learning rate)", &s.learning_rate, 1e-4f, 10.0f, "%.4g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    app.trainer.config.optimizer.learning_rate = s.learning_rate;
  const char* optimizers[] = {"SGD", "momentum", "Adam"};
  int opt = int(s.optimizer);
  if (ImGui::Combo("optimizer", &opt, optimizers, 3)) {
    s.optimizer = ae::OptimizerKind(opt);
    app.trainer.config.optimizer.kind = s.optimizer;
    ae::optimizer_reset(app.trainer.optimizer_state, app.trainer.model);
  }
  if (ImGui::SliderInt("batch size M", &s.batch_size, 1, 256, "%d", ImGuiSliderFlags_AlwaysClamp))
    app.trainer.config.batch_size = s.batch_size;

  ImGui::Spacing();
  ImGui::TextUnformatted("Data and network (changes restart)");
  ImGui::Separator();
  const char* manifolds[] = {"circle", "spiral", "two moons", "swiss roll (3-D)", "S-curve (3-D)", "helix (3-D)", "sphere (3-D)"};
  int m = int(s.manifold);
  if (ImGui::Combo("data", &m, manifolds, IM_ARRAYSIZE(manifolds))) {
    s.manifold = ae::ToyManifold(m);
    needs_reset = true;
  }
  needs_reset |= ImGui::SliderFloat("noise σ", &s.noise, 0.0f, 0.2f, "%.3f", ImGuiSliderFlags_AlwaysClamp);
  needs_reset |= ImGui::SliderInt("points N", &s.n_points, 50, 4000, "%d", ImGuiSliderFlags_AlwaysClamp);
  needs_reset |= ImGui::SliderInt("hidden units", &s.hidden_size, 2, 128, "%d", ImGuiSliderFlags_AlwaysClamp);
  needs_reset |= ImGui::SliderInt("code size", &s.code_size, 1, 2, "%d", ImGuiSliderFlags_AlwaysClamp);
  const char* activations[] = {"linear", "sigmoid", "tanh", "relu", "leaky relu", "softplus"};
  int act = int(s.hidden_activation);
  if (ImGui::Combo("hidden σ", &act, activations, 6)) {
    s.hidden_activation = ae::Activation(act);
    needs_reset = true;
  }
  needs_reset |= ImGui::InputInt("seed", &s.seed);
  s.seed = std::clamp(s.seed, 0, 1 << 30);
  const int dim = ae::toy_dimension(s.manifold);
  ImGui::TextDisabled("%d → %d → %d → %d → %d", dim, s.hidden_size, s.code_size, s.hidden_size, dim);

  if (needs_reset) app_reset(app);

  ImGui::Spacing();
  ImGui::Separator();
  if (ImGui::Checkbox("dark theme", &app.dark_theme)) app_setup_style(app);
  float scale = app.ui_scale;
  if (ImGui::SliderFloat("UI scale", &scale, 0.75f, 2.5f, "%.2f", ImGuiSliderFlags_AlwaysClamp))
    app.ui_scale = scale;
  if (ImGui::IsItemDeactivatedAfterEdit()) app.fonts_dirty = true;  // re-rasterise once, on release
  ImGui::TextDisabled("%.0f frames/s   %s", app.fps, ae::build_description());
}

// ---- Plots ------------------------------------------------------------------------------------

struct PlotFrame {
  ImVec2 p0, p1;        // screen rectangle
  float x0, x1, y0, y1; // data range
  ImVec2 map(float x, float y) const {
    return ImVec2(p0.x + (x - x0) / (x1 - x0) * (p1.x - p0.x), p1.y - (y - y0) / (y1 - y0) * (p1.y - p0.y));
  }
};

// The data in input space, each point coloured by where on the manifold it was drawn, its
// reconstruction y = g(f(x)) with a line from x to y, and the decoder's image of the code space —
// the learned manifold — as a curve (1-D code) or a grid (2-D code).
void data_view(App& app) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(50.0f, std::min(avail.x, avail.y - 4 * ImGui::GetTextLineHeightWithSpacing()));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  PlotFrame f{p0, ImVec2(p0.x + side, p0.y + side), 0, 1, 0, 1};
  const bool dark = app.dark_theme;
  const auto& data = app.trainer.data;
  const int dim = int(data.rows());

  // 3-D data: drag to rotate (yaw about the vertical axis, then pitch), orthographic projection.
  ImGui::InvisibleButton("##dataview", ImVec2(side, side));
  if (dim == 3 && ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    app.view_yaw += ImGui::GetIO().MouseDelta.x * 0.01f;
    app.view_pitch = std::clamp(app.view_pitch + ImGui::GetIO().MouseDelta.y * 0.01f, -1.5f, 1.5f);
  }
  const float cy = std::cos(app.view_yaw), sy = std::sin(app.view_yaw), cp = std::cos(app.view_pitch), sp = std::sin(app.view_pitch);
  auto project = [&](float x, float y, float z) {
    if (dim == 2) return f.map(x, y);
    x -= 0.5f, y -= 0.5f, z -= 0.5f;
    const float x1 = cy * x + sy * z, z1 = -sy * x + cy * z;
    const float y1 = cp * y - sp * z1;
    return f.map(0.5f + 0.75f * x1, 0.5f + 0.75f * y1);
  };
  auto point = [&](const ae::Matrix<float>& m, Eigen::Index i) {
    return project(m(0, i), m(1, i), dim == 3 ? m(2, i) : 0.0f);
  };

  draw->AddRectFilled(f.p0, f.p1, dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));
  const ImU32 grid = dark ? IM_COL32(45, 48, 58, 255) : IM_COL32(225, 225, 225, 255);
  if (dim == 2) {
    for (int i = 1; i < 10; ++i) {
      const float v = i / 10.0f;
      draw->AddLine(f.map(v, 0), f.map(v, 1), grid);
      draw->AddLine(f.map(0, v), f.map(1, v), grid);
    }
  } else {  // the unit cube's twelve edges
    for (int a = 0; a < 8; ++a)
      for (int b = a + 1; b < 8; ++b) {
        const int diff = a ^ b;
        if (diff != 1 && diff != 2 && diff != 4) continue;
        draw->AddLine(project(float(a & 1), float((a >> 1) & 1), float((a >> 2) & 1)),
                      project(float(b & 1), float((b >> 1) & 1), float((b >> 2) & 1)), grid, 1.5f);
      }
  }
  draw->PushClipRect(f.p0, f.p1, true);

  const auto& model = app.trainer.model;
  ae::Workspace<float> ws;
  const ae::Matrix<float>& recon = ae::forward(model, data, ws);
  const ae::Matrix<float>& code = ws.acts[model.code_layer].a;

  // Reconstruction lines and points.
  const float r = 2.5f * app.ui_scale;
  for (Eigen::Index i = 0; i < data.cols(); ++i) draw->AddLine(point(data, i), point(recon, i), viridis(app.intrinsic(i), 0.35f));
  for (Eigen::Index i = 0; i < data.cols(); ++i) draw->AddCircleFilled(point(data, i), r, viridis(app.intrinsic(i)));

  // The decoder's image of the code range actually used: the learned manifold.
  if (code.cols() > 0) {
    const ae::Vector<float> lo = code.rowwise().minCoeff(), hi = code.rowwise().maxCoeff();
    const int k = int(code.rows());
    const int samples = 200;
    const ImU32 curve_colour = dark ? IM_COL32(255, 120, 90, 255) : IM_COL32(200, 40, 20, 255);
    if (k == 1) {
      ae::Matrix<float> h(1, samples);
      for (int j = 0; j < samples; ++j) h(0, j) = lo(0) + (hi(0) - lo(0)) * float(j) / float(samples - 1);
      const ae::Matrix<float> y = ae::decode(model, h);
      for (int j = 0; j + 1 < samples; ++j) draw->AddLine(point(y, j), point(y, j + 1), curve_colour, 2.5f * app.ui_scale);
    } else {
      const int lines = 12;
      for (int dir = 0; dir < 2; ++dir) {
        for (int li = 0; li < lines; ++li) {
          ae::Matrix<float> h(k, samples);
          for (int j = 0; j < samples; ++j) {
            const float u = float(li) / float(lines - 1), v = float(j) / float(samples - 1);
            h(0, j) = lo(0) + (hi(0) - lo(0)) * (dir == 0 ? u : v);
            h(1, j) = lo(1) + (hi(1) - lo(1)) * (dir == 0 ? v : u);
          }
          const ae::Matrix<float> y = ae::decode(model, h);
          for (int j = 0; j + 1 < samples; ++j) draw->AddLine(point(y, j), point(y, j + 1), curve_colour, 1.2f * app.ui_scale);
        }
      }
    }
  }
  draw->PopClipRect();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Dots: the data x, coloured by position along the manifold. Thin lines: x → its "
                     "reconstruction y. Red: the decoder's image of the code space (the learned manifold)%s",
                     dim == 3 ? ". Drag to rotate." : ".");
  ImGui::PopStyleColor();
}

// Loss over training steps, on a log scale (the interesting part of a loss curve spans decades).
void loss_plot(App& app) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float h = std::max(80.0f, avail.y - ImGui::GetTextLineHeightWithSpacing() * 4);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float margin = ImGui::CalcTextSize("1e-00").x + 8;
  PlotFrame f{ImVec2(p0.x + margin, p0.y), ImVec2(p0.x + avail.x, p0.y + h), 0, 1, 0, 1};
  const bool dark = app.dark_theme;
  draw->AddRectFilled(f.p0, f.p1, dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));
  const auto& curve = app.loss_curve;
  if (curve.size() >= 1) {
    float lo = 1e30f, hi = -1e30f;
    for (const auto& p : curve)
      if (p.loss > 0 && std::isfinite(p.loss)) {
        lo = std::min(lo, std::log10(p.loss));
        hi = std::max(hi, std::log10(p.loss));
      }
    if (lo > hi) lo = hi = 0;
    lo = std::floor(lo);
    hi = std::max(std::ceil(hi), lo + 1);
    f.y0 = lo;
    f.y1 = hi;
    f.x1 = float(std::max<long long>(curve.back().step, 1));
    const ImU32 grid = dark ? IM_COL32(45, 48, 58, 255) : IM_COL32(225, 225, 225, 255);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    for (int d = int(lo); d <= int(hi); ++d) {
      draw->AddLine(f.map(0, float(d)), f.map(f.x1, float(d)), grid);
      char label[16];
      std::snprintf(label, sizeof label, "1e%d", d);
      const ImVec2 at = f.map(0, float(d));
      draw->AddText(ImVec2(p0.x, at.y - ImGui::GetTextLineHeight() * 0.5f), text, label);
    }
    const ImU32 colour = dark ? IM_COL32(90, 170, 255, 255) : IM_COL32(20, 90, 200, 255);
    for (size_t i = 1; i < curve.size(); ++i) {
      if (!(curve[i - 1].loss > 0) || !(curve[i].loss > 0)) continue;
      draw->AddLine(f.map(float(curve[i - 1].step), std::log10(curve[i - 1].loss)),
                    f.map(float(curve[i].step), std::log10(curve[i].loss)), colour, 2.0f * app.ui_scale);
    }
  }
  ImGui::Dummy(ImVec2(avail.x, h));
  // x axis: first and last step.
  const long long last_step = curve.empty() ? 0LL : curve.back().step;
  char last_label[32];
  std::snprintf(last_label, sizeof last_label, "step %lld", last_step);
  ImGui::SetCursorScreenPos(ImVec2(f.p0.x, f.p1.y + 2));
  ImGui::TextDisabled("0");
  ImGui::SameLine(f.p1.x - p0.x - ImGui::CalcTextSize(last_label).x);
  ImGui::TextDisabled("%s", last_label);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Loss C on the whole data set (log scale) against optimizer steps.");
  ImGui::PopStyleColor();
}

void help_overlay(App& app) {
  if (!app.show_help) return;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::Begin("Keyboard shortcuts", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::TextUnformatted("Space   start / pause training");
  ImGui::TextUnformatted("S       one training step (when paused)");
  ImGui::TextUnformatted("R       reset (same seed, same initial weights)");
  ImGui::TextUnformatted("+ / -   bigger / smaller UI");
  ImGui::TextUnformatted("C       hide / show the side panel (for projecting)");
  ImGui::TextUnformatted("H or ?  this help");
  ImGui::Separator();
  ImGui::TextUnformatted("In step-through lessons:");
  ImGui::TextUnformatted("→ / Space  next phase      ←  previous phase");
  ImGui::TextUnformatted("Enter      finish this step   R  reset to the first step");
  ImGui::End();
}

bool key_pressed(const App& app, int code) {
  return code >= 0 && std::find(app.keys_pressed.begin(), app.keys_pressed.end(), code) != app.keys_pressed.end();
}

void keyboard_shortcuts(App& app) {
  if (ImGui::GetIO().WantTextInput) {
    app.keys_pressed.clear();
    return;
  }
  const KeyCodes& k = app.keys;
  if (app.mode == Mode::backprop_steps) {
    // Each press counts once, however many arrive in one frame.
    for (int code : app.keys_pressed) {
      if (code == k.right || code == k.space) stepper_next_phase(app.stepper);
      if (code == k.left) stepper_prev_phase(app.stepper);
      if (code == k.enter) stepper_finish_step(app.stepper);
    }
    if (key_pressed(app, k.r)) stepper_reset(app.stepper);
  } else {
    if (key_pressed(app, k.space) && app.trainer.failure.empty()) app.running = !app.running;
    if (key_pressed(app, k.s) && !app.running && app.trainer.failure.empty()) {
      app.trainer.step();
      add_loss_point(app);
    }
    if (key_pressed(app, k.r)) app_reset(app);
  }
  if (key_pressed(app, k.h) || key_pressed(app, k.slash)) app.show_help = !app.show_help;
  if (key_pressed(app, k.c)) app.hide_controls = !app.hide_controls;
  if (key_pressed(app, k.equals) || key_pressed(app, k.keypad_plus)) {
    app.ui_scale = std::min(2.5f, app.ui_scale + 0.25f);
    app.fonts_dirty = true;
  }
  if (key_pressed(app, k.minus) || key_pressed(app, k.keypad_minus)) {
    app.ui_scale = std::max(0.75f, app.ui_scale - 0.25f);
    app.fonts_dirty = true;
  }
}

void train_time_slice(App& app) {
  if (!app.running) return;
  const auto t0 = Clock::now();
  const long long before = app.trainer.steps;
  while (ms_since(t0) < app.train_budget_ms && app.trainer.failure.empty()) app.trainer.step();
  if (!app.trainer.failure.empty()) app.running = false;
  if (app.trainer.steps != before) add_loss_point(app);
}

// ---- Lessons ------------------------------------------------------------------------------------

MnistSettings linear_mnist(int k) {
  MnistSettings m;
  m.linear = true;
  m.code_size = k;
  m.learning_rate = 1e-3f;
  m.batch_size = 64;
  return m;
}

Settings toy_settings(ae::ToyManifold m, int code, ae::Activation act, int hidden) {
  Settings t;
  t.manifold = m;
  t.code_size = code;
  t.hidden_activation = act;
  t.hidden_size = hidden;
  return t;
}

void mnist_controls(App& app) {
  MnistScene& m = app.mnist;
  MnistSettings& o = m.settings;
  ImGui::TextUnformatted("MNIST autoencoder");
  if (o.linear) ImGui::TextDisabled("784 → %d → 784, linear, ½ squared error, Adam", o.code_size);
  else ImGui::TextDisabled("784 → %d → %d → %d → 784, BCE, Adam", o.hidden_size, o.code_size, o.hidden_size);
  ImGui::Separator();
  const bool ready = m.status == MnistScene::Status::ready;
  ImGui::BeginDisabled(!ready || !m.trainer.failure.empty());
  const float bw = ImGui::GetContentRegionAvail().x / 2.0f - ImGui::GetStyle().ItemSpacing.x;
  if (ImGui::Button(m.running ? "Pause" : (m.trainer.steps == 0 ? "Start" : "Resume"), ImVec2(bw, 0))) m.running = !m.running;
  ImGui::EndDisabled();
  app.start_button = last_item_rect();
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(bw, 0))) mnist_reset(m);
  app.reset_button = last_item_rect();
  if (ready) {
    ImGui::Text("epoch %d   step %lld", m.trainer.epoch, m.trainer.steps);
    if (!m.curve.empty()) ImGui::Text("test loss %.4f", m.curve.back().loss);
  }
  if (!m.trainer.failure.empty()) ImGui::TextWrapped("%s", m.trainer.failure.c_str());
  ImGui::Spacing();
  if (ImGui::SliderFloat("η", &o.learning_rate, 1e-5f, 1e-1f, "%.2g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    m.trainer.config.optimizer.learning_rate = o.learning_rate;
  if (ImGui::SliderInt("batch M", &o.batch_size, 1, 512, "%d", ImGuiSliderFlags_AlwaysClamp)) m.trainer.config.batch_size = o.batch_size;
  ImGui::TextUnformatted("Network (changes restart)");
  bool restart = false;
  if (!o.linear) restart |= ImGui::SliderInt("hidden", &o.hidden_size, 8, 512, "%d", ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderInt("code size", &o.code_size, 1, 64, "%d", ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::InputInt("seed", &o.seed);
  o.seed = std::clamp(o.seed, 0, 1 << 30);
  if (restart && ready) mnist_reset(m);
}

void lesson_panel(App& app) {
  if (app.lesson < 0) return;
  const Lesson& lesson = lessons()[size_t(app.lesson)];
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.85f, 0.4f, 1.0f));
  ImGui::TextWrapped("%s", lesson.title);
  ImGui::PopStyleColor();
  ImGui::TextWrapped("%s", lesson.explanation);
  ImGui::Separator();
}

void menu_bar(App& app) {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("Lessons")) {
    for (size_t i = 0; i < lessons().size(); ++i)
      if (ImGui::MenuItem(lessons()[i].title, nullptr, app.lesson == int(i))) app_open_lesson(app, int(i));
    ImGui::Separator();
    if (ImGui::MenuItem("Free exploration: toy manifolds", nullptr, app.lesson < 0)) {
      app.lesson = -1;
      app.mode = Mode::toy_manifold;
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Dark theme", nullptr, app.dark_theme)) {
      app.dark_theme = !app.dark_theme;
      app_setup_style(app);
    }
    if (ImGui::MenuItem("Bigger text", "+")) {
      app.ui_scale = std::min(2.5f, app.ui_scale + 0.25f);
      app.fonts_dirty = true;
    }
    if (ImGui::MenuItem("Smaller text", "-")) {
      app.ui_scale = std::max(0.75f, app.ui_scale - 0.25f);
      app.fonts_dirty = true;
    }
    if (ImGui::MenuItem("Side panel", "C", !app.hide_controls)) app.hide_controls = !app.hide_controls;
    if (ImGui::MenuItem("Keyboard shortcuts", "H")) app.show_help = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Put this scene in the address bar")) url_state_publish(app);
    ImGui::TextDisabled("link: ?%s", url_state_query(app).c_str());
    ImGui::EndMenu();
  }
  const std::string where = app.lesson >= 0 ? lessons()[size_t(app.lesson)].title : "Free exploration";
  ImGui::TextDisabled("   %s", where.c_str());
  ImGui::EndMainMenuBar();
}

}  // namespace

const std::vector<Lesson>& lessons() {
  static const std::vector<Lesson> all = {
      {"1. Backprop by hand: a 2-2-2 autoencoder",
       "One gradient-descent step of a tiny autoencoder, phase by phase. Forward: each layer computes "
       "z = W a + b, then a = σ(z). The loss compares the output y with the input x. Backward: the output "
       "delta δᴸ = ∇ₐC ⊙ σ'(zᴸ) is pushed down through the transposed weights, δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹. "
       "Each weight's gradient is δ times the activation feeding it, ∇_W C = δ aᵀ, and the update moves every "
       "weight against its gradient: W ← W − η ∇_W C. Click a unit or a connection to follow its numbers; "
       "the finite-difference check shows the backprop value is the true slope of C.",
       Mode::backprop_steps, "backprop-2-2-2.json", Settings(), MnistSettings()},
      {"2. A 1-D code for a 2-D curve (spiral)",
       "The encoder squeezes each 2-D point into one number h = f(x); the decoder maps it back, y = g(h). "
       "The red curve is the decoder's image of every code value: the manifold the network has learned. "
       "A linear code could only draw a straight line (PCA); the nonlinear one bends along the spiral. "
       "Watch the thin lines (x → y) shrink as the loss falls.",
       Mode::toy_manifold, nullptr, toy_settings(ae::ToyManifold::spiral, 1, ae::Activation::tanh, 32), MnistSettings()},
      {"3. The circle: why a 1-D code gets stuck",
       "A closed loop cannot be unrolled onto a line without cutting it somewhere. Training first finds "
       "the PCA solution (a straight line through the middle: loss ≈ ½λ_min) and sits on that plateau "
       "before it finds a cut. Try a 2-D code: the loss drops at once.",
       Mode::toy_manifold, nullptr, toy_settings(ae::ToyManifold::circle, 1, ae::Activation::tanh, 32), MnistSettings()},
      {"4. MNIST through a 2-D code: digits cluster",
       "An undercomplete autoencoder 784 → 128 → 2 → 128 → 784 must describe each 28×28 image with two "
       "numbers. Nobody tells it the labels, yet as it trains the codes of the same digit gather: the "
       "colours (the labels, used only for drawing) separate within a minute. The grid on the right is the "
       "decoder's image of the code plane — the learned manifold of digits. Pick two digits and compare "
       "walking between them in code space (decoded) with blending their pixels.",
       Mode::mnist, nullptr, Settings(), MnistSettings()},
      {"5. A linear autoencoder finds the PCA subspace",
       "With no nonlinearity and the squared error, the best an autoencoder with a k-unit code can do is "
       "PCA: project onto the top k principal directions. Training gets there by gradient descent: the "
       "loss falls onto the dashed PCA line (same k, same test digits) and stays there — it cannot go "
       "below it. The filters are a rotated, mixed version of the principal components, not the "
       "components themselves: only the subspace is determined.",
       Mode::mnist, nullptr, Settings(), linear_mnist(16)},
      {"6. A surface in 3-D: the swiss roll with a 2-D code",
       "The swiss roll is a flat sheet rolled up in 3-D: two numbers say where a point is on it. An "
       "autoencoder with a 2-D code has to unroll it. The red wireframe is the decoder's image of a grid "
       "of codes: first a flat plane through the middle (the PCA solution), then it bends onto the roll. "
       "Drag the view to rotate it. Try tanh units instead of ReLU: they stay on the flat plane much longer.",
       Mode::toy_manifold, nullptr, toy_settings(ae::ToyManifold::swiss_roll, 2, ae::Activation::relu, 64), MnistSettings()},
  };
  return all;
}

// ---- Public entry points ----------------------------------------------------------------------

void app_start_training(App& app) {
  if (app.mode == Mode::mnist) app.mnist.running = app.mnist.status == MnistScene::Status::ready;
  else app.running = true;
}

void app_training_progress(const App& app, float& first, float& last, long long& steps) {
  first = last = 0;
  steps = 0;
  if (app.mode == Mode::mnist) {
    if (!app.mnist.curve.empty()) {
      first = app.mnist.curve.front().loss;
      last = app.mnist.curve.back().loss;
    }
    steps = app.mnist.trainer.steps;
  } else {
    if (!app.loss_curve.empty()) {
      first = app.loss_curve.front().loss;
      last = app.loss_curve.back().loss;
    }
    steps = app.trainer.steps;
  }
}

void app_open_lesson(App& app, int i) {
  if (i < 0 || i >= int(lessons().size())) return;
  const Lesson& lesson = lessons()[size_t(i)];
  app.lesson = i;
  app.error.clear();
  app.mode = lesson.mode;
  app.running = false;
  if (lesson.mode == Mode::mnist) {
    app.mnist.settings = lesson.mnist;
    if (app.mnist.status == MnistScene::Status::ready) mnist_reset(app.mnist);
    else mnist_request_data(app.mnist);
  } else if (lesson.mode == Mode::backprop_steps) {
    const EmbeddedFile* file = find_embedded(lesson.worked_example);
    if (!file) {
      app.error = std::string("lesson file ") + lesson.worked_example + " is missing from this build";
      return;
    }
    stepper_load(app.stepper, file->text, file->name);
  } else {
    app.settings = lesson.toy;
    app_reset(app);
  }
}

void app_reset(App& app) {
  const Settings& s = app.settings;
  try {
    ae::Rng rng(uint64_t(s.seed));
    ae::ToyData<float> toy = ae::make_toy<float>(s.manifold, s.n_points, s.noise, rng);
    ae::Architecture arch;
    arch.input_size = ae::toy_dimension(s.manifold);
    arch.layers = {{s.hidden_size, s.hidden_activation}, {s.code_size, ae::Activation::linear},
                   {s.hidden_size, s.hidden_activation}, {arch.input_size, ae::Activation::sigmoid}};
    arch.code_layer = 1;
    const ae::Init init = (s.hidden_activation == ae::Activation::relu || s.hidden_activation == ae::Activation::leaky_relu)
                              ? ae::Init::he_normal : ae::Init::glorot_uniform;
    app.trainer = ae::Trainer<float>();
    app.trainer.model = ae::make_autoencoder<float>(arch, init, rng);
    app.trainer.data = std::move(toy.points);
    app.trainer.rng.reseed(uint64_t(s.seed) * 2654435761ull + 17);
    app.trainer.config.loss.kind = ae::LossKind::squared_error;
    app.trainer.config.optimizer.kind = s.optimizer;
    app.trainer.config.optimizer.learning_rate = s.learning_rate;
    app.trainer.config.batch_size = s.batch_size;
    app.trainer.reset_progress();
    app.intrinsic = std::move(toy.intrinsic);
    app.loss_curve.clear();
    add_loss_point(app);
    app.error.clear();
  } catch (const ae::Error& e) {
    app.error = e.what();
  }
  app.running = false;
}

void app_setup_style(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  if (app.dark_theme) ImGui::StyleColorsDark(); else ImGui::StyleColorsLight();
  style.WindowRounding = 4;
  style.FrameRounding = 3;
  style.GrabRounding = 3;
  style.WindowBorderSize = 0;
  style.ScaleAllSizes(app.ui_scale);

  // Fonts are rasterised at the size they are shown in device pixels, then drawn at 1/pixel_ratio,
  // so text is sharp on high-DPI screens and projectors instead of a scaled-up bitmap.
  io.Fonts->Clear();
  const float px = 17.0f * app.ui_scale * app.pixel_ratio;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesDefault());  // Latin + Latin-1
    static const ImWchar extra[] = {
        0x0370, 0x03FF,  // Greek: η, δ, σ, λ, ρ, μ, β, θ, ε, ∇ is below
        0x2010, 0x205E,  // punctuation: dashes, ‖, …
        0x2070, 0x209F,  // superscripts and subscripts: ˡ ᵀ ⁻¹ ₐ
        0x2190, 0x21FF,  // arrows: → ← ⇒
        0x2200, 0x22FF,  // mathematical operators: ∇ ∂ Σ √ ⊙ ≤ ≈
        0x25A0, 0x25FF,  // geometric shapes: ◀ ▶ ●
        0x1D00, 0x1DBF,  // phonetic extensions: ᵀ ᴸ
        0x02B0, 0x02FF,  // spacing modifier letters: ˡ
        0};
    builder.AddRanges(extra);
    builder.BuildRanges(&ranges);
  }
  ImFont* font = nullptr;
  if (!app.font_path.empty()) {
    if (FILE* fp = std::fopen(app.font_path.c_str(), "rb")) {
      std::fclose(fp);
      font = io.Fonts->AddFontFromFileTTF(app.font_path.c_str(), px, &cfg, ranges.Data);
    }
  }
  if (!font) {
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * app.ui_scale * app.pixel_ratio;
    io.Fonts->AddFontDefault(&fallback);
  }
  io.FontGlobalScale = 1.0f / app.pixel_ratio;
  io.Fonts->Build();
  app.fonts_dirty = false;
}

namespace {

// The left panel: the lesson's text and the scene's controls.
void side_panel(App& app, float top, float panel_w, float H, ImGuiWindowFlags fixed) {
  ImGui::SetNextWindowPos(ImVec2(0, top), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(panel_w, H), ImGuiCond_Always);
  ImGui::Begin("AE Lab", nullptr, fixed);
  lesson_panel(app);
  if (app.mode == Mode::toy_manifold) {
    ImGui::TextUnformatted("An autoencoder learns a toy manifold");
    ImGui::TextDisabled("x → h = f(x) → y = g(h),  C = ½‖x − y‖²");
    ImGui::Spacing();
    controls_panel(app);
  } else if (app.mode == Mode::mnist) {
    mnist_controls(app);
  } else {
    ImGui::TextDisabled("%s", app.stepper.name.c_str());
    ImGui::TextWrapped("η = %g, %s, loss: %s%s", app.stepper.example.config.optimizer.learning_rate,
                       ae::optimizer_name(app.stepper.example.config.optimizer.kind),
                       app.stepper.example.config.loss.half && app.stepper.example.config.loss.kind == ae::LossKind::squared_error ? "½ " : "",
                       ae::loss_name(app.stepper.example.config.loss.kind));
    ImGui::Spacing();
    ImGui::Separator();
    if (ImGui::Checkbox("dark theme", &app.dark_theme)) app_setup_style(app);
    float scale = app.ui_scale;
    if (ImGui::SliderFloat("UI scale", &scale, 0.75f, 2.5f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) app.ui_scale = scale;
    if (ImGui::IsItemDeactivatedAfterEdit()) app.fonts_dirty = true;
  }
  ImGui::End();
}

}  // namespace

void app_frame(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  ++app.frame_count;
  app.fps = io.Framerate;
  if (app.trainer.model.layers.empty() && app.error.empty()) app_reset(app);
  if (app.frame_count == 1) url_state_apply(app);

  keyboard_shortcuts(app);
  app.keys_pressed.clear();
  if (app.mode == Mode::toy_manifold) train_time_slice(app);
  if (app.mode == Mode::mnist) mnist_train_slice(app.mnist);

  menu_bar(app);
  const float top = ImGui::GetFrameHeight();  // below the menu bar
  const float W = io.DisplaySize.x, H = io.DisplaySize.y - top;
  const float panel_w = app.hide_controls ? 0.0f : std::min(W * 0.4f, 380.0f * app.ui_scale);
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;

  if (!app.hide_controls) side_panel(app, top, panel_w, H, fixed);

  if (app.mode == Mode::toy_manifold) {
    const float rest_w = W - panel_w;
    const float view_w = std::min(rest_w * 0.55f, H);
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(view_w, H), ImGuiCond_Always);
    ImGui::Begin("Data and reconstruction", nullptr, fixed);
    data_view(app);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(panel_w + view_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w - view_w, H), ImGuiCond_Always);
    ImGui::Begin("Loss", nullptr, fixed);
    loss_plot(app);
    ImGui::End();
  } else if (app.mode == Mode::mnist) {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin("MNIST: the learned code space", nullptr, fixed);
    mnist_ui(app.mnist, app.ui_scale, app.dark_theme, true);
    ImGui::End();
  } else {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin("Step through one gradient-descent step", nullptr, fixed);
    stepper_ui(app.stepper, app.ui_scale, app.dark_theme);
    ImGui::End();
  }

  const std::string& message = !app.error.empty() ? app.error : app.trainer.failure;
  if (!message.empty()) {
    ImGui::SetNextWindowPos(ImVec2(panel_w + 10, io.DisplaySize.y - 10), ImGuiCond_Always, ImVec2(0, 1));
    ImGui::SetNextWindowBgAlpha(0.95f);
    ImGui::Begin("##error", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.35f, 1.0f), "%s", message.c_str());
    ImGui::TextUnformatted("Lower η and press Reset.");
    ImGui::End();
  }
  help_overlay(app);
}

namespace {
std::string json_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

std::string app_state_json(const App& app) {
  std::ostringstream out;
  auto rect = [&](const WidgetRect& r) {
    std::ostringstream o;
    o << "{\"x\":" << r.x << ",\"y\":" << r.y << ",\"w\":" << r.w << ",\"h\":" << r.h << "}";
    return o.str();
  };
  out << "{\"frame\":" << app.frame_count << ",\"fps\":" << app.fps << ",\"running\":" << (app.running ? "true" : "false")
      << ",\"steps\":" << app.trainer.steps << ",\"epoch\":" << app.trainer.epoch
      << ",\"loss_first\":" << (app.loss_curve.empty() ? 0.0f : app.loss_curve.front().loss)
      << ",\"loss\":" << (app.loss_curve.empty() ? 0.0f : app.loss_curve.back().loss)
      << ",\"loss_points\":" << app.loss_curve.size() << ",\"failure\":\"" << (app.trainer.failure.empty() ? "" : "stopped")
      << "\",\"ui_scale\":" << app.ui_scale << ",\"pixel_ratio\":" << app.pixel_ratio
      << ",\"error\":\"" << json_escape(app.error) << "\""
      << ",\"buttons\":{\"start\":" << rect(app.start_button) << ",\"reset\":" << rect(app.reset_button) << "}"
      << ",\"mode\":\"" << (app.mode == Mode::toy_manifold ? "toy_manifold" : "backprop_steps") << "\",\"lesson\":" << app.lesson
      << ",\"stepper\":{\"phase\":" << app.stepper.phase << ",\"phases\":" << app.stepper.phases.size()
      << ",\"steps_done\":" << app.stepper.steps_done << ",\"label\":\"" << json_escape(app.stepper.phase_label)
      << "\",\"value\":" << json_number(app.stepper.phase_value) << "}"
      << ",\"mnist\":{\"status\":" << int(app.mnist.status) << ",\"steps\":" << app.mnist.trainer.steps
      << ",\"running\":" << (app.mnist.running ? "true" : "false") << ",\"loss_first\":"
      << (app.mnist.curve.empty() ? 0.0f : app.mnist.curve.front().loss) << ",\"loss\":"
      << (app.mnist.curve.empty() ? 0.0f : app.mnist.curve.back().loss) << ",\"shown\":" << app.mnist.plane.cols() << ",\"pca_loss\":" << json_number(app.mnist.pca_loss) << "}}";
  return out.str();
}

}  // namespace app
