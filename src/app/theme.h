// theme.h — the colours the lab draws with, in one place: the plot chrome of the dark and the
// light theme, and the colour-blind-safe Okabe–Ito hues the curves and markers use.
#pragma once

#include <imgui.h>

namespace app {

// The chrome of a plot or a view (background, grid, frame, axis text) for one theme.
struct PlotColours {
  ImU32 background, grid, frame, text;
};
inline PlotColours plot_colours(bool dark) {
  return dark ? PlotColours{IM_COL32(22, 24, 30, 255), IM_COL32(45, 48, 58, 255), IM_COL32(60, 63, 74, 255),
                            IM_COL32(120, 125, 140, 255)}
              : PlotColours{IM_COL32(250, 250, 250, 255), IM_COL32(225, 225, 225, 255), IM_COL32(200, 200, 205, 255),
                            IM_COL32(120, 125, 140, 255)};
}

// Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
// deficiency.
namespace okabe_ito {
constexpr ImU32 orange = IM_COL32(230, 159, 0, 255);
constexpr ImU32 sky_blue = IM_COL32(86, 180, 233, 255);
constexpr ImU32 bluish_green = IM_COL32(0, 158, 115, 255);
constexpr ImU32 yellow = IM_COL32(240, 228, 66, 255);
constexpr ImU32 blue = IM_COL32(0, 114, 178, 255);
constexpr ImU32 vermillion = IM_COL32(213, 94, 0, 255);
constexpr ImU32 reddish_purple = IM_COL32(204, 121, 167, 255);
}  // namespace okabe_ito

// Perceptually ordered colour map (viridis, 5 stops interpolated), t in [0, 1]: the toy manifold's
// coordinate, the loss map's levels.
inline ImU32 viridis(float t, float alpha = 1.0f) {
  static const float stops[5][3] = {
      {0.267f, 0.005f, 0.329f}, {0.229f, 0.322f, 0.546f}, {0.128f, 0.567f, 0.551f},
      {0.369f, 0.789f, 0.383f}, {0.993f, 0.906f, 0.144f}};
  t = (t < 0.0f ? 0.0f : t > 1.0f ? 1.0f : t) * 4.0f;
  const int i = t >= 3.0f ? 3 : int(t);
  const float f = t - float(i);
  float c[3];
  for (int k = 0; k < 3; ++k) c[k] = stops[i][k] + f * (stops[i + 1][k] - stops[i][k]);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], alpha));
}

// The lesson title's colour: amber on dark, a darker amber on light (the pale one is unreadable there).
inline ImVec4 title_colour(bool dark) { return dark ? ImVec4(1.0f, 0.85f, 0.4f, 1.0f) : ImVec4(0.65f, 0.4f, 0.0f, 1.0f); }

// The colour of error messages in the side bar and the scenes, and of a warning next to a setting.
inline ImVec4 error_text_colour() { return ImVec4(1.0f, 0.45f, 0.35f, 1.0f); }
inline ImVec4 warning_text_colour() { return ImVec4(1.0f, 0.6f, 0.3f, 1.0f); }

}  // namespace app
