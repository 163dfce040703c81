// stepper_matrices.cpp — the matrices of the phase's layer l, as tables under the network:
//   W (n_out × n_in)  b (n_out)  z, a, δ (n_out × B, once computed)  ∇_W C = δ aᵀ (n_out × n_in)
// The selected unit's row and the selected weight's cell are highlighted; a click on a cell of W
// selects that weight.
#include "i18n.h"
#include "stepper_internal.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace app::stepper_detail {

namespace {

// At most this many rows and columns of a matrix are shown.
constexpr int kMaxShown = 12;
// The highlighted cell's background: a translucent amber.
constexpr ImU32 kHighlightedCell = IM_COL32(200, 160, 20, 110);

// A table of m's first kMaxShown × kMaxShown entries, with (hi_row, hi_col) highlighted. With
// click_row / click_col, the cells are selectable and a click reports its cell there.
void matrix_table(const char* id, const char* title, const ae::Matrix<double>& m, int hi_row, int hi_col,
                  int* click_row = nullptr, int* click_col = nullptr) {
  ImGui::TextUnformatted(title);
  const int cols = int(std::min<Eigen::Index>(m.cols(), kMaxShown)), rows = int(std::min<Eigen::Index>(m.rows(), kMaxShown));
  if (ImGui::BeginTable(id, cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    for (int r = 0; r < rows; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < cols; ++c) {
        ImGui::TableSetColumnIndex(c);
        if (r == hi_row && c == hi_col) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, kHighlightedCell);
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
  if (m.rows() > rows || m.cols() > cols)
    ImGui::TextDisabled(tr("(%lld×%lld, first %d×%d shown)"), (long long)m.rows(), (long long)m.cols(), kMaxShown, kMaxShown);
}

// Puts the next table beside the last one when it fits in the window, else under it.
void beside_if_room(const ae::Matrix<double>& next) {
  const float estimate = float(std::min<Eigen::Index>(next.cols(), kMaxShown)) * ImGui::CalcTextSize("-0.00000 ").x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + estimate <= right) ImGui::SameLine();
}

// One table in a group, beside the last one when there is room.
void grouped_table(const char* id, const char* title, const ae::Matrix<double>& m, int hi_row, int hi_col, bool beside) {
  if (beside) beside_if_room(m);
  ImGui::BeginGroup();
  matrix_table(id, title, m, hi_row, hi_col);
  ImGui::EndGroup();
}

}  // namespace

// The phase's layer; for the loss and the update, the selected weight's layer, else the output layer.
void layer_matrices(Stepper& s) {
  if (s.phase < 0) return;
  const Phase& p = s.phases[size_t(s.phase)];
  const int l = p.layer >= 0 ? p.layer : (s.weight_selected ? s.sel_layer : n_layers(s) - 1);
  const auto& lt = s.trace.layers[size_t(l)];
  const bool after = p.kind == PhaseKind::update;
  const int hi_r = s.sel_layer == l ? s.sel_unit : -1, hi_c = s.sel_layer == l && s.weight_selected ? s.sel_input : -1;
  ImGui::Text(tr("Layer %d (%s), matrices of this step:"), l + 1, ae::activation_name(s.model.layers[size_t(l)].activation));

  int clicked_r = -1, clicked_c = -1;
  ImGui::BeginGroup();
  matrix_table("W", after ? tr("W after the update") : tr("W (click to select)"), after ? lt.W_after : lt.W_before, hi_r, hi_c,
               &clicked_r, &clicked_c);
  ImGui::EndGroup();
  grouped_table("b", "b", after ? lt.b_after : lt.b_before, hi_r, 0, true);
  if (reached(s, PhaseKind::forward_z, l)) grouped_table("z", "z", lt.z, hi_r, s.sample, true);
  if (reached(s, PhaseKind::forward_a, l)) grouped_table("a", "a", lt.a, hi_r, s.sample, true);
  if (delta_reached(s, l)) grouped_table("d", "δ", lt.delta, hi_r, s.sample, true);
  if (reached(s, PhaseKind::gradients, l)) grouped_table("dW", "∇_W C = δ aᵀ", lt.dW, hi_r, hi_c, false);

  if (clicked_r >= 0) select_weight(s, l, clicked_r, clicked_c);
}

}  // namespace app::stepper_detail
