// plot.cpp — see plot.h.
#include "plot.h"

namespace app {

PlotFrame reserve_plot(ImVec2 size, float left_margin, const char* hover_id) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  if (hover_id) ImGui::InvisibleButton(hover_id, size);
  else ImGui::Dummy(size);
  PlotFrame frame;
  frame.min = ImVec2(origin.x + left_margin, origin.y);
  frame.max = ImVec2(origin.x + size.x, origin.y + size.y);
  return frame;
}

void draw_plot_background(ImDrawList* draw, const PlotFrame& frame, bool dark) {
  const PlotColours colours = plot_colours(dark);
  draw->AddRectFilled(frame.min, frame.max, colours.background);
  draw->AddRect(frame.min, frame.max, colours.frame);
}

void draw_horizontal_grid_line(ImDrawList* draw, const PlotFrame& frame, float y, const char* label, bool dark) {
  const PlotColours colours = plot_colours(dark);
  const float screen_y = frame.map(frame.x_lo, y).y;
  draw->AddLine(ImVec2(frame.min.x, screen_y), ImVec2(frame.max.x, screen_y), colours.grid);
  if (!label) return;
  const ImVec2 text_size = ImGui::CalcTextSize(label);
  draw->AddText(ImVec2(frame.min.x - text_size.x - 4.0f, screen_y - text_size.y * 0.5f), colours.text, label);
}

void legend_swatch(ImU32 colour, bool dashed) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (dashed) {  // two dashes with a gap, as the reference lines are drawn
    draw->AddRectFilled(ImVec2(at.x, at.y + h * 0.4f), ImVec2(at.x + h * 0.35f, at.y + h * 0.6f), colour);
    draw->AddRectFilled(ImVec2(at.x + h * 0.65f, at.y + h * 0.4f), ImVec2(at.x + h, at.y + h * 0.6f), colour);
  } else {
    draw->AddRectFilled(ImVec2(at.x, at.y + h * 0.4f), ImVec2(at.x + h, at.y + h * 0.6f), colour);
  }
  ImGui::Dummy(ImVec2(h * 1.2f, h));
  ImGui::SameLine();
}

}  // namespace app
