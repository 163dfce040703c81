// descent_scene.cpp — the gradient-descent scene (see descent_scene.h).
#include "descent_scene.h"

#include "i18n.h"
#include "layout.h"
#include "plot.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

namespace {

// The two weights that learn: a = W¹₁₁ (encoder, first layer), b = Wᴸ₁₁ (decoder, last layer).
float& weight_a(ae::Autoencoder<float>& m) { return m.layers.front().W(0, 0); }
float& weight_b(ae::Autoencoder<float>& m) { return m.layers.back().W(0, 0); }

// C and (∂C/∂a, ∂C/∂b) on the batch x at the model's current weights: one forward and one
// backward pass; of all the gradients only the two entries are used.
double loss_and_gradient(DescentScene& s, const ae::Matrix<float>& x, double& ga, double& gb) {
  ae::Workspace<float> ws;
  ae::forward(s.model, x, ws);
  const double c = double(ae::backward(s.model, s.loss, x, x, ws));
  ga = ws.grads.front().dW(0, 0);
  gb = ws.grads.back().dW(0, 0);
  return c;
}

// L(a, b) on the whole data set (the other weights as they are).
double loss_at(DescentScene& s, double a, double b) {
  const double keep_a = weight_a(s.model), keep_b = weight_b(s.model);
  weight_a(s.model) = float(a);
  weight_b(s.model) = float(b);
  const double c = double(ae::evaluate_loss(s.model, s.loss, s.data));
  weight_a(s.model) = float(keep_a);
  weight_b(s.model) = float(keep_b);
  return c;
}

int batch_size(const DescentScene& s) {
  return std::clamp(s.settings.toy.training.batch_size, 1, int(s.data.cols()));
}

// M distinct samples (a partial Fisher–Yates shuffle).
ae::Matrix<float> draw_minibatch(DescentScene& s, int M) {
  const int N = int(s.data.cols());
  std::vector<int> order(size_t(N), 0);
  for (int i = 0; i < N; ++i) order[size_t(i)] = i;
  ae::Matrix<float> batch(s.data.rows(), M);
  for (int i = 0; i < M; ++i) {
    const int j = i + int(s.rng.below(uint64_t(N - i)));
    std::swap(order[size_t(i)], order[size_t(j)]);
    batch.col(i) = s.data.col(order[size_t(i)]);
  }
  return batch;
}

// The gradients of 24 minibatches of the current M around the full gradient.
void measure_spread(DescentScene& s) {
  const int M = batch_size(s);
  s.minibatch_gradients.clear();
  double ga = 0, gb = 0;
  weight_a(s.model) = float(s.a);
  weight_b(s.model) = float(s.b);
  loss_and_gradient(s, s.data, ga, gb);
  s.full_gradient = ImVec2(float(ga), float(gb));
  s.spread = 0;
  s.spread_batch = M;
  if (M >= s.data.cols()) return;
  double total = 0;
  for (int k = 0; k < 24; ++k) {
    double ma = 0, mb = 0;
    loss_and_gradient(s, draw_minibatch(s, M), ma, mb);
    s.minibatch_gradients.push_back(ImVec2(float(ma), float(mb)));
    total += (ma - ga) * (ma - ga) + (mb - gb) * (mb - gb);
  }
  const double norm = std::sqrt(ga * ga + gb * gb);
  s.spread = norm > 0 ? std::sqrt(total / 24.0) / norm : 0.0;
}

void compute_map(DescentScene& s) {
  const int G = DescentScene::kGrid;
  const double e = s.settings.extent;
  s.map.assign(size_t(G * G), 0.0);
  s.map_lo = 1e300;
  s.map_hi = 0;
  for (int j = 0; j < G; ++j)
    for (int i = 0; i < G; ++i) {
      const double a = -e + (i + 0.5) * 2 * e / G, b = e - (j + 0.5) * 2 * e / G;
      const double c = loss_at(s, a, b);
      s.map[size_t(j * G + i)] = c;
      if (std::isfinite(c)) {
        s.map_lo = std::min(s.map_lo, c);
        s.map_hi = std::max(s.map_hi, c);
      }
    }
}

void restart_path(DescentScene& s, double a, double b) {
  s.a = a;
  s.b = b;
  s.loss_now = loss_at(s, a, b);
  s.path.assign(1, ImVec2(float(a), float(b)));
  s.steps.clear();
  s.steps_done = 0;
  s.stopped.clear();
  s.running = false;
  s.spread_batch = -1;
}

}  // namespace

void descent_reset(DescentScene& s) {
  s.error.clear();
  ToySettings& t = s.settings.toy;
  t.net.tied_weights = false;  // a and b must be two different weights
  clamp_spec(t.training, t.net, limits::toy_max_layer_size);
  try {
    ae::Rng rng(uint64_t(t.training.seed));
    ae::ToyData<float> toy = ae::make_toy<float>(t.manifold, t.n_points, t.noise, rng);
    const ae::Architecture arch = architecture_for(t.net, ae::toy_dimension(t.manifold));
    // First all the weights learn (Adam, 3,000 minibatch steps): the other weights are then at a
    // trained solution, and the trained (a, b) is the map's best point.
    ae::Trainer<float> trainer;
    trainer.model = ae::make_autoencoder<float>(arch, ae::Init::glorot_uniform, rng);
    trainer.data = toy.points;
    trainer.rng.reseed(uint64_t(t.training.seed) * 2654435761ull + 17);
    trainer.config.optimizer.kind = ae::OptimizerKind::adam;
    trainer.config.optimizer.learning_rate = 0.01f;
    trainer.config.batch_size = 32;
    trainer.config.loss.kind = ae::LossKind::squared_error;
    trainer.reset_progress();
    for (int k = 0; k < 3000 && trainer.failure.empty(); ++k) trainer.step();
    s.model = trainer.model;
    s.loss = trainer.config.loss;  // ½‖x − y‖², mean over the batch
    s.data = std::move(toy.points);
    s.intrinsic.assign(toy.intrinsic.data(), toy.intrinsic.data() + toy.intrinsic.size());
    s.trained_a = weight_a(s.model);
    s.trained_b = weight_b(s.model);
    s.trained_loss = double(ae::evaluate_loss(s.model, s.loss, s.data));
    s.rng.reseed(uint64_t(t.training.seed) * 7919ull + 5);
    compute_map(s);
    restart_path(s, s.settings.start_a, s.settings.start_b);
  } catch (const ae::Error& e) {
    s.error = e.what();
    s.model = ae::Autoencoder<float>();
  }
}

bool descent_step(DescentScene& s) {
  if (s.model.layers.empty()) return false;
  const double eta = s.settings.toy.training.learning_rate;
  const int M = batch_size(s);
  weight_a(s.model) = float(s.a);
  weight_b(s.model) = float(s.b);
  double ga = 0, gb = 0, ma = 0, mb = 0;  // ∇L on all N samples, g on the minibatch
  const double before = loss_and_gradient(s, s.data, ga, gb);
  if (M >= s.data.cols()) {
    ma = ga;
    mb = gb;
  } else {
    loss_and_gradient(s, draw_minibatch(s, M), ma, mb);
  }
  const double a = s.a - eta * ma, b = s.b - eta * mb;  // θ ← θ − η g
  const double after = std::isfinite(a) && std::isfinite(b) ? loss_at(s, a, b) : NAN;
  if (!std::isfinite(after)) {
    char text[320];
    std::snprintf(text, sizeof text,
                  tr("Step %d refused: with η = %.3g the loss or the weights stopped being finite. The last good "
                     "weights are kept; lower η."),
                  s.steps_done + 1, eta);
    s.stopped = text;
    s.running = false;
    return false;
  }
  DescentScene::Step step;
  step.loss_before = before;
  step.predicted = -eta * (ga * ma + gb * mb);  // ΔL ≈ ∇L · Δθ = −η ∇L · g
  step.actual = after - before;
  step.eta = eta;
  step.batch = M;
  s.steps.push_back(step);
  if (s.steps.size() > 200) s.steps.erase(s.steps.begin());
  s.a = double(float(a));  // the weights are floats
  s.b = double(float(b));
  s.loss_now = after;
  s.path.push_back(ImVec2(float(a), float(b)));
  if (s.path.size() > 2000) s.path.erase(s.path.begin());
  ++s.steps_done;
  s.stopped.clear();
  s.spread_batch = -1;
  return true;
}

void descent_frame(DescentScene& s) {
  if (s.model.layers.empty()) return;
  if (s.running) {
    const double now = ImGui::GetTime();
    if (s.last_step_time < 0 || now - s.last_step_time >= 1.0 / 30) {  // 30 steps a second: the path can be followed
      s.last_step_time = now;
      descent_step(s);
    }
  }
  if (s.spread_batch != batch_size(s)) measure_spread(s);
}

void descent_controls(DescentScene& s) {
  TrainingSpec& t = s.settings.toy.training;
  ImGui::TextUnformatted(tr("Gradient descent on two weights"));
  ImGui::TextDisabled("θ ← θ − η g,   ΔL ≈ −η ∇L · g");
  ImGui::Spacing();
  // The tests click along the sliders' frames (without their labels).
  const auto frame_rect = [](float width) {
    WidgetRect r = last_item_rect();
    r.w = width;
    return r;
  };
  float lr = t.learning_rate;
  const float slider_w = ImGui::CalcItemWidth();
  if (ImGui::SliderFloat(tr("η (learning rate)##learning_rate"), &lr, 1e-4f, limits::max_learning_rate, "%.3g",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    t.learning_rate = lr;
  s.eta_slider = frame_rect(slider_w);
  const int N = std::max(1, int(s.data.cols()));
  int M = std::clamp(t.batch_size, 1, N);
  if (ImGui::SliderInt(tr("batch size M##batch_size"), &M, 1, N, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    t.batch_size = M;
  s.batch_slider = frame_rect(slider_w);
  if (M >= N) ImGui::TextDisabled(tr("M = N = %d: full-batch gradient descent"), N);
  else ImGui::TextDisabled(tr("M = %d of N = %d: stochastic gradient descent"), M, N);

  const float button_w = ImGui::GetContentRegionAvail().x / 3.0f - ImGui::GetStyle().ItemSpacing.x;
  if (ImGui::Button(s.running ? tr("Pause##run") : tr("Start##run"), ImVec2(button_w, 0))) {
    s.running = !s.running;
    if (s.running) s.stopped.clear();
  }
  s.run_button = last_item_rect();
  ImGui::SameLine();
  ImGui::BeginDisabled(s.running);
  if (ImGui::Button(tr("Step##step"), ImVec2(button_w, 0))) descent_step(s);
  ImGui::EndDisabled();
  s.step_button = last_item_rect();
  ImGui::SameLine();
  if (ImGui::Button(tr("Reset##reset"), ImVec2(button_w, 0))) restart_path(s, s.settings.start_a, s.settings.start_b);
  s.reset_button = last_item_rect();
  ImGui::TextDisabled("%s", tr("Click on the map to start from another point."));

  ImGui::Spacing();
  ImGui::Text(tr("step %d   L = %.6g"), s.steps_done, s.loss_now);
  ImGui::TextWrapped(tr("a = %.4f   b = %.4f   (trained: %.4f, %.4f)"), s.a, s.b, s.trained_a, s.trained_b);
  if (!s.stopped.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(error_text_colour(), "%s", s.stopped.c_str());
    ImGui::PopTextWrapPos();
  }
  if (!s.error.empty()) ImGui::TextColored(error_text_colour(), "%s", s.error.c_str());

}

namespace {
// The last steps: the first-order prediction beside what happened, and the minibatch spread.
void step_table(DescentScene& s) {
  const int N = std::max(1, int(s.data.cols()));
  const int M = std::clamp(s.settings.toy.training.batch_size, 1, N);
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("ΔL predicted (−η ∇L·g) and actual, last steps"));
  if (ImGui::BeginTable("steps", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn(tr("step"));
    ImGui::TableSetupColumn(tr("predicted"));
    ImGui::TableSetupColumn(tr("actual"));
    ImGui::TableSetupColumn(tr("actual / predicted"));
    ImGui::TableHeadersRow();
    const int n = int(s.steps.size());
    for (int k = n - 1; k >= std::max(0, n - 8); --k) {
      const DescentScene::Step& st = s.steps[size_t(k)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", s.steps_done - (n - 1 - k));
      ImGui::TableNextColumn();
      ImGui::Text("%.3g", st.predicted);
      ImGui::TableNextColumn();
      ImGui::Text("%.3g", st.actual);
      ImGui::TableNextColumn();
      if (st.predicted != 0) ImGui::Text("%.3f", st.actual / st.predicted);
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  if (M < N) {
    ImGui::TextWrapped(tr("spread of minibatch gradients: %.3f × ‖∇L‖"), s.spread);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", tr("spread of minibatch gradients: 0 (every step uses all N samples)"));
    ImGui::PopStyleColor();
  }
}
}  // namespace

void descent_ui(DescentScene& s, float scale, bool dark) {
  if (s.model.layers.empty()) {
    if (!s.error.empty()) ImGui::TextColored(error_text_colour(), "%s", s.error.c_str());
    return;
  }
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // The map as large as fits; the right column (reconstruction, step table) beside it when there is
  // room for it, else under it (a narrow window scrolls).
  const float column_w = 260 * scale;
  const bool side_by_side = avail.x - column_w >= std::min(avail.x * 0.5f, avail.y);
  const float side = std::max(120.0f, std::min(side_by_side ? avail.x - column_w : avail.x, avail.y - 3 * ImGui::GetTextLineHeightWithSpacing()));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
  ImGui::TextWrapped("%s", tr("L(a, b): the loss over the two weights (the others fixed at their trained values)"));
  PlotFrame f = reserve_plot(ImVec2(side, side), 0.0f, "##map");
  const float e = s.settings.extent;
  f.x_lo = -e;
  f.x_hi = e;
  f.y_lo = -e;
  f.y_hi = e;
  s.map_rect = {f.min.x, f.min.y, f.width(), f.height()};
  draw_plot_background(draw, f, dark);

  // The map in 16 bands of log L: the band edges are the contour lines.
  const int G = DescentScene::kGrid;
  const double lo = std::log(std::max(s.map_lo, 1e-12)), hi = std::log(std::max(s.map_hi, s.map_lo * 1.0001 + 1e-12));
  const float cell_w = f.width() / G, cell_h = f.height() / G;
  for (int j = 0; j < G; ++j)
    for (int i = 0; i < G; ++i) {
      const double c = s.map[size_t(j * G + i)];
      const float t = std::isfinite(c) ? float((std::log(std::max(c, 1e-12)) - lo) / (hi - lo)) : 1.0f;
      const float band = std::floor(t * 16.0f) / 16.0f;
      const ImVec2 p0(f.min.x + i * cell_w, f.min.y + j * cell_h);
      draw->AddRectFilled(p0, ImVec2(p0.x + cell_w + 0.5f, p0.y + cell_h + 0.5f), viridis(band, 0.85f));
    }
  // Axes through 0, the trained point, the path.
  const ImU32 axis = plot_colours(dark).frame;
  draw->AddLine(f.map(-e, 0), f.map(e, 0), axis);
  draw->AddLine(f.map(0, -e), f.map(0, e), axis);
  const ImVec2 best = f.map(float(s.trained_a), float(s.trained_b));
  draw->AddCircle(best, 6 * scale, IM_COL32(255, 255, 255, 230), 0, 2 * scale);
  draw->PushClipRect(f.min, f.max, true);
  for (size_t k = 1; k < s.path.size(); ++k)
    draw->AddLine(f.map(s.path[k - 1].x, s.path[k - 1].y), f.map(s.path[k].x, s.path[k].y), okabe_ito::vermillion, 2 * scale);
  for (const ImVec2& p : s.path) draw_dot(draw, f.map(p.x, p.y), 2.5f * scale, okabe_ito::vermillion);
  // The step directions −g: the full gradient in white, the minibatch ones in orange, all scaled
  // by the same factor so that the full one is a fifth of the map long.
  const ImVec2 here = f.map(float(s.a), float(s.b));
  const float gn = std::sqrt(s.full_gradient.x * s.full_gradient.x + s.full_gradient.y * s.full_gradient.y);
  if (gn > 0) {
    const float k = 0.2f * 2 * e / gn;
    for (const ImVec2& g : s.minibatch_gradients)
      draw->AddLine(here, f.map(float(s.a) - k * g.x, float(s.b) - k * g.y), IM_COL32(230, 159, 0, 150), 1.2f * scale);
    draw->AddLine(here, f.map(float(s.a) - k * s.full_gradient.x, float(s.b) - k * s.full_gradient.y), IM_COL32(255, 255, 255, 255), 2.5f * scale);
  }
  draw->AddCircleFilled(here, 5 * scale, okabe_ito::vermillion);
  draw->PopClipRect();
  char label[64];
  std::snprintf(label, sizeof label, "a = W¹₁₁");
  draw->AddText(ImVec2(f.max.x - ImGui::CalcTextSize(label).x - 4, f.max.y - ImGui::GetTextLineHeight() - 2), plot_colours(dark).text, label);
  std::snprintf(label, sizeof label, "b = Wᴸ₁₁");
  draw->AddText(ImVec2(f.min.x + 4, f.min.y + 2), plot_colours(dark).text, label);
  // A click on the map: start again from there.
  if (ImGui::IsItemClicked()) {
    const ImVec2 m = ImGui::GetMousePos();
    const double a = -e + (m.x - f.min.x) / f.width() * 2 * e, b = e - (m.y - f.min.y) / f.height() * 2 * e;
    s.settings.start_a = float(a);
    s.settings.start_b = float(b);
    restart_path(s, a, b);
  }
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetMousePos();
    const double a = -e + (m.x - f.min.x) / f.width() * 2 * e, b = e - (m.y - f.min.y) / f.height() * 2 * e;
    ImGui::SetTooltip("a = %.3f, b = %.3f\nL = %.5g", a, b, loss_at(s, a, b));
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("white ring: the trained weights · red: the path · white line: −∇L · orange: −g of 24 minibatches (same scale)"));
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  // What the two weights do to the reconstruction: the data and g(f(x)) at the current point.
  if (side_by_side) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr("data (grey) and reconstruction now (orange)"));
  const float inset = std::max(100.0f, side_by_side ? std::min(ImGui::GetContentRegionAvail().x, side * 0.6f) : side * 0.5f);
  PlotFrame d = reserve_plot(ImVec2(inset, inset));
  draw_plot_background(draw, d, dark);
  const Eigen::Index dims = s.data.rows();
  if (dims >= 2) {
    float x0 = float(s.data.row(0).minCoeff()), x1 = float(s.data.row(0).maxCoeff());
    float y0 = float(s.data.row(1).minCoeff()), y1 = float(s.data.row(1).maxCoeff());
    const float pad = 0.15f * std::max(x1 - x0, y1 - y0);
    const float cx = 0.5f * (x0 + x1), cy = 0.5f * (y0 + y1), half = 0.5f * std::max(x1 - x0, y1 - y0) + pad;
    d.x_lo = cx - half;
    d.x_hi = cx + half;
    d.y_lo = cy - half;
    d.y_hi = cy + half;
    weight_a(s.model) = float(s.a);
    weight_b(s.model) = float(s.b);
    ae::Workspace<float> ws;
    const ae::Matrix<float>& y = ae::forward(s.model, s.data, ws);
    draw->PushClipRect(d.min, d.max, true);
    const ImU32 grey = dark ? IM_COL32(150, 150, 160, 160) : IM_COL32(110, 110, 120, 160);
    for (Eigen::Index n = 0; n < s.data.cols(); ++n) draw_dot(draw, d.map(float(s.data(0, n)), float(s.data(1, n))), 1.6f * scale, grey);
    for (Eigen::Index n = 0; n < y.cols(); ++n)
      if (std::isfinite(y(0, n)) && std::isfinite(y(1, n))) draw_dot(draw, d.map(float(y(0, n)), float(y(1, n))), 1.6f * scale, okabe_ito::orange);
    draw->PopClipRect();
  }
  step_table(s);
  ImGui::EndGroup();
}

}  // namespace app
