// layout.h — rows of widgets that wrap instead of running off a narrow window (a long Korean
// label, projector scale, a tablet).
#pragma once

#include <imgui.h>

namespace app {

// The width a button with this label takes (ImGui's own sizing: text plus frame padding).
inline float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}

// Puts the next widget on the line of the last one when `next_width` pixels still fit there,
// else it starts a new line.
inline void same_line_if_fits(float next_width) {
  const float right_edge = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
  const float limit = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (right_edge <= limit) ImGui::SameLine();
}

}  // namespace app
