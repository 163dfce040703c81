// stepper_units_view.cpp — a small network, drawn unit by unit:
//
//   x = a⁰          a¹ (code)          y = a²
//    (x₁) ─────────── (a¹₁) ─────────── (y₁)      one circle per unit, with the number the phase
//         ╲        ╱        ╲        ╱            has computed (z, then a) inside and δ under it;
//    (x₂) ─────────── (a¹₂) ─────────── (y₂)      one line per weight Wˡⱼₖ: colour = sign,
//                   ‖δ‖ = …            ‖δ‖ = …    thickness = |w| / max |w| of its layer
//
// Hover a unit or a line for the exact values; click to select it.
#include "i18n.h"
#include "stepper_internal.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace app::stepper_detail {

namespace {

// A unit whose value the step has not reached yet.
ImU32 unit_not_computed_colour(bool dark) { return dark ? IM_COL32(50, 54, 66, 255) : IM_COL32(220, 220, 225, 255); }
// The outline of the units the current phase computes.
constexpr ImU32 kComputingOutline = IM_COL32(255, 255, 255, 230);

// Where things go. Columns c = 0..L (the input, then each layer's output) at x = (c + ½) of the
// column gap; unit j of a column at y = (j + ½) of the row gap, each column centred vertically
// under the titles; the circles fit both gaps. The bottom row keeps ‖δˡ‖.
struct UnitLayout {
  ImVec2 p0;                // the view's top-left corner
  std::vector<int> widths;  // units per column: n₀, n₁, …, n_L
  float units_h = 0;        // the height of the view above the ‖δ‖ row
  float scale = 1;
  float col_gap = 0, row_gap = 0, radius = 0;

  int columns() const { return int(widths.size()); }
  ImVec2 unit_pos(int column, int j) const {
    const float top = p0.y + 30 * scale + (units_h - 40 * scale - row_gap * float(widths[size_t(column)])) * 0.5f;
    return ImVec2(p0.x + col_gap * (float(column) + 0.5f), top + row_gap * (float(j) + 0.5f));
  }
};

UnitLayout unit_layout(const Stepper& s, ImVec2 p0, ImVec2 size, float scale) {
  UnitLayout u;
  u.p0 = p0;
  u.scale = scale;
  u.widths.push_back(s.model.input_size());
  for (const auto& layer : s.model.layers) u.widths.push_back(layer.n_out());
  u.units_h = size.y - delta_norm_row_height(scale);
  const int tallest = *std::max_element(u.widths.begin(), u.widths.end());
  u.col_gap = size.x / float(u.columns());
  u.row_gap = (u.units_h - 40 * scale) / float(std::max(tallest, 1));
  u.radius = std::min({26.0f * scale, u.col_gap * 0.22f, u.row_gap * 0.38f});
  return u;
}

// What one frame of the drawing needs.
struct UnitCanvas {
  ImDrawList* draw;
  const Stepper& s;
  const UnitLayout& layout;
  bool dark;
  bool hovered;          // the mouse is over the view
  ImVec2 mouse;
  const Phase* current;  // null before the step
  int active;            // the current phase's engine layer; -1 for none, the loss and the update
};

float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

// Column titles: x = a⁰, a¹ (code), …, y = aᴸ.
void draw_column_titles(const UnitCanvas& u) {
  const int columns = u.layout.columns();
  for (int c = 0; c < columns; ++c) {
    std::string title;
    if (c == 0)
      title = "x = a⁰";
    else if (c == columns - 1)
      title = "y = a" + sup(c);
    else
      title = "a" + sup(c) + (c - 1 == u.s.model.code_layer ? std::string(" (") + tr("code") + ")" : "");
    centred_text(u.draw, u.layout.unit_pos(c, 0).x, u.layout.p0.y + 6 * u.layout.scale, ImGui::GetColorU32(ImGuiCol_Text), title);
  }
}

// A weight under the mouse: Wˡᵢₖ (engine layer l) joins unit k of column l to unit i of column l + 1.
struct EdgeHit {
  int l = -1, i = -1, k = -1;
};

// Edges: colour = sign, thickness = |w| relative to the layer's largest; the active layer's are
// opaque. Returns the edge nearest the mouse, within 6 px.
EdgeHit draw_edges(const UnitCanvas& u) {
  const float scale = u.layout.scale;
  EdgeHit hit;
  float best = 6.0f * scale;
  for (int l = 0; l < n_layers(u.s); ++l) {
    const ae::Matrix<double>& W = shown_W(u.s, l);
    const double wmax = std::max(1e-9, W.cwiseAbs().maxCoeff());
    const bool on = (l == u.active) || u.active < 0;
    for (int i = 0; i < W.rows(); ++i)
      for (int k = 0; k < W.cols(); ++k) {
        const ImVec2 a = u.layout.unit_pos(l, k), b = u.layout.unit_pos(l + 1, i);
        const double w = W(i, k);
        const float thickness = (1.0f + 5.0f * float(std::abs(w) / wmax)) * scale;
        const bool selected = u.s.weight_selected && u.s.sel_layer == l && u.s.sel_unit == i && u.s.sel_input == k;
        if (selected) u.draw->AddLine(a, b, kSelectionColour, thickness + 5 * scale);
        u.draw->AddLine(a, b, sign_colour(w, on ? 0.95f : 0.3f, u.dark), thickness);
        if (u.hovered) {
          const float d = distance_to_segment(u.mouse, a, b);
          if (d < best) {
            best = d;
            hit = {l, i, k};
          }
        }
      }
  }
  return hit;
}

// Unit j of column c: its fill (the sign and size of the newest value), its outline (selected,
// computed by this phase, or neither), the value inside and δ under it. True when the mouse is on it.
bool draw_unit(const UnitCanvas& u, int c, int j) {
  const Stepper& s = u.s;
  const int l = c - 1;  // engine layer whose output this column is
  const float scale = u.layout.scale, radius = u.layout.radius;
  const ImVec2 at = u.layout.unit_pos(c, j);
  std::string top, bottom;
  double value = 0;
  bool has_value = false;
  if (c == 0) {
    value = s.trace.input(j, s.sample);
    has_value = true;
    top = num(value);
  } else if (s.phase >= 0 && reached(s, PhaseKind::forward_a, l)) {
    value = s.trace.layers[size_t(l)].a(j, s.sample);
    has_value = true;
    top = "a " + num(value);
  } else if (s.phase >= 0 && reached(s, PhaseKind::forward_z, l)) {
    value = s.trace.layers[size_t(l)].z(j, s.sample);
    has_value = true;
    top = "z " + num(value);
  }
  if (c > 0 && delta_reached(s, l)) bottom = "δ " + num(s.trace.layers[size_t(l)].delta(j, s.sample));

  const PhaseKind* kind = u.current ? &u.current->kind : nullptr;
  const bool is_active = l == u.active && kind &&
                         (*kind == PhaseKind::forward_z || *kind == PhaseKind::forward_a || *kind == PhaseKind::output_delta ||
                          *kind == PhaseKind::hidden_delta);
  const ImU32 fill = has_value ? sign_colour(value, float(0.25 + 0.5 * std::min(1.0, std::abs(value))), u.dark)
                               : unit_not_computed_colour(u.dark);
  u.draw->AddCircleFilled(at, radius, fill, 32);
  const bool selected = !s.weight_selected && c > 0 && s.sel_layer == l && s.sel_unit == j;
  const ImU32 outline = selected ? kSelectionColour : (is_active ? kComputingOutline : plot_colours(u.dark).text);
  u.draw->AddCircle(at, radius, outline, 32, (selected || is_active ? 3.0f : 1.5f) * scale);

  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  if (!top.empty()) {
    const ImVec2 ts = ImGui::CalcTextSize(top.c_str());
    u.draw->AddText(ImVec2(at.x - ts.x * 0.5f, at.y - ts.y * 0.5f), text, top.c_str());
  }
  if (!bottom.empty()) centred_text(u.draw, at.x, at.y + radius + 2 * scale, text, bottom);

  const float dx = u.mouse.x - at.x, dy = u.mouse.y - at.y;
  return u.hovered && dx * dx + dy * dy <= radius * radius;
}

}  // namespace

void unit_view(Stepper& s, ImVec2 size, float scale, bool dark) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##network", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  draw->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), plot_colours(dark).background);

  const UnitLayout layout = unit_layout(s, p0, size, scale);
  const Phase* current = s.phase >= 0 ? &s.phases[size_t(s.phase)] : nullptr;
  const UnitCanvas canvas{draw, s, layout, dark, hovered, ImGui::GetIO().MousePos, current, current ? current->layer : -1};

  draw_column_titles(canvas);
  const EdgeHit edge = draw_edges(canvas);
  int hover_c = -1, hover_j = -1;  // the unit under the mouse: column, unit
  for (int c = 0; c < layout.columns(); ++c)
    for (int j = 0; j < layout.widths[size_t(c)]; ++j)
      if (draw_unit(canvas, c, j)) {
        hover_c = c;
        hover_j = j;
      }
  // ‖δˡ‖ in the bottom row, under each layer's column.
  int hover_norm = -1;  // the engine layer whose ‖δ‖ is under the mouse
  for (int c = 1; c < layout.columns(); ++c)
    if (draw_delta_norm(draw, s, c - 1, layout.unit_pos(c, 0).x, p0.y + layout.units_h + 4 * scale, hovered)) hover_norm = c - 1;

  // Hover: exact values. Click: select a unit or a weight.
  if (hover_c >= 0) {
    unit_tooltip(s, hover_c, hover_j);
    if (clicked && hover_c > 0) select_unit(s, hover_c - 1, hover_j);
  } else if (edge.l >= 0) {
    weight_tooltip(s, edge.l, edge.i, edge.k);
    if (clicked) select_weight(s, edge.l, edge.i, edge.k);
  } else if (hover_norm >= 0) {
    delta_norm_tooltip(s, hover_norm);
  }
}

}  // namespace app::stepper_detail
