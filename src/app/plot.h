// plot.h — the chrome the lab's small plots share (the training curves, the code-unit activations,
// the stacked lesson's accuracy): where the plot is on screen and which data range it shows, its
// background and frame, labelled horizontal grid lines, the colour swatch of a legend entry and the
// dots of a scatter plot. The colours come from theme.h, so every plot follows the dark or light
// theme the same way.
//
// A plot is one ImGui item of a given size. Its data area may leave a margin on the left for the
// axis labels:
//
//   ┌ item ────────────────────────────────┐
//   │ 1e-1 ┌ data area ──────────────────┐ │   map(x, y): data → screen pixels,
//   │      │                             │ │   x from x_lo (left) to x_hi (right),
//   │ 1e-2 │                             │ │   y from y_lo (bottom) to y_hi (top)
//   │      └─────────────────────────────┘ │
//   └──────────────────────────────────────┘
#pragma once

#include "app/theme.h"

#include <imgui.h>

namespace app {

// The data area of a plot on screen and the data range it shows.
struct PlotFrame {
  ImVec2 min, max;           // the data area in screen pixels: top-left and bottom-right corners
  float x_lo = 0, x_hi = 1;  // the data range along x, left to right
  float y_lo = 0, y_hi = 1;  // the data range along y, bottom to top

  // A data point (x, y) in screen pixels. An empty range (lo = hi) maps to the area's left or bottom edge.
  ImVec2 map(float x, float y) const {
    const float fx = x_hi != x_lo ? (x - x_lo) / (x_hi - x_lo) : 0.0f;
    const float fy = y_hi != y_lo ? (y - y_lo) / (y_hi - y_lo) : 0.0f;
    return ImVec2(min.x + fx * (max.x - min.x), max.y - fy * (max.y - min.y));
  }
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
};

// Reserves a plot of `size` at the cursor as one ImGui item and returns its data area: the item
// less `left_margin` pixels on the left (room for the axis labels). The data range is left at
// [0, 1] × [0, 1] for the caller to set. `hover_id`: when not null, the item is an invisible
// button with that ID, so ImGui::IsItemHovered() works on it afterwards (tooltips).
PlotFrame reserve_plot(ImVec2 size, float left_margin = 0.0f, const char* hover_id = nullptr);

// The data area's background and a one-pixel frame around it, in the theme's plot colours.
void draw_plot_background(ImDrawList* draw, const PlotFrame& frame, bool dark);

// A horizontal grid line across the data area at data value y, with `label` (may be null) in the
// left margin, right-aligned against the data area and centred on the line.
void draw_horizontal_grid_line(ImDrawList* draw, const PlotFrame& frame, float y, const char* label, bool dark);

// A legend entry's colour sample at the cursor: a short thick bar (two dashes for a dashed line),
// one text line high; the entry's text follows on the same line.
void legend_swatch(ImU32 colour, bool dashed = false);

// ---- Dots of a scatter plot ------------------------------------------------------------------
// ImGui draws a small filled circle (AddCircleFilled) as an anti-aliased polygon of 8 segments:
// 22 triangles. The scatter plots draw hundreds to thousands of them in every frame (2,000 codes
// in the MNIST lessons: 44,000 triangles), and where no GPU helps (a browser's software renderer,
// a weak phone) those triangles cost more than everything else on the screen. draw_dot draws a dot
// as one textured quad, 2 triangles: an anti-aliased disc rasterised once into the font atlas, at
// radii of 1 to 12 device pixels in quarter-pixel steps.

// Before the atlas is built (app_setup_style): room in it for the discs, at the density the fonts
// are rasterised at (device pixels per UI pixel).
void add_dot_sprites(ImFontAtlas& atlas, float pixel_ratio);
// After it is built, before its texture is made: the discs' pixels (coverage of each texel, 8 × 8
// samples) and where they are.
void rasterise_dot_sprites(ImFontAtlas& atlas);
// A filled dot of `radius` UI pixels at `centre`, as AddCircleFilled draws it. Falls back to
// AddCircleFilled outside the discs' radii, before the atlas has them, or where the draw list
// draws with another texture than the atlas.
void draw_dot(ImDrawList* draw, ImVec2 centre, float radius, ImU32 colour);


}  // namespace app
