// app.cpp — the AE Lab user interface: controls, the data/reconstruction view and the loss curve.
//
// Immediate-mode UI: every frame rebuilds the widgets from the App struct, so there is no UI state
// to keep in sync with the engine. Training runs on its own thread (the desktop app) or in a time
// slice of each frame (App::train_budget_ms, the page), so the UI stays responsive while the
// network learns.
#include "app.h"

#include "app_files.h"
#include "embedded.h"
#include "layout.h"
#include "plot.h"
#include "theme.h"
#include "url_state.h"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include <sstream>
#include <unordered_set>

namespace app {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// What a toy step changes: the trainer and its curves. The App's own (training in the frames' time
// slices, or a Step), or the copy a TrainingThread trains (ToyCopy below).
struct ToyRun {
  ae::Trainer<float>& trainer;
  TrainingCurves& curves;
  const ae::Matrix<float>& shown;  // the points the validation C is measured on
  double& last_curve_update;
};
ToyRun toy_run(App& app) { return {app.trainer, app.curves, app.shown, app.last_curve_update}; }

// Closes a point of the training curves; the validation C is measured on the shown points
// (at most 600, spread over the data set), so it costs the same whatever N is.
void add_curve_point(const ToyRun& run) {
  run.last_curve_update = now_seconds();
  const float c = run.shown.cols() ? ae::evaluate_loss(run.trainer.model, run.trainer.config.loss, run.shown) : 0.0f;
  run.curves.add_point(run.trainer.steps, c);
}

// One minibatch step of the toy scene, its terms recorded for the curves.
void toy_step(const ToyRun& run) {
  run.trainer.step();
  const auto& w = run.trainer.ws;
  if (run.trainer.failure.empty()) run.curves.add_batch(w.loss, w.reconstruction, w.sparsity_penalty + w.contractive_penalty);
}

// Toy steps until `budget_ms` has passed or a step fails, with a point of the curves every 0.1 s.
// Returns whether a step was taken.
bool toy_steps_for(const ToyRun& run, double budget_ms) {
  const auto t0 = Clock::now();
  const long long before = run.trainer.steps;
  while (ms_since(t0) < budget_ms && run.trainer.failure.empty()) toy_step(run);
  if (run.trainer.steps != before && now_seconds() - run.last_curve_update > 0.1) add_curve_point(run);
  return run.trainer.steps != before;
}

// The Step button and key S (paused): one step of the App's model, shown at once.
void toy_step_button(App& app) {
  toy_step(toy_run(app));
  add_curve_point(toy_run(app));
  ++app.toy_edits;  // the App is ahead of the training thread's copy
}

// ---- Controls ---------------------------------------------------------------------------------

void controls_panel(App& app) {
  Settings& s = app.settings;
  bool needs_reset = false;

  ImGui::TextUnformatted(tr("Training"));
  ImGui::Separator();
  const char* run_label = app.running ? tr("Pause##run") : (app.trainer.steps == 0 ? tr("Start##run") : tr("Resume##run"));
  const float button_w = ImGui::GetContentRegionAvail().x / 3.0f - ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginDisabled(!app.trainer.failure.empty());
  if (ImGui::Button(run_label, ImVec2(button_w, 0))) app.running = !app.running;
  ImGui::EndDisabled();
  app.start_button = last_item_rect();
  ImGui::SameLine();
  if (ImGui::Button(tr("Reset##reset"), ImVec2(button_w, 0))) needs_reset = true;
  app.reset_button = last_item_rect();
  ImGui::SameLine();
  ImGui::BeginDisabled(app.running || !app.trainer.failure.empty());
  if (ImGui::Button(tr("Step##step"), ImVec2(button_w, 0))) {
    toy_step_button(app);
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", tr("One minibatch: forward, loss, backward, one update (key: S)"));
  ImGui::Text(tr("epoch %d   step %lld   C %.5f"), app.trainer.epoch, app.trainer.steps, app.curves.last_validation());

  ImGui::Spacing();
  ImGui::TextUnformatted(tr("Data (changes restart)"));
  ImGui::Separator();
  const char* manifolds[] = {tr("circle"), tr("spiral"), tr("two moons"), tr("swiss roll (3-D)"), tr("S-curve (3-D)"), tr("helix (3-D)"), tr("sphere (3-D)")};
  static_assert(std::size(manifolds) == std::size(ae::kToyManifolds), "one name per toy manifold");
  if (app.own_points.size() == 0) {  // the learner's own points: own_data_panel says what they are
    int m = int(s.manifold);
    if (ImGui::Combo(tr("data##manifold"), &m, manifolds, int(std::size(manifolds)))) {
      s.manifold = ae::ToyManifold(m);
      needs_reset = true;
    }
    needs_reset |= ImGui::SliderFloat(tr("noise σ##noise"), &s.noise, 0.0f, limits::max_toy_noise, "%.3f", ImGuiSliderFlags_AlwaysClamp);
    needs_reset |= ImGui::SliderInt(tr("points N##points"), &s.n_points, limits::min_toy_points, limits::max_toy_points, "%d", ImGuiSliderFlags_AlwaysClamp);
  } else {
    ImGui::TextDisabled(tr("%d points of your data, %d-D"), app.own_points.size(), app.own_points.n_features());
  }

  PanelOptions options;
  options.image_data = false;  // points: denoising starts with Gaussian noise, not masking
  options.allow_vae = false;   // the VAE lives in the MNIST scenes
  options.max_layer_size = 128;
  options.max_code_size = limits::toy_max_code_size;
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
  ImGui::TextUnformatted(tr("View"));
  ImGui::Separator();
  if (ae::toy_dimension(s.manifold) == 2) ImGui::Checkbox(tr("reconstruction field r(x) − x##field"), &app.show_field);
  ImGui::Checkbox(tr("encoder Jacobian ∂h/∂x directions##jacobian"), &app.show_jacobian);
  if (ImGui::Checkbox(tr("dark theme##theme"), &app.dark_theme)) app.fonts_dirty = true;  // the style, before the next frame
  float scale = app.ui_scale;
  if (ImGui::SliderFloat(tr("UI scale##scale"), &scale, 0.75f, 2.5f, "%.2f", ImGuiSliderFlags_AlwaysClamp))
    app.ui_scale = scale;
  if (ImGui::IsItemDeactivatedAfterEdit()) app.fonts_dirty = true;  // re-rasterise once, on release
  ImGui::TextDisabled("%.0f frames/s   %s", app.fps, ae::build_description());
}

// ---- Plots ------------------------------------------------------------------------------------


// "Away from the data" for the reconstruction field's summary: farther than this from every shown
// point (the unit square's units; the toy data's noise is 0.4 σ ≈ 0.01).
constexpr float kOffDataDistance = 0.08f;

// The data in input space, each point coloured by where on the manifold it was drawn, its
// reconstruction y = g(f(x)) with a line from x to y, and the decoder's image of the code space —
// the learned manifold — as a curve (1-D code) or a grid (2-D code).
void data_view(App& app) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(50.0f, std::min(avail.x, avail.y - 4 * ImGui::GetTextLineHeightWithSpacing()));
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  PlotFrame f{p0, ImVec2(p0.x + side, p0.y + side), 0, 1, 0, 1};  // the unit square the toy data live in
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

  draw_plot_background(draw, f, dark);
  const ImU32 grid = plot_colours(dark).grid;
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
  draw->PushClipRect(f.min, f.max, true);

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
  // Its size away from the data says whether the AE learned the identity (≈ 0 everywhere: an
  // overcomplete code copying its input) or a pull toward the data (denoising, sparse, contractive).
  app.field_off_data = -1;
  app.field_off_data_points = 0;
  if (app.show_field && dim == 2) {
    const int G = 21;
    ae::Matrix<float> grid_points(2, G * G);
    for (int i = 0; i < G; ++i)
      for (int j = 0; j < G; ++j) grid_points.col(i * G + j) << (float(j) + 0.5f) / float(G), (float(i) + 0.5f) / float(G);
    const ae::Matrix<float> to = ae::decode(model, ae::encode(model, grid_points));
    for (int i = 0; i < G * G; ++i) arrow(point(grid_points, i), point(to, i), IM_COL32(120, 120, 140, 160), 1.0f * app.ui_scale);
    double sum = 0;
    for (int i = 0; i < G * G; ++i) {
      const float nearest = (data.colwise() - grid_points.col(i)).colwise().norm().minCoeff();
      if (nearest < kOffDataDistance) continue;
      sum += double((to.col(i) - grid_points.col(i)).norm());
      ++app.field_off_data_points;
    }
    if (app.field_off_data_points > 0) app.field_off_data = sum / app.field_off_data_points;
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
    for (Eigen::Index i = 0; i < data.cols(); ++i) draw_dot(draw, point(data, i), r * 0.8f, viridis(app.shown_intrinsic(i), 0.45f));
    for (Eigen::Index i = 0; i < data.cols(); ++i) {
      draw->AddCircle(point(x_tilde, i), r, arrow_colour, 8, 1.0f);
      arrow(point(x_tilde, i), point(denoised, i), viridis(app.shown_intrinsic(i), 0.9f), 1.3f * app.ui_scale);
    }
  } else {
    // Reconstruction lines and points.
    for (Eigen::Index i = 0; i < data.cols(); ++i) draw->AddLine(point(data, i), point(recon, i), viridis(app.shown_intrinsic(i), 0.35f));
    for (Eigen::Index i = 0; i < data.cols(); ++i) draw_dot(draw, point(data, i), r, viridis(app.shown_intrinsic(i)));
  }

  // The encoder's Jacobian J = ∂h/∂x at every 15th point: its right singular vectors scaled by the
  // singular values — the directions in which moving x changes the code. A contractive AE keeps
  // them short across the manifold and long only along it.
  if (app.show_jacobian && data.cols() > 0) {
    const float reach = 0.04f;  // in data units, for the largest singular value seen
    std::vector<std::pair<Eigen::Index, ae::JacobianDirections>> svds;
    double largest = 1e-12;
    for (Eigen::Index i = 0; i < data.cols(); i += 15) {
      svds.emplace_back(i, ae::jacobian_directions(ae::encoder_jacobian(model, ae::Vector<float>(data.col(i)))));
      largest = std::max(largest, svds.back().second.singular_values(0));
    }
    for (const auto& [i, svd] : svds) {
      const ae::Vector<double>& sv = svd.singular_values;
      for (Eigen::Index k = 0; k < sv.size(); ++k) {
        const ae::Vector<double> v = svd.right_vectors.col(k) * (reach * sv(k) / largest);
        ae::Matrix<float> ends(dim, 2);
        for (int d = 0; d < dim; ++d) {
          ends(d, 0) = data(d, i) - float(v(d));
          ends(d, 1) = data(d, i) + float(v(d));
        }
        draw->AddLine(point(ends, 0), point(ends, 1), k == 0 ? okabe_ito::orange : okabe_ito::sky_blue,
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
  if (app.field_off_data >= 0)
    ImGui::TextWrapped(tr("mean ‖r(p) − p‖ at the %d grid points farther than %.2f from the data: %.4f"), app.field_off_data_points,
                double(kOffDataDistance), app.field_off_data);
  if (code.rows() > 2)
    ImGui::TextWrapped(tr("A %d-unit code: the decoder's image of the code space is drawn for 1-D and 2-D codes only."), int(code.rows()));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  // The learner's own points are coloured by label, or by their order in the file (app_reset).
  const bool own = app.own_points.size() > 0;
  const char* dots = own ? (app.own_points.labels.empty() ? tr("Dots: your data x, coloured by their order in the file. Thin lines: x → its "
                                                               "reconstruction y.")
                                                          : tr("Dots: your data x, coloured by label. Thin lines: x → its reconstruction y."))
                         : tr("Dots: the data x, coloured by position along the manifold. Thin lines: x → its reconstruction y.");
  ImGui::TextWrapped("%s %s%s%s%s",
                     corruption.active() ? tr("Faint dots: the data x. Hollow circles: corrupted x̃; arrows: x̃ → g(f(x̃)), the "
                                              "denoising pull back to the manifold.")
                                         : dots,
                     tr("Red: the decoder's image of the code space (the learned manifold)."),
                     app.show_jacobian ? tr(" Orange/blue bars: ∂h/∂x's singular directions, length ∝ singular value.") : "",
                     app.show_field && dim == 2 ? tr(" Grey arrows: p → r(p) on a grid.") : "",
                     dim == 3 ? tr(" Drag to rotate.") : "");
  ImGui::PopStyleColor();
}

// The training curves (objective, reconstruction, penalty, validation C) on a log scale.
void loss_plot(App& app) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float h = std::max(80.0f, std::min(avail.y * 0.6f, avail.y - ImGui::GetTextLineHeightWithSpacing() * 8));
  CurvesStyle style;
  style.validation_name = tr("C on the data");
  curves_plot(app.curves, style, ImVec2(avail.x, h), app.dark_theme, app.ui_scale);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("Training objective C + Ω and its parts, averaged over the batches between two points; C on the data "
                                 "(up to 600 points) without corruption."));
  ImGui::PopStyleColor();
  // The code units' mean activations (sparsity at work).
  if (app.shown.cols() > 0) {
    const ae::Matrix<float> h_codes = ae::encode(app.trainer.model, app.shown);
    const ae::Vector<float> mean = h_codes.rowwise().mean();
    const auto& sp = app.trainer.config.regularization.sparsity;
    ImGui::TextUnformatted(tr("Mean activation of each code unit"));
    code_activation_plot(mean, sp.kind == ae::SparsityKind::kl ? sp.target : 0.0, ImVec2(std::min(avail.x, 200 * app.ui_scale), 50 * app.ui_scale),
                         app.dark_theme, app.ui_scale);
  }
}

void help_overlay(App& app) {
  if (!app.show_help) return;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::Begin(tr("Keyboard shortcuts###help"), &app.show_help, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::TextUnformatted(tr("Space   start / pause training"));
  ImGui::TextUnformatted(tr("S       one training step (when paused; toy scenes)"));
  ImGui::TextUnformatted(tr("R       reset (same seed, same initial weights)"));
  ImGui::TextUnformatted(tr("+ / -   bigger / smaller UI"));
  ImGui::TextUnformatted(tr("C       hide / show the side panel (for projecting)"));
  ImGui::TextUnformatted(tr("F       presenter mode: the figure, its title and the step controls"));
  ImGui::TextUnformatted(tr("H or ?  this help"));
  ImGui::Separator();
  ImGui::TextUnformatted(tr("In step-through lessons:"));
  ImGui::TextUnformatted(tr("→ / Space  next phase      ←  previous phase"));
  ImGui::TextUnformatted(tr("Enter      finish this step (one batch)   R  reset to the first step"));
  ImGui::TextUnformatted(tr("S          one step on the shown sample   P  run / pause whole steps"));
  ImGui::TextUnformatted(tr("N          new random weights (new seed)"));
  ImGui::Separator();
  ImGui::TextDisabled("%s", app.training_thread ? tr("Training runs on a thread of its own while the window draws.")
                                                : tr("Training runs in a slice of each frame, on the same thread as the drawing."));
  if (!app.training_thread && !app.no_thread_reason.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::TextDisabled("%s", tr(app.no_thread_reason));
    ImGui::PopTextWrapPos();
  }
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
  if (app.mode == Scene::step_through) {
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
  } else if (app.mode == Scene::stacked) {
    if (key_pressed(app, k.space) && app.mnist.status == MnistScene::Status::ready) app.stacked.running = !app.stacked.running;
    if (key_pressed(app, k.r)) stacked_reset(app.stacked, app.mnist);
  } else if (app.mode == Scene::mnist) {
    MnistScene& m = app.mnist;
    if (key_pressed(app, k.space) && m.failure().empty() && m.status == MnistScene::Status::ready) m.running = !m.running;
    if (key_pressed(app, k.r)) mnist_reset(m);
  } else {
    if (key_pressed(app, k.space) && app.trainer.failure.empty()) app.running = !app.running;
    if (key_pressed(app, k.s) && !app.running && app.trainer.failure.empty()) {
      toy_step_button(app);
    }
    if (key_pressed(app, k.r)) app_reset(app);
  }
  if (key_pressed(app, k.h) || key_pressed(app, k.slash)) app.show_help = !app.show_help;
  if (key_pressed(app, k.c)) app_toggle_side_panel(app);
  if (key_pressed(app, k.f)) app_set_presenter(app, !app.presenter);
  if (key_pressed(app, k.equals) || key_pressed(app, k.keypad_plus)) {
    app.ui_scale = std::min(2.5f, app.ui_scale + 0.25f);
    app.fonts_dirty = true;
  }
  if (key_pressed(app, k.minus) || key_pressed(app, k.keypad_minus)) {
    app.ui_scale = std::max(0.75f, app.ui_scale - 0.25f);
    app.fonts_dirty = true;
  }
}

bool toy_train_slice(App& app, double budget_ms) {
  if (!app.running) return false;
  const bool stepped = toy_steps_for(toy_run(app), budget_ms);
  if (!app.trainer.failure.empty()) app.running = false;
  return stepped;
}

// ---- Lessons ------------------------------------------------------------------------------------

void lesson_panel(App& app) {
  if (app.lesson < 0) return;
  const Lesson& lesson = app.lessons[size_t(app.lesson)];
  ImGui::PushStyleColor(ImGuiCol_Text, title_colour(app.dark_theme));
  ImGui::TextWrapped("%s", lesson.title().c_str());
  ImGui::PopStyleColor();
  // A long text scrolls in its own box, so the scene's controls stay in view below it.
  const float wrap = ImGui::GetContentRegionAvail().x;
  const float text_h = ImGui::CalcTextSize(lesson.text().c_str(), nullptr, false, wrap - ImGui::GetStyle().ScrollbarSize).y;
  const float box_h = std::max(6 * ImGui::GetTextLineHeightWithSpacing(), ImGui::GetIO().DisplaySize.y * 0.42f);
  if (text_h > box_h) {
    ImGui::BeginChild("##lesson_text", ImVec2(0, box_h), false);
    text_wrapped_at_spaces(lesson.text());
    ImGui::EndChild();
  } else {
    text_wrapped_at_spaces(lesson.text());
  }
  ImGui::Separator();
}

// "4. MNIST through a 2-D code" for built-in lessons, the title alone for lessons opened from files.
std::string lesson_menu_title(const App& app, size_t i) {
  const std::string& title = app.lessons[i].title();
  return i < built_in_lessons().size() ? std::to_string(i + 1) + ". " + title : title;
}

void menu_bar(App& app) {
  if (!ImGui::BeginMainMenuBar()) return;
  file_menu(app);
  if (ImGui::BeginMenu(tr("Lessons"))) {
    for (size_t i = 0; i < app.lessons.size(); ++i) {
      if (i == built_in_lessons().size()) ImGui::Separator();
      ImGui::PushID(int(i));
      if (ImGui::MenuItem(lesson_menu_title(app, i).c_str(), nullptr, app.lesson == int(i))) app_open_lesson(app, int(i));
      ImGui::PopID();
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Free exploration: toy manifolds"), nullptr, app.lesson < 0 && app.mode == Scene::toy && app.own_points.size() == 0)) {
      app.lesson = -1;
      app.mode = Scene::toy;
      if (app.own_points.size() > 0) {
        app.own_points = ae::Dataset<float>();
        app_reset(app);
      }
    }
    ImGui::Separator();
    if (host().choose_files) {
      if (ImGui::MenuItem(tr("Open a lesson file…"))) host().choose_files();
    }
    ImGui::TextDisabled("%s", tr("Or drop a lesson file (.json) on the window."));
    if (ImGui::MenuItem(tr("Save this scene as a lesson file"))) save_scene_as_lesson(app);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("View"))) {
    if (ImGui::BeginMenu(tr("Language"))) {
      for (Language language : kLanguages)
        if (ImGui::MenuItem(language_name(language), nullptr, ui_language() == language)) app_set_language(app, language);
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(tr("Dark theme"), nullptr, app.dark_theme)) {
      app.dark_theme = !app.dark_theme;
      app.fonts_dirty = true;  // the style, before the next frame
    }
    if (ImGui::MenuItem(tr("Bigger text"), "+")) {
      app.ui_scale = std::min(2.5f, app.ui_scale + 0.25f);
      app.fonts_dirty = true;
    }
    if (ImGui::MenuItem(tr("Smaller text"), "-")) {
      app.ui_scale = std::max(0.75f, app.ui_scale - 0.25f);
      app.fonts_dirty = true;
    }
    if (ImGui::MenuItem(tr("Side panel"), "C", app.compact ? app.drawer_open : !app.hide_controls)) app_toggle_side_panel(app);
    if (ImGui::MenuItem(tr("Presenter mode"), "F", app.presenter)) app_set_presenter(app, true);
    if (ImGui::MenuItem(tr("Keyboard shortcuts"), "H")) app.show_help = true;
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Copy link to this scene"))) {
      const std::string query = url_state_query(app);
      std::string copied;
      if (host().copy_link) {
        copied = host().copy_link(query);
      } else {
        copied = "?" + query;
        ImGui::SetClipboardText(copied.c_str());
      }
      app.notice = std::string(tr("Link copied: ")) + copied;
    }
    if (host().publish_query) {
      if (ImGui::MenuItem(tr("Put this scene in the address bar"))) url_state_publish(app);
    }
    ImGui::TextDisabled(tr("link: ?%s"), url_state_query(app).c_str());
    ImGui::EndMenu();
  }
  // The title (the compact layout shows it, wrapped, in the bar under the menu bar).
  if (!app.compact) {
    const std::string where = app.lesson >= 0 ? lesson_menu_title(app, size_t(app.lesson)) : std::string(tr("Free exploration"));
    ImGui::TextDisabled("   %s", where.c_str());
  }
  ImGui::EndMainMenuBar();
}

}  // namespace

// ---- Public entry points ----------------------------------------------------------------------

bool app_compact_layout(float width, float height, float ui_scale) {
  // The wide layout's side panel is at most 40 % of the width and 380 UI pixels; the views need
  // about as much again beside it.
  return width < height || width < 760.0f * ui_scale;
}

void app_toggle_side_panel(App& app) {
  if (app.compact) {
    app.drawer_open = !app.drawer_open;
    app.drawer_raise = app.drawer_open;
  } else {
    app.hide_controls = !app.hide_controls;
  }
}

void app_set_presenter(App& app, bool on) {
  if (on == app.presenter) return;
  app.presenter = on;
  if (on) {
    app.scale_before_presenter = app.ui_scale;
    app.ui_scale = std::max(app.ui_scale, 1.5f);
  } else {
    app.ui_scale = app.scale_before_presenter;
  }
  app.fonts_dirty = true;
}

void app_start_training(App& app) {
  if (app.mode == Scene::descent) app.descent.running = true;
  else if (app.mode == Scene::stacked) app.stacked.running = app.mnist.status == MnistScene::Status::ready;
  else if (app.mode == Scene::mnist) app.mnist.running = app.mnist.status == MnistScene::Status::ready;
  else app.running = true;
}

bool app_training(const App& app) {
  switch (app.mode) {
    case Scene::descent: return app.descent.running;
    case Scene::stacked: return app.stacked.running;
    case Scene::mnist: return app.mnist.running;
    default: return app.running;
  }
}

void app_training_progress(const App& app, float& first, float& last, long long& steps) {
  first = last = 0;
  steps = 0;
  if (app.mode == Scene::descent) {
    const DescentScene& d = app.descent;
    first = float(d.steps.empty() ? d.loss_now : d.steps.front().loss_before);
    last = float(d.loss_now);
    steps = d.steps_done;
  } else if (app.mode == Scene::stacked) {
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
    steps = app.stacked.layer_trainer.steps + app.stacked.unrolled_pretrained.steps + app.stacked.pretrained.steps;
  } else if (app.mode == Scene::mnist) {
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
  if (i < 0 || i >= int(app.lessons.size())) return;
  const Lesson& lesson = app.lessons[size_t(i)];
  app.lesson = i;
  app.error.clear();
  app.notice.clear();
  app.mode = lesson.scene;
  app.running = false;
  // A lesson is about its own data: the learner's own data set gives way (it can be dropped again).
  app.own_points = ae::Dataset<float>();
  if (lesson.scene == Scene::mnist || lesson.scene == Scene::stacked) mnist_use_mnist(app.mnist);
  switch (lesson.scene) {
    case Scene::stacked:
      app.stacked.settings = lesson.stacked;
      app.stacked.running = false;
      if (app.mnist.status == MnistScene::Status::ready) stacked_reset(app.stacked, app.mnist);
      else {
        app.stacked.stage = StackedScene::Stage::idle;  // set up when the data are in
        mnist_request_data(app.mnist);
      }
      break;
    case Scene::descent:
      app.descent.settings = lesson.descent;
      descent_reset(app.descent);
      break;
    case Scene::mnist:
      app.mnist.settings = lesson.mnist;
      app.mnist.show_likelihood = lesson.view.likelihood;
      app.mnist.show_manifolds = lesson.view.manifolds;
      app.mnist.show_representation = lesson.view.representation;
      if (app.mnist.status == MnistScene::Status::ready) mnist_reset(app.mnist);
      else mnist_request_data(app.mnist);
      break;
    case Scene::step_through: {
      const EmbeddedFile* file = find_embedded(kWorkedExampleFiles, kWorkedExampleFilesCount, lesson.worked_example.c_str());
      if (!file) {
        app.error = std::string(tr("This lesson's worked example is not built in: ")) + lesson.worked_example;
        return;
      }
      stepper_load(app.stepper, file->text, file->name);
      app.worked_example_file = lesson.worked_example;
      break;
    }
    case Scene::toy:
      app.settings = lesson.toy;
      app.show_jacobian = lesson.view.jacobian;
      app.show_field = lesson.view.reconstruction_field;
      app.show_lecture_map = lesson.view.lecture_map;
      app_reset(app);
      break;
  }
  // The lesson's text may hold glyphs the atlas does not have yet (a lecturer's own file).
  app.fonts_dirty |= !atlas_covers(app, lesson.title()) || !atlas_covers(app, lesson.text());
}

bool app_open_lesson_file(App& app, const std::string& json_text, const std::string& name) {
  try {
    Lesson lesson = parse_lesson(json_text, name);
    // The same file dropped twice replaces its first copy.
    size_t i = built_in_lessons().size();
    while (i < app.lessons.size() && app.lessons[i].id != lesson.id) ++i;
    if (i == app.lessons.size()) app.lessons.push_back(std::move(lesson));
    else app.lessons[i] = std::move(lesson);
    app_open_lesson(app, int(i));
    return true;
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    app.error = std::string(tr("This lesson file cannot be opened: ")) + failure_text(e);
    return false;
  }
}

Lesson app_scene_as_lesson(const App& app) {
  Lesson lesson;
  if (app.lesson >= 0) lesson = app.lessons[size_t(app.lesson)];
  else {
    lesson.id = "my-lesson";
    lesson.title = {"My lesson", "나의 수업"};
    lesson.text = {"Describe what to do and what to watch.", "무엇을 하고 무엇을 볼지 적어 보세요."};
  }
  lesson.scene = app.mode;
  switch (app.mode) {
    case Scene::toy:
      lesson.toy = app.settings;
      lesson.view = LessonView();
      lesson.view.reconstruction_field = app.show_field;
      lesson.view.jacobian = app.show_jacobian;
      lesson.view.lecture_map = app.show_lecture_map;
      break;
    case Scene::descent: lesson.descent = app.descent.settings; break;
    case Scene::mnist:
      lesson.mnist = app.mnist.settings;
      lesson.view = LessonView();
      lesson.view.likelihood = app.mnist.show_likelihood;
      lesson.view.manifolds = app.mnist.show_manifolds;
      lesson.view.representation = app.mnist.show_representation;
      break;
    case Scene::stacked: lesson.stacked = app.stacked.settings; break;
    case Scene::step_through: lesson.worked_example = app.worked_example_file; break;
  }
  return lesson;
}

void app_set_language(App& app, Language language) {
  if (language == ui_language()) return;
  set_ui_language(language);
  if (host().remember_language) host().remember_language(language_code(language));
  app.fonts_dirty = true;
}

void app_reset(App& app) {
  Settings& s = app.settings;
  if (s.training.variant == Variant::vae) s.training.variant = Variant::plain;  // not offered on toy data
  clamp_spec(s.training, s.net, 128);
  s.net.code_size = std::min(s.net.code_size, limits::toy_max_code_size);
  try {
    ae::Rng rng(uint64_t(s.training.seed));
    ae::ToyData<float> toy;
    if (app.own_points.size() > 0) {
      // The learner's points (app_files.cpp): coloured by label, else by their order in the file.
      toy.points = app.own_points.x;
      const ae::Dataset<float>& d = app.own_points;
      const float top = d.labels.empty() ? float(std::max(1, d.size() - 1)) : float(std::max(1, *std::max_element(d.labels.begin(), d.labels.end())));
      toy.intrinsic.resize(d.size());
      for (int i = 0; i < d.size(); ++i) toy.intrinsic(i) = (d.labels.empty() ? float(i) : float(d.labels[size_t(i)])) / top;
    } else {
      toy = ae::make_toy<float>(s.manifold, s.n_points, s.noise, rng);
    }
    const ae::Architecture arch = architecture_for(s.net, int(toy.points.rows()));
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
    add_curve_point(toy_run(app));
    app.error.clear();
    // A setting the new network cannot take (KL sparsity on a code that is not a sigmoid): say so,
    // and train without the regularization rather than not at all.
    ae::validate(app.trainer.config.regularization, app.trainer.model);
  } catch (const ae::Error& e) {
    app.error = e.what();
    app.trainer.config.regularization = ae::Regularization();
  }
  app.running = false;
  ++app.toy_edits;
}

namespace {

// Latin, Greek and the mathematical notation of the lectures: always in the atlas.
const ImWchar* base_glyph_ranges() {
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());  // Latin + Latin-1
    static const ImWchar extra[] = {
        0x0370, 0x03FF,  // Greek: η, δ, σ, λ, ρ, μ, β, θ, ε
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
  return ranges.Data;
}

bool in_base_ranges(unsigned c) {
  for (const ImWchar* r = base_glyph_ranges(); r[0]; r += 2)
    if (c >= r[0] && c <= r[1]) return true;
  return false;
}

// Calls f(codepoint) for each character of a UTF-8 text (a malformed byte counts as U+FFFD).
template <typename F>
void for_each_codepoint(const std::string& text, F f) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    const int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + size_t(length) > text.size()) {
      f(0xFFFDu);
      ++i;
      continue;
    }
    unsigned c = length == 1 ? lead : lead & (0x7Fu >> length);
    for (int k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + size_t(k)]) & 0x3Fu);
    f(c);
    i += size_t(length);
  }
}

// Every text the UI can show in the current language: the string table, the lessons (the menu
// lists all their titles), the languages' own names.
template <typename F>
void for_each_text_in_use(const App& app, F f) {
  const Language language = ui_language();
  for (const auto& [english, korean] : string_table().entries) f(language == Language::ko ? korean : english);
  for (const Lesson& lesson : app.lessons) {
    f(lesson.title.in(language));
    f(lesson.text.in(language));
  }
  for (Language l : kLanguages) f(language_name(l));
}

}  // namespace

bool atlas_covers(const App& app, const std::string& text) {
  bool covered = true;
  for_each_codepoint(text, [&](unsigned c) {
    covered &= c < 0x20 || in_base_ranges(c) || std::binary_search(app.atlas_extra.begin(), app.atlas_extra.end(), ImWchar(c));
  });
  return covered;
}

ImVec4 app_clear_colour(const App& app) {
  // The tiled windows' background (the theme's WindowBg, 94 % opaque in the dark theme) over the
  // backdrop the screen was cleared to when they painted it themselves: the same colour (to within
  // the GPU's rounding, one level in 255), one fill fewer.
  const ImVec4 backdrop = app.dark_theme ? ImVec4(0.08f, 0.09f, 0.11f, 1.0f) : ImVec4(0.94f, 0.94f, 0.94f, 1.0f);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  return ImVec4(bg.w * bg.x + (1 - bg.w) * backdrop.x, bg.w * bg.y + (1 - bg.w) * backdrop.y, bg.w * bg.z + (1 - bg.w) * backdrop.z, 1.0f);
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

  // The atlas holds the base ranges and, beyond them, only the characters the texts in use need
  // (Korean: the few hundred syllables of the string table and the lessons, not all 11,172), so
  // it stays small at projector scale × pixel ratio. A lesson file with new characters rebuilds it.
  std::vector<ImWchar> extra;
  for_each_text_in_use(app, [&](const std::string& text) {
    for_each_codepoint(text, [&](unsigned c) {
      if (c >= 0x20 && c <= 0xFFFF && !in_base_ranges(c)) extra.push_back(ImWchar(c));
    });
  });
  if (app.lesson >= 0) {  // a lecturer's own lesson may be in another language than the UI
    for (const std::string* text : {&app.lessons[size_t(app.lesson)].title(), &app.lessons[size_t(app.lesson)].text()})
      for_each_codepoint(*text, [&](unsigned c) {
        if (c >= 0x20 && c <= 0xFFFF && !in_base_ranges(c)) extra.push_back(ImWchar(c));
      });
  }
  std::sort(extra.begin(), extra.end());
  extra.erase(std::unique(extra.begin(), extra.end()), extra.end());
  app.atlas_extra = extra;
  static ImVector<ImWchar> ranges;
  ranges.clear();
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(base_glyph_ranges());
  for (ImWchar c : extra) builder.AddChar(c);
  builder.BuildRanges(&ranges);

  // Fonts are rasterised at the size they are shown in device pixels, then drawn at 1/pixel_ratio,
  // so text is sharp on high-DPI screens and projectors instead of a scaled-up bitmap.
  io.Fonts->Clear();
  const float px = 17.0f * app.ui_scale * app.pixel_ratio;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  auto readable = [](const std::string& path) {
    FILE* fp = path.empty() ? nullptr : std::fopen(path.c_str(), "rb");
    if (fp) std::fclose(fp);
    return fp != nullptr;
  };
  ImFont* font = nullptr;
  if (readable(app.font_path)) font = io.Fonts->AddFontFromFileTTF(app.font_path.c_str(), px, &cfg, ranges.Data);
  if (!font) {
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * app.ui_scale * app.pixel_ratio;
    io.Fonts->AddFontDefault(&fallback);
  }
  // Hangul from NanumGothic, merged into the same font: only the characters DejaVu lacks are taken.
  // One sample per pixel across (Hangul strokes are not helped by horizontal oversampling, and it
  // halves the atlas).
  if (!extra.empty() && readable(app.korean_font_path)) {
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.OversampleH = 1;
    merge.OversampleV = 1;
    io.Fonts->AddFontFromFileTTF(app.korean_font_path.c_str(), px, &merge, ranges.Data);
  }
  io.FontGlobalScale = 1.0f / app.pixel_ratio;
  add_dot_sprites(*io.Fonts, app.pixel_ratio);
  io.Fonts->Build();
  rasterise_dot_sprites(*io.Fonts);
  app.atlas_width = io.Fonts->TexWidth;
  app.atlas_height = io.Fonts->TexHeight;
  app.fonts_dirty = false;
}

GlyphReport app_check_glyphs(const App& app) {
  GlyphReport report;
  const ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  std::unordered_set<unsigned> seen;
  auto check = [&](const std::string& text) {
    for_each_codepoint(text, [&](unsigned c) {
      if (c < 0x20 || !seen.insert(c).second) return;
      ++report.checked;
      if (!font || c > 0xFFFF || !font->FindGlyphNoFallback(ImWchar(c))) report.missing.push_back(c);
    });
  };
  for_each_text_in_use(app, check);
  for (const std::string& english : missing_translations()) check(english);
  return report;
}

namespace {

// The bar over the figure, at `top`: in presenter mode (the caption switch and the way out) and in
// the compact layout (the drawer's button), with the scene's Start/Pause, Step, Reset and the
// lesson's title. Returns its height.
float scene_bar(App& app, float top) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, top), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, 0), ImGuiCond_Always);
  ImGui::Begin("##scene_bar", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_AlwaysAutoResize |
                                            ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  // Buttons in a row that wraps on a narrow window (a phone, a long Korean label).
  bool first = true;
  const auto button = [&first](const char* label) {
    if (!first) same_line_if_fits(button_width(label));
    first = false;
    return ImGui::Button(label);
  };
  if (!app.presenter) {
    if (button(app.drawer_open ? tr("Close the panel##drawer") : tr("Lesson and settings##drawer"))) app_toggle_side_panel(app);
    app.drawer_button = last_item_rect();
  }
  // The controls of the scene on screen, as in its panel (and the same keys). The step-through view
  // has its own row of buttons.
  switch (app.mode) {
    case Scene::step_through: break;
    case Scene::toy:
      if (button(app.running ? tr("Pause##run") : tr("Start##run"))) app.running = !app.running;
      app.start_button = last_item_rect();
      if (button(tr("Step##presenter_step")) && !app.running) {
        toy_step_button(app);
      }
      if (button(tr("Reset##presenter_reset"))) app_reset(app);
      app.reset_button = last_item_rect();
      break;
    case Scene::mnist:
      if (button(app.mnist.running ? tr("Pause##run") : tr("Start##run")) && app.mnist.status == MnistScene::Status::ready)
        app.mnist.running = !app.mnist.running;
      app.start_button = last_item_rect();
      if (button(tr("Reset##presenter_reset"))) mnist_reset(app.mnist);
      app.reset_button = last_item_rect();
      break;
    case Scene::stacked:
      if (button(app.stacked.running ? tr("Pause##run") : tr("Start##run")) && app.mnist.status == MnistScene::Status::ready)
        app.stacked.running = !app.stacked.running;
      app.start_button = last_item_rect();
      if (button(tr("Reset##presenter_reset"))) stacked_reset(app.stacked, app.mnist);
      break;
    case Scene::descent:
      if (button(app.descent.running ? tr("Pause##run") : tr("Start##run"))) app.descent.running = !app.descent.running;
      app.start_button = last_item_rect();
      if (button(tr("Reset##presenter_reset"))) descent_reset(app.descent);
      break;
  }
  if (app.presenter) {
    if (app.lesson >= 0) {
      if (!first) same_line_if_fits(ImGui::GetFrameHeight() + ImGui::CalcTextSize(tr("caption##presenter"), nullptr, true).x + 2 * ImGui::GetStyle().ItemInnerSpacing.x);
      first = false;
      ImGui::Checkbox(tr("caption##presenter"), &app.presenter_caption);
    }
    if (button(tr("Leave presenter mode (F)##presenter"))) app_set_presenter(app, false);
  }
  // The title after the controls when it fits, else on a line of its own.
  const std::string title = app.lesson >= 0 ? lesson_menu_title(app, size_t(app.lesson)) : std::string(tr("Free exploration"));
  const float gap = 2 * ImGui::GetFontSize();
  if (!first) ImGui::SameLine(0, gap);
  if (ImGui::CalcTextSize(title.c_str()).x > ImGui::GetContentRegionAvail().x) ImGui::NewLine();
  ImGui::PushStyleColor(ImGuiCol_Text, title_colour(app.dark_theme));
  text_wrapped_at_spaces(title);
  ImGui::PopStyleColor();
  const float height = ImGui::GetWindowHeight();
  ImGui::End();
  return height;
}

// Presenter mode's caption: the lesson's text, large, under the figure. Returns its height.
float presenter_caption(App& app, float top_of_caption_max) {
  if (!app.presenter_caption || app.lesson < 0) return 0;
  const ImGuiIO& io = ImGui::GetIO();
  const float height = std::min(io.DisplaySize.y * 0.3f, std::max(0.0f, io.DisplaySize.y - top_of_caption_max));
  ImGui::SetNextWindowPos(ImVec2(0, io.DisplaySize.y - height), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, height), ImGuiCond_Always);
  ImGui::Begin("##caption", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::SetWindowFontScale(1.2f);
  text_wrapped_at_spaces(app.lessons[size_t(app.lesson)].text());
  ImGui::End();
  return height;
}

// The left panel (the compact layout's drawer): the lesson's text and the scene's controls.
void side_panel(App& app, ImVec2 pos, ImVec2 size, ImGuiWindowFlags flags) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  ImGui::Begin("AE Lab###side", nullptr, flags);
  view_picture_menu(app, "panel");
  lesson_panel(app);
  own_data_panel(app);
  if (app.mode == Scene::toy) {
    ImGui::TextUnformatted(app.own_points.size() > 0 ? tr("An autoencoder learns your points") : tr("An autoencoder learns a toy manifold"));
    ImGui::TextDisabled("x → h = f(x) → y = g(h),  C = ½‖x − y‖²");
    ImGui::Spacing();
    controls_panel(app);
  } else if (app.mode == Scene::descent) {
    descent_controls(app.descent);
    app.start_button = app.descent.run_button;
  } else if (app.mode == Scene::stacked) {
    stacked_controls(app.stacked, app.mnist);
    app.start_button = app.stacked.start_button;
  } else if (app.mode == Scene::mnist) {
    mnist_controls(app.mnist);
    app.start_button = app.mnist.start_button;
    app.reset_button = app.mnist.reset_button;
    app.corruption_slider = app.mnist.corruption_slider;
  } else {
    // A lesson's title names the example; a worked example opened on its own shows its file's name.
    if (app.lesson < 0) ImGui::TextDisabled("%s", app.stepper.name.c_str());
    const ae::TrainConfig& config = app.stepper.example.config;
    ImGui::TextWrapped(tr("η = %g, %s, loss: %s%s"), config.optimizer.learning_rate, optimizer_label(config.optimizer.kind),
                       config.loss.half && config.loss.kind == ae::LossKind::squared_error ? "½ " : "", loss_label(config.loss.kind));
    ImGui::Spacing();
    ImGui::Separator();
    if (ImGui::Checkbox(tr("dark theme##theme"), &app.dark_theme)) app.fonts_dirty = true;  // the style, before the next frame
    float scale = app.ui_scale;
    if (ImGui::SliderFloat(tr("UI scale##scale"), &scale, 0.75f, 2.5f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) app.ui_scale = scale;
    if (ImGui::IsItemDeactivatedAfterEdit()) app.fonts_dirty = true;
  }
  ImGui::End();
}

// The stacked scene uses the digits, not the MNIST scene's model: that model's copy of them goes.
void free_mnist_model_for_stacked(App& app) {
  if (app.mnist.trainer.data.size() > 0 || app.mnist.vae_trainer.data.size() > 0) mnist_release_model(app.mnist);
}

}  // namespace

bool app_train_slice(App& app, double budget_ms) {
  switch (app.mode) {
    case Scene::toy: return toy_train_slice(app, budget_ms);
    case Scene::mnist: return mnist_train_slice(app.mnist, budget_ms);
    case Scene::stacked:
      free_mnist_model_for_stacked(app);
      return stacked_train_slice(app.stacked, app.mnist, budget_ms);
    default: return false;
  }
}

namespace {

// The toy scene as a TrainingThread trains it: a copy of what a step changes, away from the App.
struct ToyCopy {
  ae::Trainer<float> trainer;
  TrainingCurves curves;
  ae::Matrix<float> shown;
  double last_curve_update = -1;
  long long edits = -1;  // the App's toy_edits when the copy was taken; −1: none taken
  ToyRun run() { return {trainer, curves, shown, last_curve_update}; }

  // sync_scene_copy's three cases. Dropped: the memory is kept for the next take.
  void drop(App&) { edits = -1; }
  void take(App& app) {
    trainer = app.trainer;
    curves = app.curves;
    shown = app.shown;
    last_curve_update = app.last_curve_update;
    edits = app.toy_edits;
  }
  // The App takes the model, optimizer, random states, steps and curves; the copy the App's training
  // settings, which are the UI's (η, M, the penalties: live settings).
  bool give(App& app) {
    copy_training_state_keeping(trainer, app.trainer, &ae::Trainer<float>::config);
    app.curves = curves;
    app.last_curve_update = last_curve_update;
    if (app.trainer.failure.empty()) return true;
    app.running = false;  // a step failed (NaN/Inf): the scene stops with its last good weights
    drop(app);
    return false;
  }
};

}  // namespace

CopyTraining app_copy_training() {
  // Each scene's copy is synced every time, so that the ones not training are dropped; at most one
  // trains (the scene on screen).
  struct Copies {
    ToyCopy toy;
    std::shared_ptr<MnistCopy> mnist = mnist_make_copy();
    std::shared_ptr<StackedCopy> stacked = stacked_make_copy();
    Scene training = Scene::toy;  // whose copy trains, when one does
  };
  auto copies = std::make_shared<Copies>();
  return {[copies](App& app) {
            const bool toy = sync_scene_copy(app, copies->toy, app.mode == Scene::toy && app.running && app.trainer.failure.empty(),
                                             app.toy_edits);
            const bool mnist = mnist_copy_sync(app.mnist, app.mode == Scene::mnist, *copies->mnist);
            if (app.mode == Scene::stacked) free_mnist_model_for_stacked(app);
            const bool stacked = stacked_copy_sync(app.stacked, app.mnist, app.mode == Scene::stacked, *copies->stacked);
            copies->training = mnist ? Scene::mnist : stacked ? Scene::stacked : Scene::toy;
            return toy || mnist || stacked;
          },
          [copies](double budget_ms) {
            switch (copies->training) {
              case Scene::mnist: return mnist_copy_train(*copies->mnist, budget_ms);
              case Scene::stacked: return stacked_copy_train(*copies->stacked, budget_ms);
              default: return toy_steps_for(copies->toy.run(), budget_ms);
            }
          }};
}

void app_stop_training(App& app, const std::string& why) {
  app.running = false;
  app.mnist.running = false;
  app.stacked.running = false;
  app.error = why;
}

void app_frame(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  ++app.frame_count;
  app.fps = io.Framerate;
  if (app.trainer.model.layers.empty() && app.error.empty()) app_reset(app);
  if (app.frame_count == 1) url_state_apply(app);

  keyboard_shortcuts(app);
  app.keys_pressed.clear();
  // Training shares this thread unless a TrainingThread runs it (training_thread.h).
  if (!app.training_thread) {
    app.train_budget_ms = next_train_budget_ms(app.train_budget_ms, 1000.0 * io.DeltaTime, app.last_slice_ms);
    const double t0 = now_seconds();
    app_train_slice(app, app.train_budget_ms);
    app.last_slice_ms = 1000.0 * (now_seconds() - t0);
  }
  if (app.mode == Scene::descent) descent_frame(app.descent);

  // Three layouts. Presenter mode: its bar, the figure, the caption at the bottom. Compact (portrait
  // or narrow: tablets, phones): the menu bar, the scene's bar, the views stacked over the whole
  // width, the side panel as a drawer over them. Wide: the menu bar, the side panel on the left and
  // the views beside it.
  app.compact = !app.presenter && app_compact_layout(io.DisplaySize.x, io.DisplaySize.y, app.ui_scale);
  float top = 0;
  if (app.presenter) {
    top = scene_bar(app, 0);
  } else {
    menu_bar(app);
    top = ImGui::GetFrameHeight();
    if (app.compact) top += scene_bar(app, top);
  }
  const float caption = app.presenter ? presenter_caption(app, top + io.DisplaySize.y * 0.5f) : 0.0f;
  const float W = io.DisplaySize.x, H = io.DisplaySize.y - top - caption;
  const bool panel_beside = !app.compact && !app.hide_controls && !app.presenter;
  const float panel_w = panel_beside ? std::min(W * 0.4f, 380.0f * app.ui_scale) : 0.0f;
  // The panel and the views tile the screen: the screen's clear colour is their background
  // (app_clear_colour), so they paint none.
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;

  if (panel_beside) side_panel(app, ImVec2(0, top), ImVec2(panel_w, H), fixed);

  if (app.mode == Scene::toy) {
    // Wide: the data view (a square as high as the window) with the loss beside it; compact: the
    // data view over the whole width with the loss under it.
    ImVec2 data_size, loss_pos, loss_size;
    if (app.compact) {
      const float data_h = std::min(W + 5 * ImGui::GetTextLineHeightWithSpacing(), H * 0.62f);
      data_size = ImVec2(W, data_h);
      loss_pos = ImVec2(0, top + data_h);
      loss_size = ImVec2(W, H - data_h);
    } else {
      const float data_w = std::min((W - panel_w) * 0.55f, H);
      data_size = ImVec2(data_w, H);
      loss_pos = ImVec2(panel_w + data_w, top);
      loss_size = ImVec2(W - panel_w - data_w, H);
    }
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(data_size, ImGuiCond_Always);
    ImGui::Begin(tr("Data and reconstruction###data"), nullptr, fixed);
    view_picture_menu(app, "data");
    data_view(app);
    ImGui::End();

    ImGui::SetNextWindowPos(loss_pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(loss_size, ImGuiCond_Always);
    ImGui::Begin(tr("Loss###loss"), nullptr, fixed);
    view_picture_menu(app, "loss");
    if (app.show_lecture_map) {
      lecture_map_panel(app);
      ImGui::Separator();
    }
    loss_plot(app);
    ImGui::End();
  } else if (app.mode == Scene::descent) {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin(tr("Gradient descent: the loss over two weights###descent"), nullptr, fixed);
    view_picture_menu(app, "descent");
    descent_ui(app.descent, app.ui_scale, app.dark_theme);
    ImGui::End();
  } else if (app.mode == Scene::stacked) {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin(tr("Stacked autoencoder: greedy pretraining, then fine-tuning###stacked"), nullptr, fixed);
    view_picture_menu(app, "stacked");
    if (app.mnist.status == MnistScene::Status::idle) mnist_request_data(app.mnist);
    stacked_ui(app.stacked, app.mnist, app.ui_scale, app.dark_theme);
    ImGui::End();
  } else if (app.mode == Scene::mnist) {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin(app.mnist.own() ? tr("Your data: the learned code space###mnist") : tr("MNIST: the learned code space###mnist"), nullptr, fixed);
    view_picture_menu(app, "mnist");
    mnist_ui(app.mnist, app.ui_scale, app.dark_theme);
    ImGui::End();
  } else {
    ImGui::SetNextWindowPos(ImVec2(panel_w, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W - panel_w, H), ImGuiCond_Always);
    ImGui::Begin(tr("Step through one gradient-descent step###stepper"), nullptr, fixed);
    view_picture_menu(app, "step");
    stepper_ui(app.stepper, app.ui_scale, app.dark_theme);
    ImGui::End();
  }

  // The compact layout's drawer, over the views; a tap beside it, on the views, closes it (the view
  // under the finger gets the tap as well).
  if (app.compact && app.drawer_open) {
    const float drawer_w = W < 600 * app.ui_scale ? W : std::min(W * 0.6f, 420 * app.ui_scale);
    if (app.drawer_raise) ImGui::SetNextWindowFocus();  // in front of the views (they never come forward)
    app.drawer_raise = false;
    // Over the views: it paints its own background.
    side_panel(app, ImVec2(0, top), ImVec2(drawer_w, H), fixed & ~(ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground));
    const ImVec2 tap = io.MouseClickedPos[0];
    if (ImGui::IsMouseClicked(0) && tap.x > drawer_w && tap.y > top && tap.y < top + H && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId))
      app.drawer_open = false;
  }

  const std::string& message = !app.error.empty() ? app.error : !app.trainer.failure.empty() ? app.trainer.failure : app.notice;
  if (!message.empty()) {
    ImGui::SetNextWindowPos(ImVec2(panel_w + 10, io.DisplaySize.y - 10), ImGuiCond_Always, ImVec2(0, 1));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(std::max(200.0f, W - panel_w - 20), io.DisplaySize.y * 0.5f));
    ImGui::SetNextWindowBgAlpha(0.95f);
    ImGui::Begin("##message", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::PushTextWrapPos(std::max(200.0f, W - panel_w - 40));
    const bool is_error = !app.error.empty() || !app.trainer.failure.empty();
    if (is_error) ImGui::TextColored(error_text_colour(), "%s", tr_message(message).c_str());
    else ImGui::TextUnformatted(message.c_str());
    if (app.error.empty() && !app.trainer.failure.empty()) ImGui::TextUnformatted(tr("Lower η and press Reset."));
    ImGui::PopTextWrapPos();
    if (ImGui::SmallButton(tr("Dismiss##message"))) {
      app.notice.clear();
      if (!app.error.empty()) app.error.clear();
    }
    ImGui::End();
  }
  help_overlay(app);
  drag_to_scroll(app.drag_scroll);
}

namespace {
using Json = nlohmann::json;

// A number for JSON: NaN and ±∞ become null (JSON has no such numbers).
Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json rect_json(const WidgetRect& r) { return Json{{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}}; }
// The weights as the monkey test checks them after a NaN/Inf stop: all finite, and their sum in
// double (a checksum that must not move once training stopped: the last good weights stay).
Json weights_json(const ae::Autoencoder<float>& model) {
  bool finite = true;
  double sum = 0;
  for (const auto& l : model.layers) {
    finite = finite && l.W.allFinite() && l.b.allFinite();
    sum += l.W.cast<double>().sum() + l.b.cast<double>().sum();
  }
  return Json{{"finite", finite}, {"checksum", number(sum)}, {"layers", model.layers.size()}};
}
Json contraction_json(const MnistScene& m) {
  Json rows = Json::array();
  for (const auto& r : m.contraction) rows.push_back({{"sigma", r.sigma}, {"stochastic", number(r.stochastic)}, {"analytic", number(r.analytic)}});
  return rows;
}
// The name the tests have always read for each scene.
const char* scene_state_name(Scene scene) {
  switch (scene) {
    case Scene::toy: return "toy_manifold";
    case Scene::step_through: return "backprop_steps";
    case Scene::mnist: return "mnist";
    case Scene::stacked: return "stacked";
    case Scene::descent: return "gradient_descent";
  }
  return "?";
}

Json stacked_runs_json(const StackedScene& s) {
  Json runs = Json::array();
  for (const auto& r : s.runs)
    runs.push_back({{"level", r.level}, {"error_pretrained", number(r.error_pretrained)}, {"error_random", number(r.error_random)}});
  return runs;
}

Json likelihood_json(const LikelihoodView& v) {
  return Json{{"digits", v.digits},
              {"squared_error", number(v.squared_error)},
              {"gaussian_nll", number(v.gaussian_nll)},
              {"best_sigma", number(v.best_sigma)},
              {"best_nll", number(v.best_nll)},
              {"bernoulli_nll", number(v.bernoulli_nll)},
              {"samples_of", v.samples_of}};
}
Json manifolds_json(const ManifoldView& v) {
  return Json{{"dimensions", v.dimensions},
              {"uniform_ratio", v.uniform_ratio},
              {"mnist_ratio", number(v.mnist_ratio)},
              {"knn_pixels", number(v.knn_pixels)},
              {"knn_pca", number(v.knn_pca)},
              {"knn_code", number(v.knn_code)},
              {"knn_k", v.knn_k},
              {"knn_steps", v.knn_steps},
              {"knn_button", rect_json(v.knn_button)}};
}

Json representation_json(const RepresentationView& v) {
  return Json{{"delta_norms", v.delta_norms},
              {"delta_steps", v.delta_steps},
              {"knn_pixels", number(v.knn_pixels)},
              {"knn_pca", number(v.knn_pca)},
              {"knn_code", number(v.knn_code)},
              {"knn_k", v.knn_k},
              {"knn_steps", v.knn_steps},
              {"knn_button", rect_json(v.knn_button)}};
}

Json lecture_map_json(const LectureMap& m) {
  Json keywords = Json::array(), offered = Json::array();
  for (const auto& r : m.keyword_buttons) keywords.push_back(rect_json(r));
  for (size_t i = 0; i < m.offered.size(); ++i) offered.push_back({{"id", m.offered[i]}, {"button", rect_json(m.offered_buttons[i])}});
  return Json{{"keyword", m.keyword}, {"keywords", keywords}, {"offered", offered}};
}

Json descent_json(const DescentScene& d) {
  const DescentScene::Step* last = d.steps.empty() ? nullptr : &d.steps.back();
  return Json{{"steps", d.steps_done},
              {"loss", number(d.loss_now)},
              {"trained_loss", number(d.trained_loss)},
              {"a", number(d.a)},
              {"b", number(d.b)},
              {"path", d.path.size()},
              {"predicted", number(last ? last->predicted : 0.0)},
              {"actual", number(last ? last->actual : 0.0)},
              {"eta", number(d.settings.toy.training.learning_rate)},
              {"batch", d.settings.toy.training.batch_size},
              {"points", d.data.cols()},
              {"spread", number(d.spread)},
              {"spread_batch", d.spread_batch},
              {"running", d.running},
              {"stopped", d.stopped},
              {"error", d.error},
              {"step_button", rect_json(d.step_button)},
              {"run_button", rect_json(d.run_button)},
              {"reset_button", rect_json(d.reset_button)},
              {"eta_slider", rect_json(d.eta_slider)},
              {"batch_slider", rect_json(d.batch_slider)},
              {"map", rect_json(d.map_rect)}};
}

// The training settings of the current scene: what the panel shows (spec) and what the trainer
// actually uses at its next step (config), so a test can tell that a slider took effect.
Json training_json(const App& app) {
  const bool mnist = app.mode == Scene::mnist;
  const TrainingSpec& t = mnist ? app.mnist.settings.training : app.settings.training;
  const ae::TrainConfig& config = mnist ? app.mnist.trainer.config : app.trainer.config;
  const auto& c = config.regularization.corruption;
  return Json{{"variant", int(t.variant)},
              {"variant_name", variant_title(t.variant)},
              {"corruption_level", number(t.regularization.corruption.level)},
              {"trainer_corruption", ae::corruption_name(c.kind)},
              {"trainer_corruption_level", number(c.level)},
              {"trainer_sparsity", ae::sparsity_name(config.regularization.sparsity.kind)},
              {"trainer_contractive", number(config.regularization.contractive.weight)},
              {"learning_rate", number(config.optimizer.learning_rate)},
              {"corruption_slider", rect_json(app.corruption_slider)}};
}
}  // namespace

std::string app_state_json(const App& app) {
  const GlyphReport glyphs = app_check_glyphs(app);
  Json missing_glyphs = Json::array();
  for (unsigned c : glyphs.missing) missing_glyphs.push_back(c);
  const Lesson* lesson = app.lesson >= 0 ? &app.lessons[size_t(app.lesson)] : nullptr;
  const Json state = {
      {"frame", app.frame_count},
      {"fps", number(app.fps)},
      {"running", app.running},
      {"training_thread", app.training_thread != nullptr},
      {"no_thread_reason", app.no_thread_reason},
      {"presenter", app.presenter},
      {"compact", app.compact},
      {"drawer_open", app.drawer_open},
      {"drag_scroll", {{"window", app.drag_scroll.last_window}, {"x", app.drag_scroll.last_scroll.x}, {"y", app.drag_scroll.last_scroll.y},
                         {"max_y", app.drag_scroll.last_scroll_max.y}}},
      {"view_rotation", {{"yaw", app.view_yaw}, {"pitch", app.view_pitch}}},
      {"link", url_state_query(app)},
      {"presenter_caption", app.presenter_caption},
      {"steps", app.trainer.steps},
      {"epoch", app.trainer.epoch},
      {"loss_first", number(app.curves.validation.empty() ? 0.0f : app.curves.validation.front())},
      {"loss", number(app.curves.last_validation())},
      {"loss_points", app.curves.steps.size()},
      {"failure", app.trainer.failure.empty() ? "" : "stopped"},
      {"weights", weights_json(app.trainer.model)},
      {"ui_scale", app.ui_scale},
      {"pixel_ratio", app.pixel_ratio},
      {"error", app.error},
      {"notice", app.notice},
      {"buttons", {{"start", rect_json(app.start_button)}, {"reset", rect_json(app.reset_button)}, {"drawer", rect_json(app.drawer_button)}}},
      {"mode", scene_state_name(app.mode)},
      {"lesson", app.lesson},
      {"lesson_id", lesson ? lesson->id : ""},
      {"field_off_data", number(app.field_off_data)},
      {"code_size", app.trainer.model.layers.empty() ? 0 : app.trainer.model.code_size()},
      {"lesson_title", lesson ? lesson->title() : ""},
      {"lesson_count", app.lessons.size()},
      {"built_in_lessons", built_in_lessons().size()},
      {"language", language_code(ui_language())},
      {"glyphs", {{"checked", glyphs.checked}, {"missing", missing_glyphs}}},
      {"missing_translations", missing_translations()},
      {"atlas", {{"width", app.atlas_width}, {"height", app.atlas_height}, {"extra_glyphs", app.atlas_extra.size()}}},
      // What the last frame asked the GPU to draw (a scatter plot's dots are 2 triangles each, plot.h).
      {"triangles", ImGui::GetDrawData() ? ImGui::GetDrawData()->TotalIdxCount / 3 : 0},
      {"stepper",
       {{"phase", app.stepper.phase},
        {"phases", app.stepper.phases.size()},
        {"steps_done", app.stepper.steps_done},
        {"label", app.stepper.phase_label},
        {"value", number(app.stepper.phase_value)}}},
      {"mnist",
       {{"status", int(app.mnist.status)},
        {"steps", app.mnist.steps()},
        {"running", app.mnist.running},
        {"vae", app.mnist.vae},
        {"failure", app.mnist.failure()},
        {"settings_error", app.mnist.settings_error},
        {"weights", weights_json(app.mnist.vae ? app.mnist.vae_trainer.vae.net : app.mnist.trainer.model)},
        {"loss_first", number(app.mnist.curves.validation.empty() ? 0.0f : app.mnist.curves.validation.front())},
        {"loss", number(app.mnist.curves.last_validation())},
        {"shown", app.mnist.plane.cols()},
        {"selected", app.mnist.selected},
        {"second", app.mnist.second},
        {"scatter", rect_json(app.mnist.scatter_rect)},
        {"pca_loss", number(app.mnist.pca_loss)},
        {"kept_filters", app.mnist.kept_filters.size()},
        {"jacobian_norm", number(app.mnist.jacobian_norm)},
        {"principal_cosines", app.mnist.principal_cosines},
        {"recovered_cosines", app.mnist.recovered_cosines},
        {"contraction", contraction_json(app.mnist)},
        {"recover_button", rect_json(app.mnist.recover_button)},
        {"contraction_button", rect_json(app.mnist.contraction_button)},
        {"likelihood", likelihood_json(app.mnist.likelihood)},
        {"manifolds", manifolds_json(app.mnist.manifolds)},
        {"representation", representation_json(app.mnist.representation)}}},
      {"stacked",
       {{"stage", int(app.stacked.stage)},
        {"layer", app.stacked.layer},
        {"running", app.stacked.running},
        {"error", app.stacked.error},
        {"pretrain_steps", app.stacked.layer_trainer.steps},
        {"finetune_steps", app.stacked.pretrained.steps},
        {"accuracy_pretrained", number(app.stacked.accuracy_pretrained.empty() ? -1.0 : app.stacked.accuracy_pretrained.back())},
        {"accuracy_random", number(app.stacked.accuracy_random.empty() ? -1.0 : app.stacked.accuracy_random.back())},
        {"unrolled_steps", app.stacked.unrolled_pretrained.steps},
        {"unrolled_loss_pretrained", Json::array({number(app.stacked.unrolled_loss_start[0]), number(app.stacked.unrolled_loss_end[0])})},
        {"unrolled_loss_random", Json::array({number(app.stacked.unrolled_loss_start[1]), number(app.stacked.unrolled_loss_end[1])})},
        {"level", app.stacked.settings.corruption.active() ? app.stacked.settings.corruption.level : 0.0},
        {"finetune_optimizer", ae::optimizer_name(app.stacked.settings.finetune_optimizer)},
        {"sweep_left", app.stacked.sweep_levels.size()},
        {"sweep_button", rect_json(app.stacked.sweep_button)},
        {"runs", stacked_runs_json(app.stacked)}}},
      {"descent", descent_json(app.descent)},
      {"lecture_map", lecture_map_json(app.lecture_map)},
      {"own",
       {{"points", app.own_points.size()},
        {"points_name", app.own_points.name},
        {"data", app.mnist.own_data},
        {"features", app.mnist.own() ? app.mnist.input_size() : int(app.own_points.x.rows())},
        {"train", app.mnist.own() ? app.mnist.train.size() : 0},
        {"test", app.mnist.own() ? app.mnist.test.size() : 0},
        {"labelled", app.mnist.own() ? !app.mnist.test.labels.empty() : !app.own_points.labels.empty()},
        {"classes", app.mnist.classes},
        {"image", Json::array({app.mnist.own() ? app.mnist.train.image_width : 0, app.mnist.own() ? app.mnist.train.image_height : 0})}}},
      {"training", training_json(app)}};
  // Invalid UTF-8 (a lecturer's file) is replaced rather than thrown on.
  return state.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace app
