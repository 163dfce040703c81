// layout.cpp — scrolling with a finger (layout.h).
#include "layout.h"

#include <imgui_internal.h>  // ImGuiWindow: which window is under the finger, its scroll range

namespace app {

void drag_to_scroll(DragScroll& drag) {
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    drag.window = 0;
    // Items take a press in the frame it happens (ActiveId); a press that no item took, outside any
    // popup or menu, is on a window's background.
    ImGuiWindow* window = g.HoveredWindow;
    if (ImGui::IsAnyItemActive() || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) window = nullptr;
    // The nearest window that scrolls: the one under the finger, else the window around it.
    while (window && window->ScrollMax.x <= 0 && window->ScrollMax.y <= 0 && (window->Flags & ImGuiWindowFlags_ChildWindow))
      window = window->ParentWindow;
    if (window && (window->ScrollMax.x > 0 || window->ScrollMax.y > 0)) {
      drag.window = window->ID;
      drag.scroll_at_press = window->Scroll;
    }
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) drag.window = 0;
  if (drag.window == 0 || !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) return;
  ImGuiWindow* window = ImGui::FindWindowByID(drag.window);
  if (!window) {
    drag.window = 0;
    return;
  }
  // The content follows the finger from where it was pressed (nothing is lost to the drag threshold).
  const ImVec2 moved(io.MousePos.x - io.MouseClickedPos[0].x, io.MousePos.y - io.MouseClickedPos[0].y);
  drag.last_window = window->Name;
  drag.last_scroll_max = window->ScrollMax;
  if (window->ScrollMax.y > 0) ImGui::SetScrollY(window, drag.last_scroll.y = ImClamp(drag.scroll_at_press.y - moved.y, 0.0f, window->ScrollMax.y));
  if (window->ScrollMax.x > 0) ImGui::SetScrollX(window, drag.last_scroll.x = ImClamp(drag.scroll_at_press.x - moved.x, 0.0f, window->ScrollMax.x));
}

}  // namespace app
