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

// Closes a point of the training curves; the validation C is measured on the shown points
// (at most 600, spread over the data set), so it costs the same whatever N is.
void add_curve_point(App& app) {
  app.last_curve_update = ImGui::GetTime();
  const float c = app.shown.cols() ? ae::evaluate_loss(app.trainer.model, app.trainer.config.loss, app.shown) : 0.0f;
  app.curves.add_point(app.trainer.steps, c);
}

// One minibatch step of the toy scene, its terms recorded for the curves.
void toy_step(App& app) {
  app.trainer.step();
  const auto& w = app.trainer.ws;
  if (app.trainer.failure.empty()) app.curves.add_batch(w.loss, w.reconstruction, w.sparsity_penalty + w.contractive_penalty);
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
    toy_step(app);
    add_curve_point(app);
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("One minibatch: forward, loss, backward, one update (key: S)");
  ImGui::Text("epoch %d   step %lld   C %.5f", app.trainer.epoch, app.trainer.steps, app.curves.last_validation());

  ImGui::Spacing();
  ImGui::TextUnformatted("Data (changes restart)");
  ImGui::Separator();
  const char* manifolds[] = {"circle", "spiral", "two moons", "swiss roll (3-D)", "S-curve (3-D)", "helix (3-D)", "sphere (3-D)"};
  int m = int(s.manifold);
  if (ImGui::Combo("data", &m, manifolds, IM_ARRAYSIZE(manifolds))) {
    s.manifold = ae::ToyManifold(m);
    needs_reset = true;
  }
  needs_reset |= ImGui::SliderFloat("noise σ", &s.noise, 0.0f, 0.2f, "%.3f", ImGuiSliderFlags_AlwaysClamp);
  needs_reset |= ImGui::SliderInt("points N", &s.n_points, 50, 4000, "%d", ImGuiSliderFlags_AlwaysClamp);

  PanelOptions options;
  options.allow_vae = false;  // the VAE lives in the MNIST scenes
  options.max_layer_size = 128;
  options.max_code_size = 2;  // the view draws the decoder's image of a 1-D or 2-D code
  const PanelChange change = training_panel(s.training, s.net, options, &app.corruption_slider);
  ImGui::TextDisabled("%s", architecture_text(s.net, ae::toy_dimension(s.manifold)).c_str());
  if (needs_reset || change.restart) app_reset(app);
  else if (change.live) {
    apply_live_settings(s.training, app.trainer.config);
    try {
      ae::validate(app.trainer.config.regularization, app.trainer.model);
      app.error.clear();
    } catch (const ae::Error& e) {
      app.trainer.config.regularization = ae::Regularization();
      app.error = e.what();
    }
  }

  ImGui::Spacing();
  ImGui::TextUnformatted("View");
  ImGui::Separator();
  if (ae::toy_dimension(s.manifold) == 2) ImGui::Checkbox("reconstruction field r(x) − x", &app.show_field);
  ImGui::Checkbox("encoder Jacobian ∂h/∂x directions", &app.show_jacobian);
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
  const int dim = int(app.shown.rows());

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
  const ae::Matrix<float>& data = app.shown;  // at most 600 points: the view costs the same for any N
  ae::Workspace<float> ws;
  const ae::Matrix<float> recon = ae::forward(model, data, ws);
  const ae::Matrix<float> code = ws.acts[size_t(model.code_layer)].a;
  const float r = 2.5f * app.ui_scale;
  const ImU32 arrow_colour = dark ? IM_COL32(240, 240, 240, 150) : IM_COL32(40, 40, 40, 150);
  auto arrow = [&](ImVec2 from, ImVec2 to, ImU32 colour, float width) {
    draw->AddLine(from, to, colour, width);
    const float dx = to.x - from.x, dy = to.y - from.y, len = std::hypot(dx, dy);
    if (len < 4) return;
    const float ux = dx / len, uy = dy / len, head = std::min(6.0f * app.ui_scale, len * 0.4f);
    draw->AddTriangleFilled(to, ImVec2(to.x - head * (ux + 0.5f * uy), to.y - head * (uy - 0.5f * ux)),
                            ImVec2(to.x - head * (ux - 0.5f * uy), to.y - head * (uy + 0.5f * ux)), colour);
  };

  // The reconstruction field: at each point p of a grid, an arrow to r(p) = g(f(p)). For a
  // denoising AE, r(p) − p points back towards the data (it estimates the score ∇ log p).
  if (app.show_field && dim == 2) {
    const int G = 21;
    ae::Matrix<float> grid_points(2, G * G);
    for (int i = 0; i < G; ++i)
      for (int j = 0; j < G; ++j) grid_points.col(i * G + j) << (float(j) + 0.5f) / float(G), (float(i) + 0.5f) / float(G);
    const ae::Matrix<float> to = ae::decode(model, ae::encode(model, grid_points));
    for (int i = 0; i < G * G; ++i) arrow(point(grid_points, i), point(to, i), IM_COL32(120, 120, 140, 160), 1.0f * app.ui_scale);
  }

  const ae::CorruptionConfig& corruption = app.trainer.config.regularization.corruption;
  if (corruption.active()) {
    // Denoising: each point x is corrupted to x̃ (hollow), and the network maps x̃ to g(f(x̃)):
    // the arrows x̃ → g(f(x̃)) pull the corrupted points back to the learned manifold. The same
    // draw every frame, so arrows move only as the model learns.
    ae::Rng rng(99);
    ae::Matrix<float> x_tilde;
    ae::corrupt(corruption, data, x_tilde, rng);
    const ae::Matrix<float> denoised = ae::decode(model, ae::encode(model, x_tilde));
    for (Eigen::Index i = 0; i < data.cols(); ++i) draw->AddCircleFilled(point(data, i), r * 0.8f, viridis(app.shown_intrinsic(i), 0.45f));
    for (Eigen::Index i = 0; i < data.cols(); ++i) {
      draw->AddCircle(point(x_tilde, i), r, arrow_colour, 8, 1.0f);
      arrow(point(x_tilde, i), point(denoised, i), viridis(app.shown_intrinsic(i), 0.9f), 1.3f * app.ui_scale);
    }
  } else {
    // Reconstruction lines and points.
    for (Eigen::Index i = 0; i < data.cols(); ++i) draw->AddLine(point(data, i), point(recon, i), viridis(app.shown_intrinsic(i), 0.35f));
    for (Eigen::Index i = 0; i < data.cols(); ++i) draw->AddCircleFilled(point(data, i), r, viridis(app.shown_intrinsic(i)));
  }

  // The encoder's Jacobian J = ∂h/∂x at every 15th point: its right singular vectors scaled by the
  // singular values — the directions in which moving x changes the code. A contractive AE keeps
  // them short across the manifold and long only along it.
  if (app.show_jacobian && data.cols() > 0) {
    const float reach = 0.04f;  // in data units, for the largest singular value seen
    std::vector<std::pair<Eigen::Index, Eigen::JacobiSVD<ae::Matrix<double>>>> svds;
    double largest = 1e-12;
    for (Eigen::Index i = 0; i < data.cols(); i += 15) {
      const ae::Matrix<double> J = ae::encoder_jacobian(model, ae::Vector<float>(data.col(i)));
      svds.emplace_back(i, Eigen::JacobiSVD<ae::Matrix<double>>(J, Eigen::ComputeFullV));
      largest = std::max(largest, svds.back().second.singularValues()(0));
    }
    for (const auto& [i, svd] : svds) {
      const ae::Vector<double>& sv = svd.singularValues();
      for (Eigen::Index k = 0; k < sv.size(); ++k) {
        const ae::Vector<double> v = svd.matrixV().col(k) * (reach * sv(k) / largest);
        ae::Matrix<float> ends(dim, 2);
        for (int d = 0; d < dim; ++d) {
          ends(d, 0) = data(d, i) - float(v(d));
          ends(d, 1) = data(d, i) + float(v(d));
        }
        draw->AddLine(point(ends, 0), point(ends, 1), k == 0 ? IM_COL32(230, 159, 0, 255) : IM_COL32(86, 180, 233, 255),
                      2.0f * app.ui_scale);
      }
    }
  }

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
    } else if (k == 2) {
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
  ImGui::TextWrapped("%s Red: the decoder's image of the code space (the learned manifold).%s%s%s",
                     corruption.active() ? "Faint dots: the data x. Hollow circles: corrupted x̃; arrows: x̃ → g(f(x̃)), the "
                                           "denoising pull back to the manifold."
                                         : "Dots: the data x, coloured by position along the manifold. Thin lines: x → its "
                                           "reconstruction y.",
                     app.show_jacobian ? " Orange/blue bars: ∂h/∂x's singular directions, length ∝ singular value." : "",
                     app.show_field && dim == 2 ? " Grey arrows: p → r(p) on a grid." : "",
                     dim == 3 ? " Drag to rotate." : "");
  ImGui::PopStyleColor();
}

// The training curves (objective, reconstruction, penalty, validation C) on a log scale.
void loss_plot(App& app) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float h = std::max(80.0f, std::min(avail.y * 0.6f, avail.y - ImGui::GetTextLineHeightWithSpacing() * 8));
  CurvesStyle style;
  style.validation_name = "C on the data";
  curves_plot(app.curves, style, ImVec2(avail.x, h), app.dark_theme, app.ui_scale);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Training objective C + Ω and its parts, averaged over the batches between two points; C on the data "
                     "(up to 600 points) without corruption.");
  ImGui::PopStyleColor();
  // The code units' mean activations (sparsity at work).
  if (app.shown.cols() > 0) {
    const ae::Matrix<float> h_codes = ae::encode(app.trainer.model, app.shown);
    const ae::Vector<float> mean = h_codes.rowwise().mean();
    const auto& sp = app.trainer.config.regularization.sparsity;
    ImGui::Text("Mean activation of each code unit");
    code_activation_plot(mean, sp.kind == ae::SparsityKind::kl ? sp.target : 0.0, ImVec2(std::min(avail.x, 200 * app.ui_scale), 50 * app.ui_scale),
                         app.dark_theme, app.ui_scale);
  }
}

void help_overlay(App& app) {
  if (!app.show_help) return;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::Begin("Keyboard shortcuts", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::TextUnformatted("Space   start / pause training");
  ImGui::TextUnformatted("S       one training step (when paused; toy scenes)");
  ImGui::TextUnformatted("R       reset (same seed, same initial weights)");
  ImGui::TextUnformatted("+ / -   bigger / smaller UI");
  ImGui::TextUnformatted("C       hide / show the side panel (for projecting)");
  ImGui::TextUnformatted("H or ?  this help");
  ImGui::Separator();
  ImGui::TextUnformatted("In step-through lessons:");
  ImGui::TextUnformatted("→ / Space  next phase      ←  previous phase");
  ImGui::TextUnformatted("Enter      finish this step (one batch)   R  reset to the first step");
  ImGui::TextUnformatted("S          one step on the shown sample   P  run / pause whole steps");
  ImGui::TextUnformatted("N          new random weights (new seed)");
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
    if (key_pressed(app, k.s)) stepper_step_sample(app.stepper);
    if (key_pressed(app, k.p)) stepper_toggle_run(app.stepper);
    if (key_pressed(app, k.n)) stepper_new_seed(app.stepper);
  } else if (app.mode == Mode::stacked) {
    if (key_pressed(app, k.space) && app.mnist.status == MnistScene::Status::ready) app.stacked.running = !app.stacked.running;
    if (key_pressed(app, k.r)) stacked_reset(app.stacked, app.mnist);
  } else if (app.mode == Mode::mnist) {
    MnistScene& m = app.mnist;
    if (key_pressed(app, k.space) && m.failure().empty() && m.status == MnistScene::Status::ready) m.running = !m.running;
    if (key_pressed(app, k.r)) mnist_reset(m);
  } else {
    if (key_pressed(app, k.space) && app.trainer.failure.empty()) app.running = !app.running;
    if (key_pressed(app, k.s) && !app.running && app.trainer.failure.empty()) {
      toy_step(app);
      add_curve_point(app);
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
  while (ms_since(t0) < app.train_budget_ms && app.trainer.failure.empty()) toy_step(app);
  if (!app.trainer.failure.empty()) app.running = false;
  if (app.trainer.steps != before && ImGui::GetTime() - app.last_curve_update > 0.1) add_curve_point(app);
}

// ---- Lessons ------------------------------------------------------------------------------------

// ---- Lesson scenes ----

MnistSettings linear_mnist(int k) {
  MnistSettings m;
  m.net.encoder_hidden.clear();
  m.net.code_size = k;
  m.net.code_activation = ae::Activation::linear;
  m.net.output_activation = ae::Activation::linear;
  m.training.loss = ae::LossKind::squared_error;
  m.training.learning_rate = 1e-3f;
  m.training.batch_size = 64;
  return m;
}

// One hidden layer of sigmoid units (784 → n → 784, cross-entropy): the setting of the classic
// pictures of denoising and sparse filters; the code is the hidden layer, its filters are W¹.
MnistSettings one_layer_mnist(int n, Variant variant) {
  MnistSettings m;
  m.net.encoder_hidden.clear();
  m.net.code_size = n;
  m.net.code_activation = ae::Activation::sigmoid;
  m.net.output_activation = ae::Activation::sigmoid;
  m.training.variant = variant;
  m.training.loss = ae::LossKind::binary_cross_entropy;
  m.training.learning_rate = 3e-3f;
  m.training.batch_size = 64;
  return m;
}

MnistSettings denoising_mnist(double level) {
  MnistSettings m = one_layer_mnist(64, Variant::denoising);
  m.net.code_activation = ae::Activation::relu;  // sigmoid units saturate for minutes first (measured with aelab train)
  m.training.regularization.corruption.kind = ae::CorruptionKind::masking;
  m.training.regularization.corruption.level = level;
  return m;
}

MnistSettings sparse_mnist() {
  MnistSettings m = one_layer_mnist(64, Variant::sparse_kl);
  m.training.regularization.sparsity.target = 0.05;
  m.training.regularization.sparsity.kl_weight = 0.1;
  m.training.learning_rate = 1e-2f;
  return m;
}

MnistSettings contractive_mnist() {
  MnistSettings m = one_layer_mnist(64, Variant::contractive);
  m.training.regularization.contractive.weight = 0.003;  // exact form: a one-layer encoder
  m.training.learning_rate = 1e-2f;
  return m;
}

MnistSettings vae_mnist() {
  MnistSettings m;
  m.net.encoder_hidden = {{256, ae::Activation::relu}};
  m.net.code_size = 2;
  m.training.variant = Variant::vae;
  m.training.vae_beta = 1.0;
  m.training.learning_rate = 1e-3f;
  m.training.batch_size = 64;
  return m;
}

Settings toy_settings(ae::ToyManifold m, int code, ae::Activation act, int hidden) {
  Settings t;
  t.manifold = m;
  t.net.encoder_hidden = {{hidden, act}};
  t.net.code_size = code;
  return t;
}

Settings denoising_toy() {
  Settings t = toy_settings(ae::ToyManifold::spiral, 1, ae::Activation::tanh, 32);
  t.training.variant = Variant::denoising;
  t.training.regularization.corruption.kind = ae::CorruptionKind::gaussian;
  t.training.regularization.corruption.level = 0.05;
  t.n_points = 400;
  return t;
}

void lesson_panel(App& app) {
  if (app.lesson < 0) return;
  const Lesson& lesson = lessons()[size_t(app.lesson)];
  ImGui::PushStyleColor(ImGuiCol_Text, app.dark_theme ? ImVec4(1.0f, 0.85f, 0.4f, 1.0f) : ImVec4(0.65f, 0.4f, 0.0f, 1.0f));
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
      {"7. Denoising digits: 0, 25 and 50 % of the pixels masked",
       "A denoising autoencoder sees a corrupted x̃ (here: a fraction ν of the pixels set to 0) and must output the CLEAN "
       "x: C = L(x, g(f(x̃))). It cannot copy its input, so it has to learn what digits look like. The three rows show x, "
       "x̃ and g(f(x̃)). Train at 25 %, press \"Keep these filters\", then set ν to 0 % (button) and to 50 %, Reset, train "
       "and keep again: without corruption the filters W¹ stay noisy and global; with it they become strokes and blobs. "
       "The test loss is always on clean digits.",
       Mode::mnist, nullptr, Settings(), denoising_mnist(0.25)},
      {"8. Denoising pulls points back onto the manifold",
       "Each dot x is corrupted by Gaussian noise to x̃ (hollow circle); the arrows go from x̃ to the network's output "
       "g(f(x̃)). Trained to undo the noise, the autoencoder learns a vector field that points from anywhere back onto "
       "the data's curve: r(x) − x is proportional to ∇ log p(x), the direction in which the data get denser. Tick "
       "\"reconstruction field\" to see it on a grid over the whole plane; move σ and watch the pull widen.",
       Mode::toy_manifold, nullptr, denoising_toy(), MnistSettings()},
      {"9. Sparse codes: each unit fires rarely",
       "64 sigmoid code units, with a KL penalty β Σⱼ KL(ρ ‖ ρ̂ⱼ) that pushes each unit's mean activation ρ̂ⱼ (over a "
       "batch) to ρ = 0.05. The bar chart under the scatter shows every ρ̂ⱼ against the line ρ: bars fall to it as "
       "training goes on, and the filters turn into local strokes. Try the L1 penalty λ Σ|hⱼ| or k-sparse (keep the k "
       "largest codes) from the variant menu, and β = 0 to see the dense code without the penalty.",
       Mode::mnist, nullptr, Settings(), sparse_mnist()},
      {"10. Contractive: a code that ignores small moves of x",
       "The contractive penalty λ ‖∂h/∂x‖²_F makes the code h insensitive to small changes of the input. For this "
       "one-layer encoder h = σ(Wx + b) it is exact: ‖J‖²_F = Σⱼ σ'(zⱼ)² ‖Wⱼ‖², backpropagated with the "
       "reconstruction's gradient. The mean ‖∂h/∂x‖_F is shown under the curves; choose \"plain autoencoder\", Reset "
       "and train to compare: the plain code is about three times more sensitive (2.7 against 0.9 after 700 steps). The price is visible too: the cheapest "
       "way to be insensitive is to saturate (σ' ≈ 0), so most units sit near 1 in the activation bars, and the "
       "reconstructions are blurrier than PCA's dashed line. Lower λ to trade less.",
       Mode::mnist, nullptr, Settings(), contractive_mnist()},
      {"11. The VAE: a smooth latent space you can sample",
       "A variational autoencoder encodes x as a Gaussian q(z|x) = N(μ, σ²), samples z = μ + σ ⊙ ε, and is trained on "
       "−ELBO = reconstruction + β KL(q(z|x) ‖ N(0, I)). The KL term keeps the codes near the origin and overlapping, "
       "so every point of the plane decodes to a plausible digit: the grid over z ∈ [−3, 3]² and the samples from the "
       "prior N(0, I) become digits. Set β to 0 (a plain AE with noise) and compare the holes in the grid; raise it and "
       "the digits blur as the KL wins.",
       Mode::mnist, nullptr, Settings(), vae_mnist()},
      {"12. Backprop through four layers: the 8-4-2-4-8 encoder problem",
       "Eight one-hot inputs must pass through a two-unit code and come back out. Each deep layer is drawn as a block: "
       "z, a and δ of every unit as coloured cells, and W as a heatmap between them (∇W while the gradients are "
       "computed). Step down the hidden deltas δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹ and watch δ get paler layer by layer. Click "
       "a weight cell to follow its gradient and the finite-difference check. Press Run (P) to watch C fall, and New "
       "seed (N) to start from other random weights.",
       Mode::backprop_steps, "deep-8-4-2-4-8.json", Settings(), MnistSettings()},
      {"13. Heatmaps: a 16-8-16 autoencoder on 4×4 bars",
       "Each input is a 4×4 image of one horizontal or vertical bar, 16 pixels read row by row. With 16 units in a "
       "column, every layer is drawn as cells and every weight matrix as a heatmap. Hover a cell for its exact value; "
       "Step one sample (S) compares one-example SGD with a whole-batch step (Enter). Run it and watch W² develop "
       "bar-shaped rows and the reconstruction y approach x.",
       Mode::backprop_steps, "bars-16-8-16.json", Settings(), MnistSettings()},
      {"14. Stacked autoencoders: pretraining, then a classifier",
       "Greedy layer-wise pretraining: layer 1 is trained as a denoising autoencoder of the pixels (784 → 256 → 784), "
       "then layer 2 as one of layer 1's codes (256 → 64 → 256), using the 12,000 digits without their labels. Then a "
       "softmax layer goes on top and the whole encoder is fine-tuned on only 300 labelled digits, next to the same "
       "network started from random weights with the same budget. Pretraining made deep sigmoid networks trainable in "
       "2006; with today's initialisation and Adam the difference is small and can go either way — this scene measures "
       "it rather than asserting it. Try fewer labels, more pretraining epochs, or ν = 0.",
       Mode::stacked, nullptr, Settings(), MnistSettings()},
  };
  return all;
}

// ---- Public entry points ----------------------------------------------------------------------

void app_start_training(App& app) {
  if (app.mode == Mode::stacked) app.stacked.running = app.mnist.status == MnistScene::Status::ready;
  else if (app.mode == Mode::mnist) app.mnist.running = app.mnist.status == MnistScene::Status::ready;
  else app.running = true;
}

void app_training_progress(const App& app, float& first, float& last, long long& steps) {
  first = last = 0;
  steps = 0;
  if (app.mode == Mode::stacked) {
    // While pretraining: the first layer's reconstruction loss; then the pretrained classifier's
    // test error rate (%).
    const auto& acc = app.stacked.accuracy_pretrained;
    if (acc.size() >= 2) {
      first = 100.0f - acc.front();
      last = 100.0f - acc.back();
    } else if (!app.stacked.layer_curves.empty()) {
      const auto& r = app.stacked.layer_curves.front().reconstruction;
      for (float v : r)
        if (std::isfinite(v)) {
          if (first == 0) first = v;
          last = v;
        }
    }
    steps = app.stacked.layer_trainer.steps + app.stacked.pretrained.steps;
  } else if (app.mode == Mode::mnist) {
    if (!app.mnist.curves.validation.empty()) {
      first = app.mnist.curves.validation.front();
      last = app.mnist.curves.validation.back();
    }
    steps = app.mnist.steps();
  } else {
    if (!app.curves.validation.empty()) {
      first = app.curves.validation.front();
      last = app.curves.validation.back();
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
  if (lesson.mode == Mode::stacked) {
    app.stacked.settings = StackedSettings();
    app.stacked.running = false;
    if (app.mnist.status == MnistScene::Status::ready) stacked_reset(app.stacked, app.mnist);
    else {
      app.stacked.stage = StackedScene::Stage::idle;  // set up when the data are in
      mnist_request_data(app.mnist);
    }
  } else if (lesson.mode == Mode::mnist) {
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
    app.show_jacobian = false;
    app.show_field = false;
    app_reset(app);
  }
}

void app_reset(App& app) {
  Settings& s = app.settings;
  if (s.training.variant == Variant::vae) s.training.variant = Variant::plain;  // not offered on toy data
  clamp_spec(s.training, s.net, 128);
  s.net.code_size = std::min(s.net.code_size, 2);
  try {
    ae::Rng rng(uint64_t(s.training.seed));
    ae::ToyData<float> toy = ae::make_toy<float>(s.manifold, s.n_points, s.noise, rng);
    const ae::Architecture arch = architecture_for(s.net, ae::toy_dimension(s.manifold));
    bool relu = false;
    for (const auto& l : arch.layers) relu |= l.activation == ae::Activation::relu || l.activation == ae::Activation::leaky_relu;
    app.trainer = ae::Trainer<float>();
    app.trainer.model = ae::make_autoencoder<float>(arch, relu ? ae::Init::he_normal : ae::Init::glorot_uniform, rng);
    app.trainer.data = std::move(toy.points);
    app.trainer.rng.reseed(uint64_t(s.training.seed) * 2654435761ull + 17);
    app.trainer.noise_rng.reseed(uint64_t(s.training.seed) * 40503ull + 3);
    apply_live_settings(s.training, app.trainer.config);
    app.trainer.reset_progress();
    app.intrinsic = std::move(toy.intrinsic);
    // The shown points: every k-th, at most 600 (the data are drawn in random order along the manifold).
    const Eigen::Index N = app.trainer.data.cols(), stride = (N + 599) / 600;
    const Eigen::Index n_shown = (N + stride - 1) / stride;
    app.shown.resize(app.trainer.data.rows(), n_shown);
    app.shown_intrinsic.resize(n_shown);
    for (Eigen::Index i = 0; i < n_shown; ++i) {
      app.shown.col(i) = app.trainer.data.col(i * stride);
      app.shown_intrinsic(i) = app.intrinsic(i * stride);
    }
    app.curves.clear();
    add_curve_point(app);
    app.error.clear();
    // A setting the new network cannot take (KL sparsity on a code that is not a sigmoid): say so,
    // and train without the regularization rather than not at all.
    ae::validate(app.trainer.config.regularization, app.trainer.model);
  } catch (const ae::Error& e) {
    app.error = e.what();
    app.trainer.config.regularization = ae::Regularization();
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
        0x0300, 0x036F,  // combining marks: x̃, ρ̂
        0x2C60, 0x2C7F,  // Latin extended-C: ⱼ
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
  } else if (app.mode == Mode::stacked) {
    stacked_controls(app.stacked, app.mnist);
    app.start_button = app.stacked.start_button;
  } else if (app.mode == Mode::mnist) {
    mnist_controls(app.mnist);
    app.start_button = app.mnist.start_button;
    app.reset_button = app.mnist.reset_button;
    app.corruption_slider = app.mnist.corruption_slider;
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
  if (app.mode == Mode::stacked) {
    // The stacked scene uses the digits, not the MNIST scene's model: free that model's copy of them.
    if (app.mnist.trainer.data.size() > 0 || app.mnist.vae_trainer.data.size() > 0) mnist_release_model(app.mnist);
    stacked_train_slice(app.stacked, app.mnist, app.train_budget_ms);
  }

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
  } else if (app.mode == Mode::stacked) {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin("Stacked autoencoder: greedy pretraining, then fine-tuning", nullptr, fixed);
    if (app.mnist.status == MnistScene::Status::idle) mnist_request_data(app.mnist);
    stacked_ui(app.stacked, app.mnist, app.ui_scale, app.dark_theme);
    ImGui::End();
  } else if (app.mode == Mode::mnist) {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin("MNIST: the learned code space", nullptr, fixed);
    mnist_ui(app.mnist, app.ui_scale, app.dark_theme);
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
    if (app.error.empty()) ImGui::TextUnformatted("Lower η and press Reset.");
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

// The training settings of the current scene: what the panel shows (spec) and what the trainer
// actually uses at its next step (config), so a test can tell that a slider took effect.
std::string training_json(const App& app) {
  const bool mnist = app.mode == Mode::mnist;
  const TrainingSpec& t = mnist ? app.mnist.settings.training : app.settings.training;
  const ae::TrainConfig& config = mnist ? app.mnist.trainer.config : app.trainer.config;
  const auto& c = config.regularization.corruption;
  std::ostringstream o;
  o << "{\"variant\":" << int(t.variant) << ",\"variant_name\":\"" << json_escape(variant_title(t.variant))
    << "\",\"corruption_level\":" << json_number(t.regularization.corruption.level)
    << ",\"trainer_corruption\":\"" << ae::corruption_name(c.kind) << "\",\"trainer_corruption_level\":" << json_number(c.level)
    << ",\"trainer_sparsity\":\"" << ae::sparsity_name(config.regularization.sparsity.kind)
    << "\",\"trainer_contractive\":" << json_number(config.regularization.contractive.weight)
    << ",\"learning_rate\":" << json_number(config.optimizer.learning_rate)
    << ",\"corruption_slider\":{\"x\":" << app.corruption_slider.x << ",\"y\":" << app.corruption_slider.y
    << ",\"w\":" << app.corruption_slider.w << ",\"h\":" << app.corruption_slider.h << "}}";
  return o.str();
}

std::string app_state_json(const App& app) {
  std::ostringstream out;
  auto rect = [&](const WidgetRect& r) {
    std::ostringstream o;
    o << "{\"x\":" << r.x << ",\"y\":" << r.y << ",\"w\":" << r.w << ",\"h\":" << r.h << "}";
    return o.str();
  };
  out << "{\"frame\":" << app.frame_count << ",\"fps\":" << app.fps << ",\"running\":" << (app.running ? "true" : "false")
      << ",\"steps\":" << app.trainer.steps << ",\"epoch\":" << app.trainer.epoch
      << ",\"loss_first\":" << (app.curves.validation.empty() ? 0.0f : app.curves.validation.front())
      << ",\"loss\":" << app.curves.last_validation()
      << ",\"loss_points\":" << app.curves.steps.size() << ",\"failure\":\"" << (app.trainer.failure.empty() ? "" : "stopped")
      << "\",\"ui_scale\":" << app.ui_scale << ",\"pixel_ratio\":" << app.pixel_ratio
      << ",\"error\":\"" << json_escape(app.error) << "\""
      << ",\"buttons\":{\"start\":" << rect(app.start_button) << ",\"reset\":" << rect(app.reset_button) << "}"
      << ",\"mode\":\"" << (app.mode == Mode::toy_manifold ? "toy_manifold" : app.mode == Mode::mnist ? "mnist" : app.mode == Mode::stacked ? "stacked" : "backprop_steps") << "\",\"lesson\":" << app.lesson
      << ",\"stepper\":{\"phase\":" << app.stepper.phase << ",\"phases\":" << app.stepper.phases.size()
      << ",\"steps_done\":" << app.stepper.steps_done << ",\"label\":\"" << json_escape(app.stepper.phase_label)
      << "\",\"value\":" << json_number(app.stepper.phase_value) << "}"
      << ",\"mnist\":{\"status\":" << int(app.mnist.status) << ",\"steps\":" << app.mnist.steps()
      << ",\"running\":" << (app.mnist.running ? "true" : "false") << ",\"vae\":" << (app.mnist.vae ? "true" : "false")
      << ",\"loss_first\":" << (app.mnist.curves.validation.empty() ? 0.0f : app.mnist.curves.validation.front())
      << ",\"loss\":" << app.mnist.curves.last_validation() << ",\"shown\":" << app.mnist.plane.cols()
      << ",\"pca_loss\":" << json_number(app.mnist.pca_loss) << ",\"kept_filters\":" << app.mnist.kept_filters.size() << ",\"jacobian_norm\":" << json_number(app.mnist.jacobian_norm) << "}"
      << ",\"stacked\":{\"stage\":" << int(app.stacked.stage) << ",\"layer\":" << app.stacked.layer
      << ",\"running\":" << (app.stacked.running ? "true" : "false") << ",\"error\":\"" << json_escape(app.stacked.error) << "\""
      << ",\"pretrain_steps\":" << app.stacked.layer_trainer.steps << ",\"finetune_steps\":" << app.stacked.pretrained.steps
      << ",\"accuracy_pretrained\":" << json_number(app.stacked.accuracy_pretrained.empty() ? -1.0 : app.stacked.accuracy_pretrained.back())
      << ",\"accuracy_random\":" << json_number(app.stacked.accuracy_random.empty() ? -1.0 : app.stacked.accuracy_random.back()) << "}"
      << ",\"training\":" << training_json(app) << "}";
  return out.str();
}

}  // namespace app
