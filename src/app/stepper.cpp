// stepper.cpp — step-through mode (see stepper.h): the network, the phase's equation with the
// real numbers, and the layer's matrices. All numbers come from one engine step (train_step with a
// StepTrace), computed in double, so what the screen shows is what `aelab step` prints.
#include "stepper.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

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

// ---- The network ----------------------------------------------------------------------------

void network_view(Stepper& s, ImVec2 size, float scale, bool dark) {
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
    const int c = hover_unit_c, j = hover_unit_j, l = c - 1;
    ImGui::BeginTooltip();
    if (c == 0) {
      ImGui::Text("x%s = %s", sub(j + 1).c_str(), exact(s.trace.input(j, s.sample)).c_str());
    } else {
      ImGui::Text("unit %d of layer %d (%s)", j + 1, c, ae::activation_name(s.model.layers[l].activation));
      if (s.phase >= 0 && reached(s, PhaseKind::forward_z, l)) ImGui::Text("z = %s", exact(s.trace.layers[l].z(j, s.sample)).c_str());
      if (s.phase >= 0 && reached(s, PhaseKind::forward_a, l)) ImGui::Text("a = %s", exact(s.trace.layers[l].a(j, s.sample)).c_str());
      if (s.phase >= 0 && reached(s, l == L - 1 ? PhaseKind::output_delta : PhaseKind::hidden_delta, l))
        ImGui::Text("δ = %s", exact(s.trace.layers[l].delta(j, s.sample)).c_str());
      ImGui::Text("b = %s", exact(shown_b(s, l)(j)).c_str());
    }
    ImGui::EndTooltip();
    if (clicked && c > 0) {
      s.sel_layer = l;
      s.sel_unit = j;
      s.weight_selected = false;
    }
  } else if (hover_l >= 0) {
    ImGui::BeginTooltip();
    ImGui::Text("W%s%s%s = %s", sup(hover_l + 1).c_str(), sub(hover_i + 1).c_str(), sub(hover_k + 1).c_str(),
                exact(shown_W(s, hover_l)(hover_i, hover_k)).c_str());
    ImGui::TextDisabled("from unit %d of %s to unit %d of layer %d — click to select", hover_k + 1,
                        hover_l == 0 ? "the input" : ("layer " + std::to_string(hover_l)).c_str(), hover_i + 1, hover_l + 1);
    ImGui::EndTooltip();
    if (clicked) {
      s.sel_layer = hover_l;
      s.sel_unit = hover_i;
      s.sel_input = hover_k;
      s.weight_selected = true;
    }
  }
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
  ImGui::SameLine();
  ImGui::BeginGroup();
  matrix_table("b", "b", (p.kind == PhaseKind::update ? lt.b_after : lt.b_before), hi_r, 0);
  ImGui::EndGroup();
  if (reached(s, PhaseKind::forward_z, l)) {
    ImGui::SameLine();
    ImGui::BeginGroup();
    matrix_table("z", "z", lt.z, hi_r, s.sample);
    ImGui::EndGroup();
  }
  if (reached(s, PhaseKind::forward_a, l)) {
    ImGui::SameLine();
    ImGui::BeginGroup();
    matrix_table("a", "a", lt.a, hi_r, s.sample);
    ImGui::EndGroup();
  }
  const PhaseKind dk = l == n_layers(s) - 1 ? PhaseKind::output_delta : PhaseKind::hidden_delta;
  if (reached(s, dk, l)) {
    ImGui::SameLine();
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

void stepper_load(Stepper& s, const std::string& json_text, const std::string& name) {
  try {
    Stepper fresh;
    fresh.example = ae::parse_worked_example(json_text, name);
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
  s.model = s.example.model;
  ae::optimizer_reset(s.optimizer_state, s.model);
  build_phases(s);
  s.phase = -1;
  s.steps_done = 0;
  s.loss_history.clear();
  s.error.clear();
  s.sample = std::min(s.sample, int(s.example.input.cols()) - 1);
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

void stepper_ui(Stepper& s, float scale, bool dark) {
  if (!s.loaded) {
    ImGui::TextWrapped("No worked example loaded. %s", s.error.c_str());
    return;
  }
  // Controls.
  if (ImGui::Button("Reset")) stepper_reset(s);
  ImGui::SameLine();
  if (ImGui::Button("◀ Back")) stepper_prev_phase(s);
  ImGui::SameLine();
  if (ImGui::Button("Next ▶")) stepper_next_phase(s);
  ImGui::SameLine();
  if (ImGui::Button("Finish this step")) stepper_finish_step(s);
  ImGui::SameLine();
  ImGui::TextDisabled("keys: ← → phase, Enter finish step");
  if (s.example.input.cols() > 1) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120 * scale);
    int sample = s.sample + 1;
    if (ImGui::SliderInt("sample", &sample, 1, int(s.example.input.cols()))) s.sample = sample - 1;
  }

  const int total = int(s.phases.size());
  ImGui::Text("Step %d, phase %d of %d: %s", s.steps_done + 1, s.phase + 1, total,
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
  if (!e.result.empty()) ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.3f, 1.0f), "%s", e.result.c_str());
  ImGui::SetWindowFontScale(1.0f);
  if (!e.note.empty()) ImGui::TextWrapped("%s", e.note.c_str());
  ImGui::Separator();

  // The network, then the matrices of the active layer.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  network_view(s, ImVec2(avail.x, std::max(180.0f * scale, avail.y * 0.5f)), scale, dark);
  layer_matrices(s);

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
  if (!s.loss_history.empty()) {
    ImGui::Text("C before each step so far:");
    for (size_t i = 0; i < s.loss_history.size() && i < 12; ++i) {
      ImGui::SameLine();
      ImGui::Text("%s%.6g", i ? "→ " : "", s.loss_history[i]);
    }
  }
}

}  // namespace app
