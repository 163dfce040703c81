// layout.h — rows of widgets that wrap instead of running off a narrow window (a long Korean
// label, projector scale, a tablet).
#pragma once

#include <imgui.h>

#include <string>

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

// Text wrapped at spaces only, within the content region's width. (ImGui's own wrapping also
// breaks after '.' and ',', which splits numbers such as "0.95" or "34,000" across two lines.)
// A word wider than the region gets a line of its own. Newlines in the text are kept.
inline void text_wrapped_at_spaces(const std::string& text) {
  const float width = ImGui::GetContentRegionAvail().x;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t line_end = line_start, scan = line_start;  // the line so far ends at line_end (exclusive)
    while (scan < text.size()) {
      size_t word_end = text.find_first_of(" \n", scan);
      if (word_end == std::string::npos) word_end = text.size();
      const float w = ImGui::CalcTextSize(text.data() + line_start, text.data() + word_end).x;
      if (w > width && line_end > line_start) break;  // this word goes to the next line
      line_end = word_end;
      if (word_end >= text.size() || text[word_end] == '\n') break;
      scan = word_end + 1;
    }
    ImGui::TextUnformatted(text.data() + line_start, text.data() + line_end);
    line_start = line_end;
    while (line_start < text.size() && text[line_start] == ' ') ++line_start;
    if (line_start < text.size() && text[line_start] == '\n') ++line_start;
  }
}

// Scrolling with a finger: Dear ImGui 1.86 scrolls with the mouse wheel only. A press on a
// window's background (on no widget) that then drags scrolls the nearest window around it that can
// scroll, following the finger, as on a tablet (SDL turns a touch into the left mouse button, so a
// mouse does the same). A press on a widget (a slider, a view that rotates) is the widget's.
struct DragScroll {
  ImGuiID window = 0;      // the window being scrolled, 0: none
  ImVec2 scroll_at_press;  // its scroll offsets when the press began
  // The last window a drag scrolled and where to (for the state hook's tests).
  std::string last_window;
  ImVec2 last_scroll, last_scroll_max;
};
// Call once per frame, after every window has been submitted.
void drag_to_scroll(DragScroll& drag);

}  // namespace app
