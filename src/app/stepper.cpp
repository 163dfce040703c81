// stepper.cpp — step-through mode (see stepper.h): the network, the phase's equation with the
// real numbers, and the layer's matrices. All numbers come from one engine step (train_step with a
// StepTrace), computed in double, so what the screen shows is what `aelab step` prints.
#include "stepper.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace app {

namespace {

// ---- Notation helpers: Wˡⱼₖ with real super- and subscripts ---------------------------------

std::string sup(int n) {
  static const char* digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string s = std::to_string(n), out;
  for (char c : s) out += digits[c - '0'];
  return out;
}
std::string sub(int n) {
  static const char* digits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string s = std::to_string(n), out;
  for (char c : s) out += digits[c - '0'];
  return out;
}
// Numbers as students copy them: 6 significant digits, negatives in parentheses when multiplied.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
std::string factor(double v) { return v < 0 ? "(" + num(v) + ")" : num(v); }
std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

const char* sigma_formula(ae::Activation f) {
  switch (f) {
    case ae::Activation::linear: return "σ(z) = z";
    case ae::Activation::sigmoid: return "σ(z) = 1 / (1 + e^(−z))";
    case ae::Activation::tanh: return "σ(z) = tanh z";
    case ae::Activation::relu: return "σ(z) = max(0, z)";
    case ae::Activation::leaky_relu: return "σ(z) = z if z > 0, else 0.01 z";
    case ae::Activation::softplus: return "σ(z) = log(1 + e^z)";
  }
  return "";
}
const char* sigma_prime_formula(ae::Activation f) {
  switch (f) {
    case ae::Activation::linear: return "σ'(z) = 1";
    case ae::Activation::sigmoid: return "σ'(z) = a(1 − a)";
    case ae::Activation::tanh: return "σ'(z) = 1 − a²";
    case ae::Activation::relu: return "σ'(z) = 1 if z > 0, else 0";
    case ae::Activation::leaky_relu: return "σ'(z) = 1 if z > 0, else 0.01";
    case ae::Activation::softplus: return "σ'(z) = sigmoid(z)";
  }
  return "";
}

double sigma_prime(ae::Activation f, double z, double a) {
  ae::Matrix<double> Z(1, 1), A(1, 1), D;
  Z(0, 0) = z;
  A(0, 0) = a;
  ae::activation_derivative(f, Z, A, D);
  return D(0, 0);
}

int n_layers(const Stepper& s) { return int(s.model.layers.size()); }

int phase_index(const Stepper& s, PhaseKind kind, int layer) {
  for (size_t i = 0; i < s.phases.size(); ++i)
    if (s.phases[i].kind == kind && (s.phases[i].layer == layer || layer < 0)) return int(i);
  return int(s.phases.size());
}
bool reached(const Stepper& s, PhaseKind kind, int layer) { return s.phase >= phase_index(s, kind, layer); }
bool updated(const Stepper& s) { return s.phase >= phase_index(s, PhaseKind::update, -1); }

// The weights the network view shows: before the update, or after it once it happened.
const ae::Matrix<double>& shown_W(const Stepper& s, int l) {
  return updated(s) ? s.trace.layers[l].W_after : s.trace.layers[l].W_before;
}
const ae::Vector<double>& shown_b(const Stepper& s, int l) {
  return updated(s) ? s.trace.layers[l].b_after : s.trace.layers[l].b_before;
}
// aˡ⁻¹ for engine layer l (the input x for l = 0), sample column.
double a_prev(const Stepper& s, int l, int k) { return l == 0 ? s.trace.input(k, s.sample) : s.trace.layers[l - 1].a(k, s.sample); }

void build_phases(Stepper& s) {
  s.phases.clear();
  const int L = n_layers(s);
  for (int l = 0; l < L; ++l) {
    s.phases.push_back({PhaseKind::forward_z, l});
    s.phases.push_back({PhaseKind::forward_a, l});
  }
  s.phases.push_back({PhaseKind::loss, -1});
  s.phases.push_back({PhaseKind::output_delta, L - 1});
  for (int l = L - 2; l >= 0; --l) s.phases.push_back({PhaseKind::hidden_delta, l});
  for (int l = L - 1; l >= 0; --l) s.phases.push_back({PhaseKind::gradients, l});
  s.phases.push_back({PhaseKind::update, -1});
}

// Runs the whole step on a copy of the weights; the phases then reveal the trace.
void compute_step(Stepper& s) {
  ae::Autoencoder<double> scratch = s.model;
  ae::OptimizerState<double> state = s.optimizer_state;
  ae::Workspace<double> ws;
  const ae::StepStatus status =
      ae::train_step(scratch, s.example.config, state, s.example.input, s.example.target, ws, &s.trace);
  if (status != ae::StepStatus::ok) s.error = "this step produced NaN or infinite values; reset or lower η";
}

// Central finite difference of C with respect to W[l](i, k), at the step's starting weights.
double finite_difference(const Stepper& s, int l, int i, int k) {
  ae::Autoencoder<double> m = s.model;
  ae::Workspace<double> ws;
  const double h = 1e-6;
  auto C = [&](double w) {
    m.layers[l].W(i, k) = w;
    ae::sync_tied_weights(m);
    ae::forward(m, s.example.input, ws);
    const auto& top = ws.acts.back();
    return ae::loss_value(s.example.config.loss, m.layers.back().activation, top.z, top.a, s.example.target);
  };
  const double w0 = s.model.layers[l].W(i, k);
  return (C(w0 + h) - C(w0 - h)) / (2 * h);
}

ImU32 sign_colour(double v, float alpha, bool dark) {
  // Blue for positive, orange for negative: distinguishable with every common colour-vision deficiency.
  const ImVec4 pos = dark ? ImVec4(0.35f, 0.65f, 1.0f, alpha) : ImVec4(0.1f, 0.35f, 0.8f, alpha);
  const ImVec4 neg = dark ? ImVec4(1.0f, 0.6f, 0.2f, alpha) : ImVec4(0.85f, 0.4f, 0.0f, alpha);
  return ImGui::ColorConvertFloat4ToU32(v >= 0 ? pos : neg);
}

float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

// ---- Hover and click, shared by both drawings ---------------------------------------------------

bool delta_reached(const Stepper& s, int l) {
  return s.phase >= 0 && reached(s, l == n_layers(s) - 1 ? PhaseKind::output_delta : PhaseKind::hidden_delta, l);
}

// Column c of the drawing: c = 0 is the input x, c = l + 1 the output of engine layer l.
void unit_tooltip(const Stepper& s, int c, int j) {
  const int l = c - 1;
  ImGui::BeginTooltip();
  if (c == 0) {
    ImGui::Text("x%s = %s", sub(j + 1).c_str(), exact(s.trace.input(j, s.sample)).c_str());
  } else {
    ImGui::Text("unit %d of layer %d (%s)", j + 1, c, ae::activation_name(s.model.layers[l].activation));
    if (s.phase >= 0 && reached(s, PhaseKind::forward_z, l)) ImGui::Text("z = %s", exact(s.trace.layers[l].z(j, s.sample)).c_str());
    if (s.phase >= 0 && reached(s, PhaseKind::forward_a, l)) ImGui::Text("a = %s", exact(s.trace.layers[l].a(j, s.sample)).c_str());
    if (delta_reached(s, l)) ImGui::Text("δ = %s", exact(s.trace.layers[l].delta(j, s.sample)).c_str());
    ImGui::Text("b = %s", exact(shown_b(s, l)(j)).c_str());
  }
  if (s.example.input.cols() > 1) ImGui::TextDisabled("sample %d of the batch", s.sample + 1);
  ImGui::EndTooltip();
}

void weight_tooltip(const Stepper& s, int l, int i, int k) {
  const std::string W = "W" + sup(l + 1) + sub(i + 1) + sub(k + 1);
  ImGui::BeginTooltip();
  ImGui::Text("%s = %s", W.c_str(), exact(shown_W(s, l)(i, k)).c_str());
  if (s.phase >= 0 && reached(s, PhaseKind::gradients, l))
    ImGui::Text("∂C/∂%s = %s", W.c_str(), exact(s.trace.layers[l].dW(i, k)).c_str());
  if (updated(s)) ImGui::Text("before the update: %s", exact(s.trace.layers[l].W_before(i, k)).c_str());
  ImGui::TextDisabled("from unit %d of %s to unit %d of layer %d — click to select", k + 1,
                      l == 0 ? "the input" : ("layer " + std::to_string(l)).c_str(), i + 1, l + 1);
  ImGui::EndTooltip();
}

void select_unit(Stepper& s, int l, int j) {
  s.sel_layer = l;
  s.sel_unit = j;
  s.weight_selected = false;
}
void select_weight(Stepper& s, int l, int i, int k) {
  s.sel_layer = l;
  s.sel_unit = i;
  s.sel_input = k;
  s.weight_selected = true;
}

// ---- The network ----------------------------------------------------------------------------

void unit_view(Stepper& s, ImVec2 size, float scale, bool dark) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##network", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  draw->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));

  const int L = n_layers(s);
  std::vector<int> widths{s.model.input_size()};
  for (const auto& layer : s.model.layers) widths.push_back(layer.n_out());
  const int columns = L + 1;
  int tallest = *std::max_element(widths.begin(), widths.end());
  const float col_gap = size.x / float(columns);
  const float row_gap = (size.y - 40 * scale) / float(std::max(tallest, 1));
  const float radius = std::min({26.0f * scale, col_gap * 0.22f, row_gap * 0.38f});
  auto unit_pos = [&](int column, int j) {
    const float top = p0.y + 30 * scale + (size.y - 40 * scale - row_gap * widths[column]) * 0.5f;
    return ImVec2(p0.x + col_gap * (column + 0.5f), top + row_gap * (j + 0.5f));
  };

  const Phase* current = s.phase >= 0 ? &s.phases[s.phase] : nullptr;
  const int active = current ? current->layer : -1;

  // Column titles: x = a⁰, a¹, …, y = aᴸ.
  for (int c = 0; c < columns; ++c) {
    const std::string title = c == 0 ? "x = a⁰" : (c == columns - 1 ? "y = a" + sup(c) : "a" + sup(c) + (c - 1 == s.model.code_layer ? " (code)" : ""));
    const ImVec2 at = unit_pos(c, 0);
    const ImVec2 ts = ImGui::CalcTextSize(title.c_str());
    draw->AddText(ImVec2(at.x - ts.x * 0.5f, p0.y + 6 * scale), ImGui::GetColorU32(ImGuiCol_Text), title.c_str());
  }

  // Edges: colour = sign, thickness = magnitude; the active layer's are opaque.
  int hover_l = -1, hover_i = -1, hover_k = -1;
  float best = 6.0f * scale;
  for (int l = 0; l < L; ++l) {
    const ae::Matrix<double>& W = shown_W(s, l);
    const double wmax = std::max(1e-9, W.cwiseAbs().maxCoeff());
    const bool on = (l == active) || active < 0;
    for (int i = 0; i < W.rows(); ++i)
      for (int k = 0; k < W.cols(); ++k) {
        const ImVec2 a = unit_pos(l, k), b = unit_pos(l + 1, i);
        const double w = W(i, k);
        const float thickness = (1.0f + 5.0f * float(std::abs(w) / wmax)) * scale;
        const bool selected = s.weight_selected && s.sel_layer == l && s.sel_unit == i && s.sel_input == k;
        if (selected) draw->AddLine(a, b, IM_COL32(255, 220, 60, 255), thickness + 5 * scale);
        draw->AddLine(a, b, sign_colour(w, on ? 0.95f : 0.3f, dark), thickness);
        if (hovered) {
          const float d = distance_to_segment(mouse, a, b);
          if (d < best) {
            best = d;
            hover_l = l;
            hover_i = i;
            hover_k = k;
          }
        }
      }
  }

  // Units, with the value the current phase has computed.
  int hover_unit_c = -1, hover_unit_j = -1;
  for (int c = 0; c < columns; ++c) {
    const int l = c - 1;  // engine layer whose output this column is
    for (int j = 0; j < widths[c]; ++j) {
      const ImVec2 at = unit_pos(c, j);
      std::string top, bottom;
      double value = 0;
      bool has_value = false;
      if (c == 0) {
        value = s.trace.input(j, s.sample);
        has_value = true;
        top = num(value);
      } else if (s.phase >= 0 && reached(s, PhaseKind::forward_a, l)) {
        value = s.trace.layers[l].a(j, s.sample);
        has_value = true;
        top = "a " + num(value);
      } else if (s.phase >= 0 && reached(s, PhaseKind::forward_z, l)) {
        value = s.trace.layers[l].z(j, s.sample);
        has_value = true;
        top = "z " + num(value);
      }
      const bool delta_known = c > 0 && s.phase >= 0 &&
                               reached(s, l == L - 1 ? PhaseKind::output_delta : PhaseKind::hidden_delta, l);
      if (delta_known) bottom = "δ " + num(s.trace.layers[l].delta(j, s.sample));
      const bool is_active = (c - 1 == active) && current &&
                             (current->kind == PhaseKind::forward_z || current->kind == PhaseKind::forward_a ||
                              current->kind == PhaseKind::output_delta || current->kind == PhaseKind::hidden_delta);
      const ImU32 fill = has_value ? sign_colour(value, float(0.25 + 0.5 * std::min(1.0, std::abs(value))), dark)
                                   : (dark ? IM_COL32(50, 54, 66, 255) : IM_COL32(220, 220, 225, 255));
      draw->AddCircleFilled(at, radius, fill, 32);
      const bool selected_unit = !s.weight_selected && c > 0 && s.sel_layer == l && s.sel_unit == j;
      draw->AddCircle(at, radius, selected_unit ? IM_COL32(255, 220, 60, 255)
                                                : (is_active ? IM_COL32(255, 255, 255, 230) : IM_COL32(120, 125, 140, 255)),
                      32, (selected_unit || is_active ? 3.0f : 1.5f) * scale);
      const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
      if (!top.empty()) {
        const ImVec2 ts = ImGui::CalcTextSize(top.c_str());
        draw->AddText(ImVec2(at.x - ts.x * 0.5f, at.y - ts.y * 0.5f), text, top.c_str());
      }
      if (!bottom.empty()) {
        const ImVec2 ts = ImGui::CalcTextSize(bottom.c_str());
        draw->AddText(ImVec2(at.x - ts.x * 0.5f, at.y + radius + 2 * scale), text, bottom.c_str());
      }
      const float dx = mouse.x - at.x, dy = mouse.y - at.y;
      if (hovered && dx * dx + dy * dy <= radius * radius) {
        hover_unit_c = c;
        hover_unit_j = j;
      }
    }
  }

  // Hover: exact values. Click: select a unit or a weight.
  if (hover_unit_c >= 0) {
    unit_tooltip(s, hover_unit_c, hover_unit_j);
    if (clicked && hover_unit_c > 0) select_unit(s, hover_unit_c - 1, hover_unit_j);
  } else if (hover_l >= 0) {
    weight_tooltip(s, hover_l, hover_i, hover_k);
    if (clicked) select_weight(s, hover_l, hover_i, hover_k);
  }
}

// ---- Big networks: each layer as a block of heatmaps ------------------------------------------
//
//   x        W¹ (n₁ × n₀)      a¹ = [z | a | δ]      W² (n₂ × n₁)      a² = [z | a | δ]  …
//   one cell per input unit; the heatmap's row i lines up with unit i of the layer it feeds,
//   its column k is input unit k; each unit's column of cells shows z, a and δ for the shown sample.

// A diverging colour map for t = v / range in [−1, 1]: orange for negative, blue for positive,
// neutral at 0 (the sign colours of the connections; the orange–blue ends of ColorBrewer's PuOr /
// RdBu family stay apart under every common colour-vision deficiency). On the dark theme the
// magnitude grows towards bright colours, on the light theme towards dark ones.
ImU32 diverging(double t, bool dark) {
  struct Rgb {
    float r, g, b;
  };
  t = std::clamp(std::isfinite(t) ? t : 0.0, -1.0, 1.0);
  const Rgb neutral = dark ? Rgb{46, 48, 56} : Rgb{247, 247, 247};
  const Rgb neg_mid = dark ? Rgb{179, 88, 6} : Rgb{253, 184, 99}, neg_end = dark ? Rgb{253, 184, 99} : Rgb{179, 88, 6};
  const Rgb pos_mid = dark ? Rgb{33, 102, 172} : Rgb{146, 197, 222}, pos_end = dark ? Rgb{146, 197, 222} : Rgb{33, 102, 172};
  const Rgb& mid = t < 0 ? neg_mid : pos_mid;
  const Rgb& end = t < 0 ? neg_end : pos_end;
  auto mix = [](const Rgb& a, const Rgb& b, float f) { return Rgb{a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f}; };
  const float u = float(std::abs(t));
  const Rgb c = u < 0.5f ? mix(neutral, mid, u * 2) : mix(mid, end, u * 2 - 1);
  return IM_COL32(int(c.r), int(c.g), int(c.b), 255);
}
ImU32 text_on(ImU32 fill) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
  return 0.299f * c.x + 0.587f * c.y + 0.114f * c.z > 0.55f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

// What the heatmap of layer l shows at this phase: W, then ∇_W C once it is computed, then W after
// the update (so running shows the weights moving).
enum class WeightView { before, gradient, after };
WeightView weight_view(const Stepper& s, int l) {
  if (updated(s)) return WeightView::after;
  if (s.phase >= 0 && reached(s, PhaseKind::gradients, l)) return WeightView::gradient;
  return WeightView::before;
}
const ae::Matrix<double>& heatmap_matrix(const Stepper& s, int l) {
  const WeightView v = weight_view(s, l);
  return v == WeightView::gradient ? s.trace.layers[l].dW : (v == WeightView::after ? s.trace.layers[l].W_after : s.trace.layers[l].W_before);
}

// The three per-unit quantities of a layer's block, and the input.
enum class UnitValue { x, z, a, delta };
bool unit_value_known(const Stepper& s, UnitValue q, int l) {
  switch (q) {
    case UnitValue::x: return true;
    case UnitValue::z: return s.phase >= 0 && reached(s, PhaseKind::forward_z, l);
    case UnitValue::a: return s.phase >= 0 && reached(s, PhaseKind::forward_a, l);
    case UnitValue::delta: return delta_reached(s, l);
  }
  return false;
}
double unit_value(const Stepper& s, UnitValue q, int l, int j) {
  switch (q) {
    case UnitValue::x: return s.trace.input(j, s.sample);
    case UnitValue::z: return s.trace.layers[l].z(j, s.sample);
    case UnitValue::a: return s.trace.layers[l].a(j, s.sample);
    case UnitValue::delta: return s.trace.layers[l].delta(j, s.sample);
  }
  return 0;
}

// Each kind of number gets one colour range for the whole network (its largest |value| on screen),
// so the heatmaps compare across layers: a δ that shrinks on its way down shows as paler cells.
struct HeatRanges {
  double act = 0, z = 0, delta = 0, W = 0, dW = 0;
  double of(UnitValue q) const { return q == UnitValue::z ? z : (q == UnitValue::delta ? delta : act); }
};
HeatRanges heat_ranges(const Stepper& s) {
  HeatRanges r;
  r.act = s.trace.input.col(s.sample).cwiseAbs().maxCoeff();
  for (int l = 0; l < n_layers(s); ++l) {
    if (unit_value_known(s, UnitValue::z, l)) r.z = std::max(r.z, s.trace.layers[l].z.col(s.sample).cwiseAbs().maxCoeff());
    if (unit_value_known(s, UnitValue::a, l)) r.act = std::max(r.act, s.trace.layers[l].a.col(s.sample).cwiseAbs().maxCoeff());
    if (unit_value_known(s, UnitValue::delta, l))
      r.delta = std::max(r.delta, s.trace.layers[l].delta.col(s.sample).cwiseAbs().maxCoeff());
    double& slot = weight_view(s, l) == WeightView::gradient ? r.dW : r.W;
    slot = std::max(slot, heatmap_matrix(s, l).cwiseAbs().maxCoeff());
  }
  return r;
}
double scaled(double v, double range) { return range > 0 ? v / range : 0; }

bool draw_as_blocks(const Stepper& s, ImVec2 size, float scale) {
  if (s.drawing != NetworkDrawing::automatic) return s.drawing == NetworkDrawing::blocks;
  int tallest = s.model.input_size();
  long long connections = 0;
  for (const auto& layer : s.model.layers) {
    tallest = std::max(tallest, int(layer.n_out()));
    connections += layer.W.size();
  }
  if (tallest > 12 || connections > 200) return true;
  if (tallest <= 4) return false;  // the 2-2-2 lesson keeps its circles at any window size
  // A unit needs room for its value inside and its δ under it.
  const float row_gap = (size.y - 40 * scale) / float(tallest);
  return row_gap < 2.4f * ImGui::GetTextLineHeight();
}

void block_view(Stepper& s, ImVec2 size, float scale, bool dark) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##network", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  draw->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));

  const int L = n_layers(s);
  std::vector<int> widths{s.model.input_size()};
  for (const auto& layer : s.model.layers) widths.push_back(layer.n_out());
  const int tallest = *std::max_element(widths.begin(), widths.end());
  int fan_in_total = 0;  // the heatmaps' columns, all layers
  for (int l = 0; l < L; ++l) fan_in_total += widths[l];

  // Sizes: one cell height for every column; unit columns take at most 40 % of the width, the
  // heatmaps the rest; numbers are written into cells only where they fit.
  const float line = ImGui::GetTextLineHeight();
  const float pad = 8 * scale, gap = 10 * scale;
  const float top = p0.y + pad + 2 * line + 4 * scale;  // under the titles and the z / a / δ letters
  const float legend_h = 2 * line + 8 * scale;
  const float usable_h = std::max(10.0f, size.y - (top - p0.y) - legend_h - pad);
  const float cell_h = std::clamp(usable_h / float(tallest), 2.0f, 1.8f * line);
  const int sub_columns = 1 + 3 * L;
  const float room = std::max(10.0f, size.x - 2 * pad - gap * float(2 * L));
  const float number_w = ImGui::CalcTextSize("-0.000").x + 6 * scale;
  const bool tall_enough = cell_h >= line + 2 * scale;
  const float cell_w = std::min(tall_enough ? number_w : std::max(cell_h, 22 * scale), 0.4f * room / float(sub_columns));
  // Heatmap cells: up to twice as wide as tall, so a few long rows still fill the width.
  const float heat_w = std::max(1.0f, std::min(std::max(2 * cell_h, 6 * scale), (room - cell_w * float(sub_columns)) / float(fan_in_total)));
  const float total_w = cell_w * float(sub_columns) + heat_w * float(fan_in_total) + gap * float(2 * L);
  const bool unit_numbers = tall_enough && cell_w >= number_w;
  const bool weight_numbers = tall_enough && heat_w >= number_w;

  // x positions: column c (the input, then each layer's output), heatmap l between c = l and l + 1.
  std::vector<float> column_x(static_cast<size_t>(L) + 1), heat_x(static_cast<size_t>(L));
  float x = p0.x + std::max(pad, (size.x - total_w) * 0.5f);
  for (int c = 0; c <= L; ++c) {
    column_x[size_t(c)] = x;
    x += cell_w * (c == 0 ? 1 : 3) + gap;
    if (c < L) {
      heat_x[size_t(c)] = x;
      x += heat_w * float(widths[size_t(c)]) + gap;
    }
  }
  auto column_top = [&](int c) { return top + (usable_h - cell_h * float(widths[size_t(c)])) * 0.5f; };
  auto column_w = [&](int c) { return cell_w * (c == 0 ? 1 : 3); };

  const Phase* current = s.phase >= 0 ? &s.phases[size_t(s.phase)] : nullptr;
  const int active = current ? current->layer : -1;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 unknown = dark ? IM_COL32(60, 63, 74, 255) : IM_COL32(222, 222, 228, 255);
  const ImU32 selection = IM_COL32(255, 220, 60, 255);
  const ImU32 computing = dark ? IM_COL32(255, 255, 255, 235) : IM_COL32(20, 20, 20, 235);
  const HeatRanges range = heat_ranges(s);
  auto centred = [&](float cx, float y, const std::string& label) {
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    draw->AddText(ImVec2(cx - ts.x * 0.5f, y), text, label.c_str());
  };
  auto short_num = [](double v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, std::abs(v) >= 9.995 ? "%.1f" : "%.2f", v);
    return std::string(buf);
  };

  // The active layer: a lighter band behind its heatmap and its block of units.
  if (active >= 0) {
    const float x0 = heat_x[size_t(active)] - gap * 0.5f, x1 = column_x[size_t(active + 1)] + column_w(active + 1) + gap * 0.5f;
    draw->AddRectFilled(ImVec2(x0, p0.y + 2 * scale), ImVec2(x1, top + usable_h + 4 * scale),
                        dark ? IM_COL32(255, 255, 255, 22) : IM_COL32(0, 0, 0, 16), 6 * scale);
    draw->AddRect(ImVec2(x0, p0.y + 2 * scale), ImVec2(x1, top + usable_h + 4 * scale), text, 6 * scale, 0, 1.5f * scale);
  }

  // Titles: x = a⁰, a¹ (code), …, y = aᴸ over the units; W¹, ∇W¹ or W¹ after over the heatmaps.
  for (int c = 0; c <= L; ++c) {
    const std::string title = c == 0 ? "a⁰" : (c == L ? "y = a" + sup(c) : "a" + sup(c) + (c - 1 == s.model.code_layer ? " code" : ""));
    const float cx = column_x[size_t(c)] + column_w(c) * 0.5f;
    centred(cx, p0.y + pad, title);
    if (c == 0) {
      centred(cx, p0.y + pad + line, "x");
    } else {
      static const char* letters[] = {"z", "a", "δ"};
      for (int q = 0; q < 3; ++q) centred(column_x[size_t(c)] + cell_w * (float(q) + 0.5f), p0.y + pad + line, letters[q]);
    }
  }
  for (int l = 0; l < L; ++l) {
    const WeightView v = weight_view(s, l);
    const std::string title = (v == WeightView::gradient ? "∇W" : "W") + sup(l + 1) + (v == WeightView::after ? " new" : "");
    const float cx = heat_x[size_t(l)] + heat_w * float(widths[size_t(l)]) * 0.5f;
    centred(cx, p0.y + pad, title);
    centred(cx, p0.y + pad + line, std::to_string(widths[size_t(l + 1)]) + "×" + std::to_string(widths[size_t(l)]));
  }

  // Unit cells. hover: (column, unit).
  int hover_c = -1, hover_j = -1;
  for (int c = 0; c <= L; ++c) {
    const int l = c - 1;
    const float y0 = column_top(c);
    const int parts = c == 0 ? 1 : 3;
    for (int q = 0; q < parts; ++q) {
      const UnitValue kind = c == 0 ? UnitValue::x : (q == 0 ? UnitValue::z : (q == 1 ? UnitValue::a : UnitValue::delta));
      const bool known = unit_value_known(s, kind, l);
      const float x0 = column_x[size_t(c)] + cell_w * float(q);
      for (int j = 0; j < widths[size_t(c)]; ++j) {
        const ImVec2 a(x0, y0 + cell_h * float(j)), b(x0 + cell_w, y0 + cell_h * float(j + 1));
        const double v = known ? unit_value(s, kind, l, j) : 0;
        const ImU32 fill = known ? diverging(scaled(v, range.of(kind)), dark) : unknown;
        draw->AddRectFilled(a, b, fill);
        if (known && unit_numbers) {
          const std::string label = short_num(v);
          const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
          draw->AddText(ImVec2(a.x + (cell_w - ts.x) * 0.5f, a.y + (cell_h - ts.y) * 0.5f), text_on(fill), label.c_str());
        }
      }
      // The quantity the current phase computes gets a frame.
      const bool is_computing =
          current && ((current->kind == PhaseKind::forward_z && kind == UnitValue::z && l == active) ||
                      (current->kind == PhaseKind::forward_a && kind == UnitValue::a && l == active) ||
                      ((current->kind == PhaseKind::output_delta || current->kind == PhaseKind::hidden_delta) &&
                       kind == UnitValue::delta && l == active) ||
                      (current->kind == PhaseKind::loss && kind == UnitValue::a && l == L - 1));
      if (is_computing)
        draw->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(x0 + cell_w + 1, y0 + cell_h * float(widths[size_t(c)]) + 1), computing, 0, 0, 2.5f * scale);
    }
    // Thin lines between the units when the cells are big enough to tell apart.
    if (cell_h >= 6 * scale)
      for (int j = 1; j < widths[size_t(c)]; ++j)
        draw->AddLine(ImVec2(column_x[size_t(c)], y0 + cell_h * float(j)), ImVec2(column_x[size_t(c)] + column_w(c), y0 + cell_h * float(j)),
                      dark ? IM_COL32(22, 24, 30, 160) : IM_COL32(250, 250, 250, 160));
    if (hovered && mouse.x >= column_x[size_t(c)] && mouse.x < column_x[size_t(c)] + column_w(c) && mouse.y >= y0 &&
        mouse.y < y0 + cell_h * float(widths[size_t(c)])) {
      hover_c = c;
      hover_j = std::min(widths[size_t(c)] - 1, int((mouse.y - y0) / cell_h));
    }
  }

  // Heatmaps. hover: (layer, row, column).
  int hover_l = -1, hover_i = -1, hover_k = -1;
  for (int l = 0; l < L; ++l) {
    const ae::Matrix<double>& M = heatmap_matrix(s, l);
    const double r = weight_view(s, l) == WeightView::gradient ? range.dW : range.W;
    const float x0 = heat_x[size_t(l)], y0 = column_top(l + 1);
    for (int i = 0; i < int(M.rows()); ++i)
      for (int k = 0; k < int(M.cols()); ++k) {
        const ImVec2 a(x0 + heat_w * float(k), y0 + cell_h * float(i)), b(a.x + heat_w, a.y + cell_h);
        const ImU32 fill = diverging(scaled(M(i, k), r), dark);
        draw->AddRectFilled(a, b, fill);
        if (weight_numbers) {
          const std::string label = short_num(M(i, k));
          const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
          draw->AddText(ImVec2(a.x + (heat_w - ts.x) * 0.5f, a.y + (cell_h - ts.y) * 0.5f), text_on(fill), label.c_str());
        }
      }
    const ImVec2 corner(x0 + heat_w * float(M.cols()), y0 + cell_h * float(M.rows()));
    const bool is_computing = current && ((current->kind == PhaseKind::gradients && l == active) ||
                                          (current->kind == PhaseKind::forward_z && l == active) || current->kind == PhaseKind::update);
    draw->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(corner.x + 1, corner.y + 1), is_computing ? computing : IM_COL32(120, 125, 140, 255), 0, 0,
                  (is_computing ? 2.5f : 1.0f) * scale);
    if (hovered && mouse.x >= x0 && mouse.x < corner.x && mouse.y >= y0 && mouse.y < corner.y) {
      hover_l = l;
      hover_i = std::min(int(M.rows()) - 1, int((mouse.y - y0) / cell_h));
      hover_k = std::min(int(M.cols()) - 1, int((mouse.x - x0) / heat_w));
    }
  }

  // The selection in yellow: a unit's row of cells, or a weight's cell with the two units it joins.
  auto outline_unit = [&](int c, int j, float thickness) {
    if (c < 0 || c > L || j < 0 || j >= widths[size_t(c)]) return;
    const float y = column_top(c) + cell_h * float(j);
    draw->AddRect(ImVec2(column_x[size_t(c)] - 1, y - 1), ImVec2(column_x[size_t(c)] + column_w(c) + 1, y + cell_h + 1), selection, 0, 0, thickness);
  };
  if (s.sel_layer >= 0 && s.sel_layer < L) {
    if (s.weight_selected) {
      const int l = s.sel_layer;
      const ImVec2 a(heat_x[size_t(l)] + heat_w * float(s.sel_input), column_top(l + 1) + cell_h * float(s.sel_unit));
      draw->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(a.x + heat_w + 1, a.y + cell_h + 1), selection, 0, 0, 3.0f * scale);
      outline_unit(l, s.sel_input, 1.5f * scale);
      outline_unit(l + 1, s.sel_unit, 1.5f * scale);
    } else {
      outline_unit(s.sel_layer + 1, s.sel_unit, 3.0f * scale);
    }
  }

  // The legend: the colour map and each kind's range.
  const float ly = top + usable_h + 8 * scale;
  const float bar_w = 140 * scale, lx = p0.x + pad;
  const std::string lo = "−max", hi = "+max";
  draw->AddText(ImVec2(lx, ly), text, lo.c_str());
  const float bx = lx + ImGui::CalcTextSize(lo.c_str()).x + 6 * scale;
  const int steps = 28;
  for (int i = 0; i < steps; ++i) {
    const double t = -1.0 + 2.0 * (i + 0.5) / steps;
    draw->AddRectFilled(ImVec2(bx + bar_w * float(i) / steps, ly + 2 * scale), ImVec2(bx + bar_w * float(i + 1) / steps + 0.5f, ly + line - 2 * scale),
                        diverging(t, dark));
  }
  draw->AddRect(ImVec2(bx, ly + 2 * scale), ImVec2(bx + bar_w, ly + line - 2 * scale), IM_COL32(120, 125, 140, 255));
  draw->AddText(ImVec2(bx + bar_w + 6 * scale, ly), text, hi.c_str());
  std::string ranges = "   max |value|:  x, a " + num(range.act);
  if (range.z > 0) ranges += "   z " + num(range.z);
  if (range.delta > 0) ranges += "   δ " + num(range.delta);
  if (range.W > 0) ranges += "   W " + num(range.W);
  if (range.dW > 0) ranges += "   ∇W " + num(range.dW);
  draw->AddText(ImVec2(bx + bar_w + 6 * scale + ImGui::CalcTextSize(hi.c_str()).x, ly), text, ranges.c_str());
  const std::string help = "grey: not computed yet.  Hover a cell for its exact value, click a weight to select it." +
                           (s.example.input.cols() > 1 ? "  Units show sample " + std::to_string(s.sample + 1) + "." : std::string());
  draw->AddText(ImVec2(lx, ly + line), ImGui::GetColorU32(ImGuiCol_TextDisabled), help.c_str());

  // Hover: exact values. Click: select.
  if (hover_c >= 0) {
    unit_tooltip(s, hover_c, hover_j);
    if (clicked && hover_c > 0) select_unit(s, hover_c - 1, hover_j);
  } else if (hover_l >= 0) {
    weight_tooltip(s, hover_l, hover_i, hover_k);
    if (clicked) select_weight(s, hover_l, hover_i, hover_k);
  }
}

void network_view(Stepper& s, ImVec2 size, float scale, bool dark, bool blocks) {
  if (blocks)
    block_view(s, size, scale, dark);
  else
    unit_view(s, size, scale, dark);
}

// ---- The equation of the current phase, with numbers ------------------------------------------

struct Equation {
  std::string general, numbers, result, note;
  double value = 0;
};

Equation phase_equation(Stepper& s) {
  Equation e;
  if (s.phase < 0) {
    e.general = "Press → (or Next) to start the forward pass.";
    return e;
  }
  const Phase& p = s.phases[s.phase];
  const int L = n_layers(s);
  const int l = p.layer;
  const std::string L1 = l >= 0 ? sup(l + 1) : "", Lm = l >= 0 ? sup(l) : "";
  // The unit the scalar view follows: the selection when it is in this layer, else unit 1.
  const int j = (l >= 0 && s.sel_layer == l) ? std::min(s.sel_unit, int(s.trace.layers[l].z.rows()) - 1) : 0;
  const std::string J = sub(j + 1);
  switch (p.kind) {
    case PhaseKind::forward_z: {
      const auto& W = s.trace.layers[l].W_before;
      const auto& b = s.trace.layers[l].b_before;
      e.general = "z" + L1 + J + " = Σₖ W" + L1 + J + "ₖ a" + Lm + "ₖ + b" + L1 + J;
      std::string terms;
      const int n = int(W.cols()), shown = std::min(n, 6);
      for (int k = 0; k < shown; ++k)
        terms += (k ? " + " : "") + factor(W(j, k)) + "·" + factor(a_prev(s, l, k));
      if (shown < n) terms += " + … (" + std::to_string(n - shown) + " more)";
      e.numbers = "= " + terms + " + " + factor(b(j));
      e.value = s.trace.layers[l].z(j, s.sample);
      e.result = "= " + num(e.value);
      break;
    }
    case PhaseKind::forward_a: {
      const ae::Activation f = s.model.layers[l].activation;
      e.general = "a" + L1 + J + " = σ(z" + L1 + J + "),   " + sigma_formula(f);
      e.numbers = "= σ(" + num(s.trace.layers[l].z(j, s.sample)) + ")";
      e.value = s.trace.layers[l].a(j, s.sample);
      e.result = "= " + num(e.value);
      break;
    }
    case PhaseKind::loss: {
      const ae::LossConfig& c = s.example.config.loss;
      const auto& y = s.trace.layers[L - 1].a;
      const auto& t = s.trace.target;
      const int n = int(y.rows()), shown = std::min(n, 4);
      std::string scale = c.units == ae::Reduction::mean ? "(1/" + std::to_string(n) + ")" : "";
      if (c.batch == ae::Reduction::mean && y.cols() > 1) scale = "(1/" + std::to_string(y.cols()) + " samples)" + scale;
      std::string terms;
      if (c.kind == ae::LossKind::squared_error) {
        e.general = std::string("C = ") + (c.half ? "½ " : "") + scale + "Σᵢ (tᵢ − yᵢ)²   (t = the target" +
                    (s.example.input == s.example.target ? " = the input x" : "") + ")";
        for (int i = 0; i < shown; ++i) terms += (i ? " + " : "") + std::string("(") + num(t(i, s.sample)) + " − " + num(y(i, s.sample)) + ")²";
        e.numbers = std::string("= ") + (c.half ? "½" : "") + scale + "[" + terms + (shown < n ? " + …" : "") + "]";
      } else {
        e.general = "C = −" + scale + "Σᵢ [tᵢ log yᵢ + (1 − tᵢ) log(1 − yᵢ)]";
        for (int i = 0; i < shown; ++i)
          terms += (i ? " + " : "") + num(t(i, s.sample)) + "·log " + num(y(i, s.sample)) + " + " + num(1 - t(i, s.sample)) +
                   "·log " + num(1 - y(i, s.sample));
        e.numbers = "= −" + scale + "[" + terms + (shown < n ? " + …" : "") + "]";
      }
      if (y.cols() > 1) e.note = "The batch has " + std::to_string(y.cols()) + " samples; the terms shown are sample " + std::to_string(s.sample + 1) + "'s.";
      e.value = s.trace.loss;
      e.result = "= " + num(e.value);
      break;
    }
    case PhaseKind::output_delta: {
      const ae::Activation f = s.model.layers[l].activation;
      const double y = s.trace.layers[l].a(j, s.sample), z = s.trace.layers[l].z(j, s.sample), t = s.trace.target(j, s.sample);
      e.value = s.trace.layers[l].delta(j, s.sample);
      if (ae::loss_fuses_with(s.example.config.loss, f)) {
        e.general = "δ" + L1 + J + " = ∂C/∂z" + L1 + J + " = y" + J + " − t" + J + "   (sigmoid + cross-entropy: σ' cancels)";
        e.numbers = "= " + num(y) + " − " + num(t) + (e.value != y - t ? "   (× the reduction's scale)" : "");
      } else {
        const double sp = sigma_prime(f, z, y);
        const double dCdy = sp != 0 ? e.value / sp : 0;
        e.general = "δ" + L1 + J + " = ∂C/∂y" + J + " · σ'(z" + L1 + J + "),   " + sigma_prime_formula(f);
        e.numbers = "= " + factor(dCdy) + " · " + factor(sp);
        if (s.example.config.loss.kind == ae::LossKind::squared_error)
          e.note = std::string("∂C/∂y") + J + " = " + (s.example.config.loss.half ? "" : "2") + "(y" + J + " − t" + J + ") = " +
                   (s.example.config.loss.half ? "" : "2·") + "(" + num(y) + " − " + num(t) + ")";
      }
      e.result = "= " + num(e.value);
      break;
    }
    case PhaseKind::hidden_delta: {
      const ae::Activation f = s.model.layers[l].activation;
      const double a = s.trace.layers[l].a(j, s.sample), z = s.trace.layers[l].z(j, s.sample);
      const double sp = sigma_prime(f, z, a);
      const auto& Wn = s.trace.layers[l + 1].W_before;
      const auto& dn = s.trace.layers[l + 1].delta;
      e.general = "δ" + L1 + J + " = σ'(z" + L1 + J + ") · Σₖ W" + sup(l + 2) + "ₖ" + J + " δ" + sup(l + 2) + "ₖ,   " + sigma_prime_formula(f);
      std::string terms;
      const int n = int(Wn.rows()), shown = std::min(n, 5);
      for (int k = 0; k < shown; ++k) terms += (k ? " + " : "") + factor(Wn(k, j)) + "·" + factor(dn(k, s.sample));
      if (shown < n) terms += " + …";
      e.numbers = "= " + factor(sp) + " · [" + terms + "]";
      e.value = s.trace.layers[l].delta(j, s.sample);
      e.result = "= " + num(e.value);
      break;
    }
    case PhaseKind::gradients: {
      const int i = (s.weight_selected && s.sel_layer == l) ? s.sel_unit : j;
      const int k = (s.weight_selected && s.sel_layer == l) ? s.sel_input : 0;
      const std::string I = sub(i + 1), K = sub(k + 1);
      const int B = int(s.trace.input.cols());
      e.general = "∂C/∂W" + L1 + I + K + " = δ" + L1 + I + " · a" + Lm + K + (B > 1 ? "   (summed over the batch)" : "") +
                  ",     ∂C/∂b" + L1 + I + " = δ" + L1 + I;
      e.numbers = "= " + factor(s.trace.layers[l].delta(i, s.sample)) + " · " + factor(a_prev(s, l, k)) +
                  (B > 1 ? "  + the other samples' terms" : "");
      e.value = s.trace.layers[l].dW(i, k);
      e.result = "= " + num(e.value) + "      ∂C/∂b" + L1 + I + " = " + num(s.trace.layers[l].db(i));
      if (s.model.layers[l].tied_to >= 0) {
        e.note = "Tied layer: this use's gradient is added (transposed) to layer " + std::to_string(s.model.layers[l].tied_to + 1) + "'s W.";
      } else {
        const double fd = finite_difference(s, l, i, k);
        e.note = "Check: the finite difference (C(W + h) − C(W − h)) / 2h, h = 10⁻⁶, gives " + num(fd) +
                 "  (backprop: " + num(e.value) + ")";
      }
      break;
    }
    case PhaseKind::update: {
      const int ul = s.weight_selected ? s.sel_layer : L - 1;
      const int i = s.weight_selected ? s.sel_unit : 0, k = s.weight_selected ? s.sel_input : 0;
      const double eta = s.example.config.optimizer.learning_rate;
      const auto& lt = s.trace.layers[ul];
      const std::string W = "W" + sup(ul + 1) + sub(i + 1) + sub(k + 1);
      if (s.example.config.optimizer.kind == ae::OptimizerKind::sgd && s.model.layers[ul].tied_to < 0) {
        e.general = W + " ← " + W + " − η ∂C/∂" + W + ",   η = " + num(eta);
        e.numbers = "= " + num(lt.W_before(i, k)) + " − " + num(eta) + " · " + factor(lt.dW(i, k));
      } else {
        e.general = W + " ← the " + std::string(ae::optimizer_name(s.example.config.optimizer.kind)) + " update of " + W;
        e.numbers = "from " + num(lt.W_before(i, k));
      }
      e.value = lt.W_after(i, k);
      e.result = "= " + num(e.value);
      e.note = s.example.config.optimizer.update_biases ? "Every weight and bias moves against its gradient at once."
                                                        : "The biases are frozen in this example.";
      break;
    }
  }
  return e;
}

// ---- The layer's matrices ------------------------------------------------------------------

void matrix_table(const char* id, const char* title, const ae::Matrix<double>& m, int hi_row, int hi_col,
                  int* click_row = nullptr, int* click_col = nullptr) {
  ImGui::TextUnformatted(title);
  const int cols = int(std::min<Eigen::Index>(m.cols(), 12)), rows = int(std::min<Eigen::Index>(m.rows(), 12));
  if (ImGui::BeginTable(id, cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    for (int r = 0; r < rows; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < cols; ++c) {
        ImGui::TableSetColumnIndex(c);
        if (r == hi_row && c == hi_col)
          ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, IM_COL32(200, 160, 20, 110));
        char label[48];
        std::snprintf(label, sizeof label, "%.5g##%s%d_%d", m(r, c), id, r, c);
        if (click_row && ImGui::Selectable(label, false)) {
          *click_row = r;
          *click_col = c;
        } else if (!click_row) {
          ImGui::TextUnformatted(label, std::strchr(label, '#'));
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", exact(m(r, c)).c_str());
      }
    }
    ImGui::EndTable();
  }
  if (m.rows() > rows || m.cols() > cols) ImGui::TextDisabled("(%lld×%lld, first 12×12 shown)", (long long)m.rows(), (long long)m.cols());
}

// Puts the next table beside the last one when it fits in the window, else under it.
void beside_if_room(const ae::Matrix<double>& next) {
  const float estimate = float(std::min<Eigen::Index>(next.cols(), 12)) * ImGui::CalcTextSize("-0.00000 ").x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + estimate <= right) ImGui::SameLine();
}

void layer_matrices(Stepper& s) {
  if (s.phase < 0) return;
  const Phase& p = s.phases[s.phase];
  const int l = p.layer >= 0 ? p.layer : (s.weight_selected ? s.sel_layer : n_layers(s) - 1);
  const auto& lt = s.trace.layers[l];
  const int hi_r = s.sel_layer == l ? s.sel_unit : -1, hi_c = s.sel_layer == l && s.weight_selected ? s.sel_input : -1;
  int cr = -1, cc = -1;
  ImGui::Text("Layer %d (%s), matrices of this step:", l + 1, ae::activation_name(s.model.layers[l].activation));
  ImGui::BeginGroup();
  matrix_table("W", p.kind == PhaseKind::update ? "W after the update" : "W (click to select)",
               p.kind == PhaseKind::update ? lt.W_after : lt.W_before, hi_r, hi_c, &cr, &cc);
  ImGui::EndGroup();
  beside_if_room(lt.b_before);
  ImGui::BeginGroup();
  matrix_table("b", "b", (p.kind == PhaseKind::update ? lt.b_after : lt.b_before), hi_r, 0);
  ImGui::EndGroup();
  if (reached(s, PhaseKind::forward_z, l)) {
    beside_if_room(lt.z);
    ImGui::BeginGroup();
    matrix_table("z", "z", lt.z, hi_r, s.sample);
    ImGui::EndGroup();
  }
  if (reached(s, PhaseKind::forward_a, l)) {
    beside_if_room(lt.a);
    ImGui::BeginGroup();
    matrix_table("a", "a", lt.a, hi_r, s.sample);
    ImGui::EndGroup();
  }
  const PhaseKind dk = l == n_layers(s) - 1 ? PhaseKind::output_delta : PhaseKind::hidden_delta;
  if (reached(s, dk, l)) {
    beside_if_room(lt.delta);
    ImGui::BeginGroup();
    matrix_table("d", "δ", lt.delta, hi_r, s.sample);
    ImGui::EndGroup();
  }
  if (reached(s, PhaseKind::gradients, l)) {
    ImGui::BeginGroup();
    matrix_table("dW", "∇_W C = δ aᵀ", lt.dW, hi_r, hi_c);
    ImGui::EndGroup();
  }
  if (cr >= 0) {
    s.sel_layer = l;
    s.sel_unit = cr;
    s.sel_input = cc;
    s.weight_selected = true;
  }
}

}  // namespace

const char* phase_title(const Phase& p) {
  switch (p.kind) {
    case PhaseKind::forward_z: return "Forward: weighted sum z = W a + b";
    case PhaseKind::forward_a: return "Forward: activation a = σ(z)";
    case PhaseKind::loss: return "Loss C(x, y)";
    case PhaseKind::output_delta: return "Output delta δᴸ = ∇ₐC ⊙ σ'(zᴸ)";
    case PhaseKind::hidden_delta: return "Hidden delta δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹";
    case PhaseKind::gradients: return "Gradients ∇_b C = δ, ∇_W C = δ aᵀ";
    case PhaseKind::update: return "Update W ← W − η ∇_W C";
  }
  return "";
}

namespace {

// The seed a generated example names in "weights_from": {"seed": N, …} (scripts/make-worked-examples.mjs);
// 0 when there is none. Only shown, and the start of New seed's count: the weights are the file's.
long long seed_named_in(const std::string& json_text) {
  const size_t from = json_text.find("\"weights_from\"");
  if (from == std::string::npos) return 0;
  const size_t key = json_text.find("\"seed\"", from);
  const size_t colon = key == std::string::npos ? key : json_text.find(':', key);
  if (colon == std::string::npos) return 0;
  return std::max(0LL, std::strtoll(json_text.c_str() + colon + 1, nullptr, 10));
}

}  // namespace

void stepper_load(Stepper& s, const std::string& json_text, const std::string& name) {
  try {
    Stepper fresh;
    fresh.example = ae::parse_worked_example(json_text, name);
    fresh.initial_model = fresh.example.model;
    fresh.file_seed = seed_named_in(json_text);
    fresh.name = fresh.example.name;
    fresh.loaded = true;
    s = std::move(fresh);
    stepper_reset(s);
  } catch (const ae::Error& e) {
    s.error = e.what();
  }
}

void stepper_reset(Stepper& s) {
  if (!s.loaded) return;
  s.model = s.initial_model;
  ae::optimizer_reset(s.optimizer_state, s.model);
  build_phases(s);
  s.phase = -1;
  s.steps_done = 0;
  s.sample_updates = 0;
  s.loss_history.clear();
  s.error.clear();
  s.running = false;
  s.sample = std::min(s.sample, int(s.example.input.cols()) - 1);
  s.sel_layer = std::min(s.sel_layer, n_layers(s) - 1);
  if (s.sel_unit >= int(s.model.layers[size_t(s.sel_layer)].n_out()) ||
      s.sel_input >= int(s.model.layers[size_t(s.sel_layer)].n_in())) {
    s.sel_unit = s.sel_input = 0;
  }
  compute_step(s);
}

void stepper_next_phase(Stepper& s) {
  if (!s.loaded || !s.error.empty()) return;
  if (s.phase + 1 < int(s.phases.size())) {
    ++s.phase;
    return;
  }
  // Past the update: the new weights become the start of the next step.
  ae::Workspace<double> ws;
  ae::train_step(s.model, s.example.config, s.optimizer_state, s.example.input, s.example.target, ws);
  s.loss_history.push_back(s.trace.loss);
  ++s.steps_done;
  s.phase = -1;
  compute_step(s);
}

void stepper_prev_phase(Stepper& s) {
  if (s.phase >= 0) --s.phase;
}

void stepper_finish_step(Stepper& s) {
  if (!s.loaded) return;
  if (s.phase == int(s.phases.size()) - 1) stepper_next_phase(s);  // already at the update: go on
  s.phase = int(s.phases.size()) - 1;
}

// One update on the shown sample alone: x = column `sample` of the batch (M = 1, plain SGD's
// "one example at a time"), through the same train_step as a whole step.
void stepper_step_sample(Stepper& s) {
  if (!s.loaded || !s.error.empty()) return;
  s.loss_history.push_back(s.trace.loss);  // C of the whole batch before this update, as for whole steps
  const ae::Matrix<double> x = s.example.input.col(s.sample), t = s.example.target.col(s.sample);
  ae::Workspace<double> ws;
  const ae::StepStatus status = ae::train_step(s.model, s.example.config, s.optimizer_state, x, t, ws);
  ++s.steps_done;
  ++s.sample_updates;
  s.phase = -1;
  compute_step(s);
  if (status != ae::StepStatus::ok) s.error = "this update produced NaN or infinite values; reset or lower η";
}

// Fresh weights: Glorot uniform W ~ U(−r, r), r = √(6 / (n_in + n_out)), b = 0, from `seed`, for
// the example's architecture — what make_autoencoder gives every other scene for that seed.
void stepper_new_seed(Stepper& s, long long seed) {
  if (!s.loaded) return;
  if (seed <= 0) seed = (s.seed > 0 ? s.seed : s.file_seed) + 1;
  ae::Architecture arch;
  arch.input_size = s.example.model.input_size();
  for (const auto& layer : s.example.model.layers) arch.layers.push_back({int(layer.n_out()), layer.activation});
  arch.code_layer = s.example.model.code_layer;
  arch.tied_weights = s.example.model.tied();
  arch.output_matches_input = arch.layers.back().size == arch.input_size;
  try {
    ae::Rng rng(static_cast<uint64_t>(seed));
    ae::Autoencoder<double> fresh = ae::make_autoencoder<double>(arch, ae::Init::glorot_uniform, rng);
    fresh.code_top_k = s.example.model.code_top_k;
    s.initial_model = std::move(fresh);
    s.seed = seed;
  } catch (const ae::Error& e) {
    s.error = std::string("new seed: ") + e.what();
    return;
  }
  stepper_reset(s);
}

void stepper_toggle_run(Stepper& s) {
  s.running = s.loaded && s.error.empty() && !s.running;
  s.run_clock = 0;
}

// Run mode: whole steps (stepper_finish_step: reveal this step, then go on to the next), at
// steps_per_second, never more than a few per frame so a slow frame does not snowball.
void stepper_tick(Stepper& s, double seconds) {
  if (!s.running) return;
  if (!s.loaded || !s.error.empty()) {
    s.running = false;
    return;
  }
  s.run_clock += std::clamp(seconds, 0.0, 0.25);
  const double period = 1.0 / std::clamp(double(s.steps_per_second), 0.5, 60.0);
  for (int budget = 4; s.run_clock >= period && budget > 0 && s.error.empty(); --budget) {
    s.run_clock -= period;
    stepper_finish_step(s);
  }
  s.run_clock = std::min(s.run_clock, period);
}

void stepper_ui(Stepper& s, float scale, bool dark) {
  if (!s.loaded) {
    ImGui::TextWrapped("No worked example loaded. %s", s.error.c_str());
    return;
  }
  stepper_tick(s, ImGui::GetIO().DeltaTime);

  // Controls: a phase, a sample, a batch (= one step), run / pause; reset, new seed.
  if (ImGui::Button("Reset")) stepper_reset(s);
  ImGui::SameLine();
  if (ImGui::Button("◀ Back")) stepper_prev_phase(s);
  ImGui::SameLine();
  if (ImGui::Button("Next phase ▶")) stepper_next_phase(s);
  ImGui::SameLine();
  if (ImGui::Button("Step one batch")) stepper_finish_step(s);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Finish this step: all %d samples at once, one update (Enter)", int(s.example.input.cols()));
  ImGui::SameLine();
  if (ImGui::Button("Step one sample")) stepper_step_sample(s);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("One update on sample %d alone (M = 1)", s.sample + 1);
  ImGui::SameLine();
  if (ImGui::Button(s.running ? "Pause ‖" : "Run ▶▶")) stepper_toggle_run(s);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110 * scale);
  ImGui::SliderFloat("steps/s", &s.steps_per_second, 0.5f, 60.0f, "%.1f", ImGuiSliderFlags_Logarithmic);

  const bool can_reseed = n_layers(s) >= 2;
  ImGui::BeginDisabled(!can_reseed);
  if (ImGui::Button("New seed")) stepper_new_seed(s);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (s.seed > 0)
    ImGui::Text("weights: Glorot uniform, seed %lld", s.seed);
  else if (s.file_seed > 0)
    ImGui::Text("weights: the file's (Glorot uniform, seed %lld)", s.file_seed);
  else
    ImGui::TextUnformatted("weights: the file's");
  if (can_reseed) {
    ImGui::SameLine();
    int typed = int(s.seed > 0 ? s.seed : s.file_seed);
    ImGui::SetNextItemWidth(90 * scale);
    if (ImGui::InputInt("seed", &typed, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue) && typed > 0) stepper_new_seed(s, typed);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Type a seed and press Enter: Glorot-uniform weights from that seed, biases 0");
  }
  if (s.example.input.cols() > 1) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120 * scale);
    int sample = s.sample + 1;
    if (ImGui::SliderInt("sample", &sample, 1, int(s.example.input.cols()))) s.sample = sample - 1;
  }
  ImGui::SetNextItemWidth(130 * scale);
  int drawing = int(s.drawing);
  if (ImGui::Combo("network drawing", &drawing, "automatic\0units\0heatmaps\0")) s.drawing = NetworkDrawing(drawing);
  ImGui::SameLine();
  ImGui::TextDisabled("   keys: ← → phase, Enter step one batch, R reset");

  const int total = int(s.phases.size());
  ImGui::Text("Step %d%s, phase %d of %d: %s", s.steps_done + 1, s.running ? " (running)" : "", s.phase + 1, total,
              s.phase >= 0 ? phase_title(s.phases[s.phase]) : "ready (weights shown)");
  if (!s.error.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "%s", s.error.c_str());

  // The equation, big.
  const Equation e = phase_equation(s);
  s.phase_label = s.phase >= 0 ? phase_title(s.phases[s.phase]) : "ready";
  s.phase_value = e.value;
  ImGui::Separator();
  ImGui::SetWindowFontScale(1.25f);
  ImGui::TextWrapped("%s", e.general.c_str());
  if (!e.numbers.empty()) ImGui::TextWrapped("%s", e.numbers.c_str());
  // The result in amber: bright on the dark theme, darker on the light one so it stays readable.
  if (!e.result.empty())
    ImGui::TextColored(dark ? ImVec4(1.0f, 0.85f, 0.3f, 1.0f) : ImVec4(0.65f, 0.4f, 0.0f, 1.0f), "%s", e.result.c_str());
  ImGui::SetWindowFontScale(1.0f);
  if (!e.note.empty()) ImGui::TextWrapped("%s", e.note.c_str());
  ImGui::Separator();

  // The network, then the matrices of the active layer.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Heatmap blocks need more height than circles: every unit is a row.
  const bool blocks = draw_as_blocks(s, ImVec2(avail.x, std::max(180.0f * scale, avail.y * 0.5f)), scale);
  const float network_h = blocks ? std::max(300.0f * scale, avail.y * 0.62f) : std::max(180.0f * scale, avail.y * 0.5f);
  network_view(s, ImVec2(avail.x, network_h), scale, dark, blocks);
  if (!s.loss_history.empty()) {
    // C of the whole batch before each update: the first few, then the latest, and the curve.
    const size_t n = s.loss_history.size();
    std::string list;
    for (size_t i = 0; i < n; ++i) {
      if (n > 10 && i == 4) {
        list += " → …";
        i = n - 5;
      }
      list += (i ? " → " : "") + num(s.loss_history[i]);
    }
    ImGui::TextWrapped("C before each update (%zu so far%s): %s", n,
                       s.sample_updates ? (", " + std::to_string(s.sample_updates) + " on one sample").c_str() : "", list.c_str());
    if (n >= 3) {
      std::vector<float> curve(s.loss_history.begin(), s.loss_history.end());
      ImGui::PlotLines("##loss", curve.data(), int(curve.size()), 0, "C", 0.0f, FLT_MAX, ImVec2(std::min(ImGui::GetContentRegionAvail().x, 420 * scale), 60 * scale));
    }
  }
  // Editing the selected weight (before the step starts, so the whole step uses it).
  if (s.weight_selected) {
    const std::string label = "W" + sup(s.sel_layer + 1) + sub(s.sel_unit + 1) + sub(s.sel_input + 1);
    if (s.model.layers[s.sel_layer].tied_to >= 0) {
      ImGui::TextDisabled("%s is tied to layer %d's W (edit it there).", label.c_str(), s.model.layers[s.sel_layer].tied_to + 1);
    } else {
      double w = s.model.layers[s.sel_layer].W(s.sel_unit, s.sel_input);
      ImGui::SetNextItemWidth(160 * scale);
      if (ImGui::InputDouble(("set " + label + " (restarts this step)").c_str(), &w, 0, 0, "%.6g",
                             ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (std::isfinite(w) && std::abs(w) <= 1e6) {
          s.model.layers[s.sel_layer].W(s.sel_unit, s.sel_input) = w;
          ae::sync_tied_weights(s.model);
          s.phase = -1;
          compute_step(s);
        } else {
          s.error = "a weight must be a finite number with |w| ≤ 10⁶";
        }
      }
    }
  }
  layer_matrices(s);
}

}  // namespace app
