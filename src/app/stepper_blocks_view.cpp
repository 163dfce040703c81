// stepper_blocks_view.cpp — a big network, drawn as blocks of coloured cells:
//
//   a⁰      W¹ (n₁ × n₀)      a¹ = [z | a | δ]      W² (n₂ × n₁)      a² = [z | a | δ]  …
//   x       heatmap           one row per unit      heatmap           …
//                             ‖δ‖ = …                                 ‖δ‖ = …
//   legend: the colour map and each kind's range
//
// One cell per input unit; each layer's block has one row per unit and a column each for z, a and
// δ of the shown sample. The heatmap Wˡ (nₗ × nₗ₋₁) sits between the two blocks it joins: its row i
// lines up with unit i of the layer it feeds, its column k is unit k of the layer below. Each kind
// of number has one colour range for the whole network, so the cells compare across layers; ‖δˡ‖
// under each block gives each layer's size as a number.
#include "i18n.h"
#include "stepper_internal.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <vector>

namespace app::stepper_detail {

namespace {

// ---- What the cells show ------------------------------------------------------------------------

// What the heatmap of layer l shows at this phase: W, then ∇_W C once it is computed, then W after
// the update (so running shows the weights moving).
enum class WeightView { before, gradient, after };
WeightView weight_view(const Stepper& s, int l) {
  if (updated(s)) return WeightView::after;
  if (s.phase >= 0 && reached(s, PhaseKind::gradients, l)) return WeightView::gradient;
  return WeightView::before;
}
const ae::Matrix<double>& heatmap_matrix(const Stepper& s, int l) {
  const auto& lt = s.trace.layers[size_t(l)];
  switch (weight_view(s, l)) {
    case WeightView::gradient: return lt.dW;
    case WeightView::after: return lt.W_after;
    case WeightView::before: break;
  }
  return lt.W_before;
}

// The per-unit quantities: the input's x, and each layer's z, a and δ (its block's cell columns).
enum class UnitValue { x, z, a, delta };
constexpr UnitValue kLayerCells[] = {UnitValue::z, UnitValue::a, UnitValue::delta};
constexpr int kCellsPerLayer = int(std::size(kLayerCells));

const char* letter(UnitValue q) {
  switch (q) {
    case UnitValue::x: return "x";
    case UnitValue::z: return "z";
    case UnitValue::a: return "a";
    case UnitValue::delta: return "δ";
  }
  return "";
}
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
    case UnitValue::z: return s.trace.layers[size_t(l)].z(j, s.sample);
    case UnitValue::a: return s.trace.layers[size_t(l)].a(j, s.sample);
    case UnitValue::delta: return s.trace.layers[size_t(l)].delta(j, s.sample);
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
    const auto& lt = s.trace.layers[size_t(l)];
    if (unit_value_known(s, UnitValue::z, l)) r.z = std::max(r.z, lt.z.col(s.sample).cwiseAbs().maxCoeff());
    if (unit_value_known(s, UnitValue::a, l)) r.act = std::max(r.act, lt.a.col(s.sample).cwiseAbs().maxCoeff());
    if (unit_value_known(s, UnitValue::delta, l)) r.delta = std::max(r.delta, lt.delta.col(s.sample).cwiseAbs().maxCoeff());
    double& slot = weight_view(s, l) == WeightView::gradient ? r.dW : r.W;
    slot = std::max(slot, heatmap_matrix(s, l).cwiseAbs().maxCoeff());
  }
  return r;
}
double scaled(double v, double range) { return range > 0 ? v / range : 0; }

// A number short enough for a cell: 2 decimals, 1 from 10 on.
std::string short_num(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, std::abs(v) >= 9.995 ? "%.1f" : "%.2f", v);
  return buf;
}

// ---- Where things go ----------------------------------------------------------------------------

// Top to bottom: the titles and the z / a / δ letters (two lines), the cells (one height for every
// column, each column centred), ‖δˡ‖ (one line), the legend (two lines). Left to right: column c
// (the input, then each layer's block) and heatmap l between columns l and l + 1, centred. Unit
// columns take at most 40 % of the width, the heatmaps the rest; numbers are written into cells
// only where they fit.
struct BlockLayout {
  ImVec2 p0;
  float scale = 1;
  int L = 0;
  std::vector<int> widths;  // units per column: n₀, n₁, …, n_L
  float line = 0, pad = 0, gap = 0;
  float top = 0;       // the cells' top
  float usable_h = 0;  // the cells' height
  float cell_h = 0, cell_w = 0, heat_w = 0;
  bool unit_numbers = false, weight_numbers = false;
  std::vector<float> column_x, heat_x;  // left edges
  float width = 0;                // the view's
  bool narrow = false;            // the legend's ranges get a line of their own (a phone)
  int help_lines = 1;             // the legend's help text, wrapped to the width

  int cells(int c) const { return c == 0 ? 1 : kCellsPerLayer; }
  float column_w(int c) const { return cell_w * float(cells(c)); }
  float column_top(int c) const { return top + (usable_h - cell_h * float(widths[size_t(c)])) * 0.5f; }
  float column_bottom(int c) const { return column_top(c) + cell_h * float(widths[size_t(c)]); }
  float heat_width(int l) const { return heat_w * float(widths[size_t(l)]); }
  float bottom() const { return top + usable_h; }
};

// The legend's second part: how to read the drawing.
std::string legend_help(const Stepper& s) {
  std::string help = tr("grey: not computed yet.  Hover a cell for its exact value, click a weight to select it.");
  if (s.example.input.cols() > 1) help += "  " + formatted(tr("Units show sample %d."), s.sample + 1);
  return help;
}

BlockLayout block_layout(const Stepper& s, ImVec2 p0, ImVec2 size, float scale) {
  BlockLayout b;
  b.p0 = p0;
  b.scale = scale;
  b.L = n_layers(s);
  b.widths.push_back(s.model.input_size());
  for (const auto& layer : s.model.layers) b.widths.push_back(layer.n_out());
  const int tallest = *std::max_element(b.widths.begin(), b.widths.end());
  int fan_in_total = 0;  // the heatmaps' columns, all layers
  for (int l = 0; l < b.L; ++l) fan_in_total += b.widths[size_t(l)];

  b.line = ImGui::GetTextLineHeight();
  b.pad = 8 * scale;
  b.gap = 10 * scale;
  b.top = p0.y + b.pad + 2 * b.line + 4 * scale;  // under the titles and the z / a / δ letters
  b.width = size.x;
  b.narrow = size.x < 640 * scale;
  b.help_lines = std::max(1, int(std::ceil(ImGui::CalcTextSize(legend_help(s).c_str(), nullptr, false, size.x - 2 * b.pad).y / b.line - 0.01f)));
  const float legend_h = float((b.narrow ? 2 : 1) + b.help_lines) * b.line + 8 * scale;
  b.usable_h = std::max(10.0f, size.y - (b.top - p0.y) - delta_norm_row_height(scale) - legend_h - b.pad);
  b.cell_h = std::clamp(b.usable_h / float(tallest), 2.0f, 1.8f * b.line);

  const int sub_columns = 1 + kCellsPerLayer * b.L;
  const float room = std::max(10.0f, size.x - 2 * b.pad - b.gap * float(2 * b.L));
  const float number_w = ImGui::CalcTextSize("-0.000").x + 6 * scale;
  const bool tall_enough = b.cell_h >= b.line + 2 * scale;
  b.cell_w = std::min(tall_enough ? number_w : std::max(b.cell_h, 22 * scale), 0.4f * room / float(sub_columns));
  // Heatmap cells: up to twice as wide as tall, so a few long rows still fill the width.
  b.heat_w = std::max(1.0f, std::min(std::max(2 * b.cell_h, 6 * scale), (room - b.cell_w * float(sub_columns)) / float(fan_in_total)));
  const float total_w = b.cell_w * float(sub_columns) + b.heat_w * float(fan_in_total) + b.gap * float(2 * b.L);
  b.unit_numbers = tall_enough && b.cell_w >= number_w;
  b.weight_numbers = tall_enough && b.heat_w >= number_w;

  b.column_x.resize(size_t(b.L) + 1);
  b.heat_x.resize(size_t(b.L));
  float x = p0.x + std::max(b.pad, (size.x - total_w) * 0.5f);
  for (int c = 0; c <= b.L; ++c) {
    b.column_x[size_t(c)] = x;
    x += b.column_w(c) + b.gap;
    if (c < b.L) {
      b.heat_x[size_t(c)] = x;
      x += b.heat_width(c) + b.gap;
    }
  }
  return b;
}

// ---- Drawing ------------------------------------------------------------------------------------

// A cell whose value the step has not reached yet.
ImU32 cell_not_computed_colour(bool dark) { return dark ? IM_COL32(60, 63, 74, 255) : IM_COL32(222, 222, 228, 255); }
// The frame around what the current phase computes.
ImU32 computing_colour(bool dark) { return dark ? IM_COL32(255, 255, 255, 235) : IM_COL32(20, 20, 20, 235); }
// The band behind the active layer.
ImU32 active_band_colour(bool dark) { return dark ? IM_COL32(255, 255, 255, 22) : IM_COL32(0, 0, 0, 16); }

// What one frame of the drawing needs.
struct BlockCanvas {
  ImDrawList* draw;
  const Stepper& s;
  const BlockLayout& b;
  bool dark;
  const Phase* current;  // null before the step
  int active;            // the current phase's engine layer; -1 for none, the loss and the update
  ImU32 text;
  HeatRanges range;
};

// A value written into its cell, centred, in black or white for the fill.
void cell_number(const BlockCanvas& k, ImVec2 a, float w, float h, ImU32 fill, double v) {
  const std::string label = short_num(v);
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  k.draw->AddText(ImVec2(a.x + (w - ts.x) * 0.5f, a.y + (h - ts.y) * 0.5f), text_on(fill), label.c_str());
}

// The active layer: a lighter band behind its heatmap and its block of units.
void draw_active_band(const BlockCanvas& k) {
  if (k.active < 0) return;
  const BlockLayout& b = k.b;
  const float scale = b.scale;
  const float x0 = b.heat_x[size_t(k.active)] - b.gap * 0.5f;
  const float x1 = b.column_x[size_t(k.active + 1)] + b.column_w(k.active + 1) + b.gap * 0.5f;
  const ImVec2 from(x0, b.p0.y + 2 * scale), to(x1, b.bottom() + 4 * scale);
  k.draw->AddRectFilled(from, to, active_band_colour(k.dark), 6 * scale);
  k.draw->AddRect(from, to, k.text, 6 * scale, 0, 1.5f * scale);
}

// Titles: a⁰, a¹ code, …, y = aᴸ over the units with x or z / a / δ under them; W¹, ∇W¹ or
// W¹ new over the heatmaps with their shape under them.
void draw_titles(const BlockCanvas& k) {
  const BlockLayout& b = k.b;
  const float title_y = b.p0.y + b.pad, letters_y = title_y + b.line;
  for (int c = 0; c <= b.L; ++c) {
    std::string title;
    if (c == 0)
      title = "a⁰";
    else if (c == b.L)
      title = "y = a" + sup(c);
    else
      title = "a" + sup(c) + (c - 1 == k.s.model.code_layer ? std::string(" ") + tr("code") : "");
    const float cx = b.column_x[size_t(c)] + b.column_w(c) * 0.5f;
    centred_text(k.draw, cx, title_y, k.text, title);
    if (c == 0) {
      centred_text(k.draw, cx, letters_y, k.text, letter(UnitValue::x));
    } else {
      for (int q = 0; q < kCellsPerLayer; ++q)
        centred_text(k.draw, b.column_x[size_t(c)] + b.cell_w * (float(q) + 0.5f), letters_y, k.text, letter(kLayerCells[q]));
    }
  }
  for (int l = 0; l < b.L; ++l) {
    const WeightView v = weight_view(k.s, l);
    const std::string title =
        (v == WeightView::gradient ? "∇W" : "W") + sup(l + 1) + (v == WeightView::after ? std::string(" ") + tr("new") : "");
    const float cx = b.heat_x[size_t(l)] + b.heat_width(l) * 0.5f;
    centred_text(k.draw, cx, title_y, k.text, title);
    centred_text(k.draw, cx, letters_y, k.text, std::to_string(b.widths[size_t(l + 1)]) + "×" + std::to_string(b.widths[size_t(l)]));
  }
}

// Does the current phase compute quantity q of engine layer l? (The loss reads the output's a.)
bool computes_cells(const BlockCanvas& k, UnitValue q, int l) {
  if (!k.current) return false;
  switch (k.current->kind) {
    case PhaseKind::forward_z: return q == UnitValue::z && l == k.active;
    case PhaseKind::forward_a: return q == UnitValue::a && l == k.active;
    case PhaseKind::output_delta:
    case PhaseKind::hidden_delta: return q == UnitValue::delta && l == k.active;
    case PhaseKind::loss: return q == UnitValue::a && l == k.b.L - 1;
    case PhaseKind::gradients:
    case PhaseKind::update: return false;
  }
  return false;
}

// Column c's cells (the input's x, or a layer's z, a, δ), with thin lines between the units when
// the cells are big enough to tell apart.
void draw_unit_column(const BlockCanvas& k, int c) {
  const BlockLayout& b = k.b;
  const float scale = b.scale;
  const int l = c - 1;
  const float y0 = b.column_top(c);
  const int n = b.widths[size_t(c)];
  for (int q = 0; q < b.cells(c); ++q) {
    const UnitValue kind = c == 0 ? UnitValue::x : kLayerCells[q];
    const bool known = unit_value_known(k.s, kind, l);
    const float x0 = b.column_x[size_t(c)] + b.cell_w * float(q);
    for (int j = 0; j < n; ++j) {
      const ImVec2 a(x0, y0 + b.cell_h * float(j)), to(x0 + b.cell_w, y0 + b.cell_h * float(j + 1));
      const double v = known ? unit_value(k.s, kind, l, j) : 0;
      const ImU32 fill = known ? diverging(scaled(v, k.range.of(kind)), k.dark) : cell_not_computed_colour(k.dark);
      k.draw->AddRectFilled(a, to, fill);
      if (known && b.unit_numbers) cell_number(k, a, b.cell_w, b.cell_h, fill, v);
    }
    if (computes_cells(k, kind, l))
      k.draw->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(x0 + b.cell_w + 1, b.column_bottom(c) + 1), computing_colour(k.dark), 0, 0, 2.5f * scale);
  }
  if (b.cell_h >= 6 * scale) {
    const ImU32 separator = with_alpha(plot_colours(k.dark).background, 160);
    for (int j = 1; j < n; ++j) {
      const float y = y0 + b.cell_h * float(j);
      k.draw->AddLine(ImVec2(b.column_x[size_t(c)], y), ImVec2(b.column_x[size_t(c)] + b.column_w(c), y), separator);
    }
  }
}

// The unit under the mouse: column c (0 the input, l + 1 engine layer l) and unit j.
struct UnitHit {
  int c = -1, j = -1;
};
UnitHit unit_under(const BlockLayout& b, ImVec2 mouse) {
  for (int c = 0; c <= b.L; ++c) {
    const float x0 = b.column_x[size_t(c)], y0 = b.column_top(c);
    if (mouse.x >= x0 && mouse.x < x0 + b.column_w(c) && mouse.y >= y0 && mouse.y < b.column_bottom(c))
      return {c, std::min(b.widths[size_t(c)] - 1, int((mouse.y - y0) / b.cell_h))};
  }
  return {};
}

// Heatmap l: the cells of W (or ∇_W C, or the new W) in the network-wide range of its kind, and a
// frame, bold while the phase computes with it.
void draw_heatmap(const BlockCanvas& k, int l) {
  const BlockLayout& b = k.b;
  const ae::Matrix<double>& M = heatmap_matrix(k.s, l);
  const double range = weight_view(k.s, l) == WeightView::gradient ? k.range.dW : k.range.W;
  const float x0 = b.heat_x[size_t(l)], y0 = b.column_top(l + 1);
  for (int i = 0; i < int(M.rows()); ++i)
    for (int c = 0; c < int(M.cols()); ++c) {
      const ImVec2 a(x0 + b.heat_w * float(c), y0 + b.cell_h * float(i)), to(a.x + b.heat_w, a.y + b.cell_h);
      const ImU32 fill = diverging(scaled(M(i, c), range), k.dark);
      k.draw->AddRectFilled(a, to, fill);
      if (b.weight_numbers) cell_number(k, a, b.heat_w, b.cell_h, fill, M(i, c));
    }
  const ImVec2 corner(x0 + b.heat_w * float(M.cols()), y0 + b.cell_h * float(M.rows()));
  const bool computing = k.current && ((k.current->kind == PhaseKind::gradients && l == k.active) ||
                                       (k.current->kind == PhaseKind::forward_z && l == k.active) || k.current->kind == PhaseKind::update);
  k.draw->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(corner.x + 1, corner.y + 1),
                  computing ? computing_colour(k.dark) : plot_colours(k.dark).text, 0, 0, (computing ? 2.5f : 1.0f) * b.scale);
}

// The weight under the mouse: Wˡᵢₖ of engine layer l.
struct WeightHit {
  int l = -1, i = -1, k = -1;
};
WeightHit weight_under(const BlockLayout& b, ImVec2 mouse) {
  for (int l = 0; l < b.L; ++l) {
    const int rows = b.widths[size_t(l + 1)], cols = b.widths[size_t(l)];
    const float x0 = b.heat_x[size_t(l)], y0 = b.column_top(l + 1);
    if (mouse.x >= x0 && mouse.x < x0 + b.heat_w * float(cols) && mouse.y >= y0 && mouse.y < y0 + b.cell_h * float(rows))
      return {l, std::min(rows - 1, int((mouse.y - y0) / b.cell_h)), std::min(cols - 1, int((mouse.x - x0) / b.heat_w))};
  }
  return {};
}

// The selection in yellow: a unit's row of cells, or a weight's cell with the two units it joins.
void draw_selection(const BlockCanvas& k) {
  const BlockLayout& b = k.b;
  const Stepper& s = k.s;
  auto outline_unit = [&](int c, int j, float thickness) {
    if (c < 0 || c > b.L || j < 0 || j >= b.widths[size_t(c)]) return;
    const float y = b.column_top(c) + b.cell_h * float(j);
    k.draw->AddRect(ImVec2(b.column_x[size_t(c)] - 1, y - 1), ImVec2(b.column_x[size_t(c)] + b.column_w(c) + 1, y + b.cell_h + 1),
                    kSelectionColour, 0, 0, thickness);
  };
  if (s.sel_layer < 0 || s.sel_layer >= b.L) return;
  if (s.weight_selected) {
    const int l = s.sel_layer;
    const ImVec2 a(b.heat_x[size_t(l)] + b.heat_w * float(s.sel_input), b.column_top(l + 1) + b.cell_h * float(s.sel_unit));
    k.draw->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(a.x + b.heat_w + 1, a.y + b.cell_h + 1), kSelectionColour, 0, 0, 3.0f * b.scale);
    outline_unit(l, s.sel_input, 1.5f * b.scale);
    outline_unit(l + 1, s.sel_unit, 1.5f * b.scale);
  } else {
    outline_unit(s.sel_layer + 1, s.sel_unit, 3.0f * b.scale);
  }
}

// ‖δˡ‖ under each layer's block. Returns the engine layer whose label the mouse is on, or -1.
int draw_delta_norms(const BlockCanvas& k, bool hovered) {
  const BlockLayout& b = k.b;
  int hit = -1;
  for (int c = 1; c <= b.L; ++c)
    if (draw_delta_norm(k.draw, k.s, c - 1, b.column_x[size_t(c)] + b.column_w(c) * 0.5f, b.bottom() + 6 * b.scale, hovered)) hit = c - 1;
  return hit;
}

// The legend under the ‖δ‖ row: the colour map from −max to +max, each kind's max |value|, and
// how to read the drawing.
void draw_legend(const BlockCanvas& k) {
  const BlockLayout& b = k.b;
  const float scale = b.scale;
  const float ly = b.bottom() + delta_norm_row_height(scale) + 8 * scale;
  const float bar_w = 140 * scale, lx = b.p0.x + b.pad;
  const std::string lo = "−max", hi = "+max";
  k.draw->AddText(ImVec2(lx, ly), k.text, lo.c_str());
  const float bx = lx + ImGui::CalcTextSize(lo.c_str()).x + 6 * scale;
  const int steps = 28;
  for (int i = 0; i < steps; ++i) {
    const double t = -1.0 + 2.0 * (i + 0.5) / steps;
    k.draw->AddRectFilled(ImVec2(bx + bar_w * float(i) / steps, ly + 2 * scale),
                          ImVec2(bx + bar_w * float(i + 1) / steps + 0.5f, ly + b.line - 2 * scale), diverging(t, k.dark));
  }
  k.draw->AddRect(ImVec2(bx, ly + 2 * scale), ImVec2(bx + bar_w, ly + b.line - 2 * scale), plot_colours(k.dark).text);
  k.draw->AddText(ImVec2(bx + bar_w + 6 * scale, ly), k.text, hi.c_str());
  const HeatRanges& r = k.range;
  std::string ranges = std::string(b.narrow ? "" : "   ") + tr("max |value|:") + "  x, a " + num(r.act);
  if (r.z > 0) ranges += "   z " + num(r.z);
  if (r.delta > 0) ranges += "   δ " + num(r.delta);
  if (r.W > 0) ranges += "   W " + num(r.W);
  if (r.dW > 0) ranges += "   ∇W " + num(r.dW);
  const ImVec2 ranges_at = b.narrow ? ImVec2(lx, ly + b.line) : ImVec2(bx + bar_w + 6 * scale + ImGui::CalcTextSize(hi.c_str()).x, ly);
  k.draw->AddText(ranges_at, k.text, ranges.c_str());
  const std::string help = legend_help(k.s);
  k.draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(lx, ranges_at.y + b.line), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                  help.c_str(), nullptr, b.width - 2 * b.pad);
}

}  // namespace

void block_view(Stepper& s, ImVec2 size, float scale, bool dark) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##network", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  draw->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), plot_colours(dark).background);

  const BlockLayout layout = block_layout(s, p0, size, scale);
  const Phase* current = s.phase >= 0 ? &s.phases[size_t(s.phase)] : nullptr;
  const BlockCanvas canvas{draw, s, layout, dark, current, current ? current->layer : -1, ImGui::GetColorU32(ImGuiCol_Text), heat_ranges(s)};

  draw_active_band(canvas);
  draw_titles(canvas);
  for (int c = 0; c <= layout.L; ++c) draw_unit_column(canvas, c);
  for (int l = 0; l < layout.L; ++l) draw_heatmap(canvas, l);
  draw_selection(canvas);
  const int hover_norm = draw_delta_norms(canvas, hovered);
  draw_legend(canvas);

  // Hover: exact values. Click: select.
  const UnitHit unit = hovered ? unit_under(layout, mouse) : UnitHit{};
  const WeightHit weight = hovered ? weight_under(layout, mouse) : WeightHit{};
  if (unit.c >= 0) {
    unit_tooltip(s, unit.c, unit.j);
    if (clicked && unit.c > 0) select_unit(s, unit.c - 1, unit.j);
  } else if (weight.l >= 0) {
    weight_tooltip(s, weight.l, weight.i, weight.k);
    if (clicked) select_weight(s, weight.l, weight.i, weight.k);
  } else if (hover_norm >= 0) {
    delta_norm_tooltip(s, hover_norm);
  }
}

}  // namespace app::stepper_detail
