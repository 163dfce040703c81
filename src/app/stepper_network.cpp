// stepper_network.cpp — what the two drawings of the network share (stepper_units_view.cpp for a
// small network, stepper_blocks_view.cpp for a big one): the colours of signs and magnitudes, the
// tooltips with the exact values, the selection, ‖δˡ‖ under each layer, and the choice of drawing.
#include "i18n.h"
#include "stepper_internal.h"

#include <algorithm>
#include <cmath>

namespace app::stepper_detail {

// ---- Colours -------------------------------------------------------------------------------------

ImU32 with_alpha(ImU32 colour, int alpha) {
  return (colour & ~IM_COL32_A_MASK) | (ImU32(std::clamp(alpha, 0, 255)) << IM_COL32_A_SHIFT);
}

ImU32 sign_colour(double v, float alpha, bool dark) {
  // Blue for positive, orange for negative: distinguishable with every common colour-vision deficiency.
  const ImVec4 pos = dark ? ImVec4(0.35f, 0.65f, 1.0f, alpha) : ImVec4(0.1f, 0.35f, 0.8f, alpha);
  const ImVec4 neg = dark ? ImVec4(1.0f, 0.6f, 0.2f, alpha) : ImVec4(0.85f, 0.4f, 0.0f, alpha);
  return ImGui::ColorConvertFloat4ToU32(v >= 0 ? pos : neg);
}

// The sign colours of the connections as a continuous map (the orange–blue ends of ColorBrewer's
// PuOr / RdBu family stay apart under every common colour-vision deficiency): |t| from 0 to ½ goes
// from neutral to the middle hue, from ½ to 1 on to the end hue. On the dark theme the magnitude
// grows towards bright colours, on the light theme towards dark ones.
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

// Black on light fills, white on dark ones (by the fill's luma, ITU-R BT.601 weights).
ImU32 text_on(ImU32 fill) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
  return 0.299f * c.x + 0.587f * c.y + 0.114f * c.z > 0.55f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

void centred_text(ImDrawList* draw, float cx, float y, ImU32 colour, const std::string& label) {
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  draw->AddText(ImVec2(cx - ts.x * 0.5f, y), colour, label.c_str());
}

// ---- Hover and click ----------------------------------------------------------------------------

void unit_tooltip(const Stepper& s, int c, int j) {
  const int l = c - 1;
  ImGui::BeginTooltip();
  if (c == 0) {
    ImGui::Text("x%s = %s", sub(j + 1).c_str(), exact(s.trace.input(j, s.sample)).c_str());
  } else {
    const auto& lt = s.trace.layers[size_t(l)];
    ImGui::Text(tr("unit %d of layer %d (%s)"), j + 1, c, ae::activation_name(s.model.layers[size_t(l)].activation));
    if (s.phase >= 0 && reached(s, PhaseKind::forward_z, l)) ImGui::Text("z = %s", exact(lt.z(j, s.sample)).c_str());
    if (s.phase >= 0 && reached(s, PhaseKind::forward_a, l)) ImGui::Text("a = %s", exact(lt.a(j, s.sample)).c_str());
    if (delta_reached(s, l)) ImGui::Text("δ = %s", exact(lt.delta(j, s.sample)).c_str());
    ImGui::Text("b = %s", exact(shown_b(s, l)(j)).c_str());
  }
  if (s.example.input.cols() > 1) ImGui::TextDisabled(tr("sample %d of the batch"), s.sample + 1);
  ImGui::EndTooltip();
}

void weight_tooltip(const Stepper& s, int l, int i, int k) {
  const std::string W = "W" + sup(l + 1) + sub(i + 1) + sub(k + 1);
  ImGui::BeginTooltip();
  ImGui::Text("%s = %s", W.c_str(), exact(shown_W(s, l)(i, k)).c_str());
  if (s.phase >= 0 && reached(s, PhaseKind::gradients, l))
    ImGui::Text("∂C/∂%s = %s", W.c_str(), exact(s.trace.layers[size_t(l)].dW(i, k)).c_str());
  if (updated(s)) ImGui::Text(tr("before the update: %s"), exact(s.trace.layers[size_t(l)].W_before(i, k)).c_str());
  const std::string from = l == 0 ? tr("the input") : formatted(tr("layer %d"), l);
  ImGui::TextDisabled(tr("from unit %d of %s to unit %d of layer %d — click to select"), k + 1, from.c_str(), i + 1, l + 1);
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

// ---- ‖δˡ‖ under each layer ----------------------------------------------------------------------

float delta_norm_row_height(float scale) { return ImGui::GetTextLineHeight() + 6 * scale; }

bool draw_delta_norm(ImDrawList* draw, const Stepper& s, int l, float cx, float y, bool hovered) {
  const double norm = stepper_delta_norm(s, l);
  if (norm < 0) return false;
  const std::string label = formatted(tr("‖δ‖ = %.3g"), norm);
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  const ImVec2 a(cx - ts.x * 0.5f, y), b(a.x + ts.x, a.y + ts.y);
  draw->AddText(a, ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
  return hovered && ImGui::IsMouseHoveringRect(a, b);
}

void delta_norm_tooltip(const Stepper& s, int l) {
  const double norm = stepper_delta_norm(s, l);
  if (norm < 0) return;
  const std::string L = sup(l + 1);
  ImGui::BeginTooltip();
  ImGui::Text("‖δ%s‖ = √(Σⱼ (δ%sⱼ)²) = %s", L.c_str(), L.c_str(), exact(norm).c_str());
  ImGui::TextDisabled(tr("The Euclidean norm of layer %d's δ for sample %d: one number for the size of the error signal that reaches this layer."),
                      l + 1, s.sample + 1);
  ImGui::EndTooltip();
}

// ---- Which drawing -----------------------------------------------------------------------------

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

}  // namespace app::stepper_detail
