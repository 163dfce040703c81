// stepper_internal.h — what the files of the step-through view share; not part of the app's API
// (that is stepper.h). The view is split along its concerns:
//
//   stepper.cpp              the state: the phases of one step, load / reset / next / previous /
//                            step a batch or a sample / new seed / run, and stepper_ui (the
//                            controls, the status line, the equation panel, the loss history)
//   stepper_equations.cpp    the notation (Wˡⱼₖ, numbers as students copy them) and each phase's
//                            equation with the real numbers plugged in
//   stepper_network.cpp      what both network drawings share: colours, tooltips, the selection,
//                            the choice of drawing, ‖δˡ‖ under each layer
//   stepper_units_view.cpp   a small network: every unit and every connection
//   stepper_blocks_view.cpp  a big network: each layer as a block of cells, each W as a heatmap
//   stepper_matrices.cpp     the active layer's matrices as tables
//
// Every user-visible string goes through tr() (i18n.h); the Korean is in
// assets/i18n/parts/ko-stepper.json.
#pragma once

#include "stepper.h"

#include <imgui.h>

#include <string>

namespace app::stepper_detail {

// ---- Notation (stepper_equations.cpp) ----------------------------------------------------------

std::string sup(int n);        // 12 → "¹²", for the layer of Wˡ, aˡ, δˡ
std::string sub(int n);        // 12 → "₁₂", for the unit j of aⱼ and the k of Wⱼₖ
std::string num(double v);     // 6 significant digits: numbers as students copy them
std::string factor(double v);  // num(v), in parentheses when negative: one factor of a product
std::string exact(double v);   // 17 significant digits: the exact double, for tooltips
// printf into a std::string; for tr()'d formats, which ImGui::Text cannot take when the result is
// only part of a line.
std::string formatted(const char* format, ...);

// σ'(z) of one unit, from its z and a = σ(z) (the engine's activation_derivative on a 1 × 1 matrix).
double sigma_prime(ae::Activation f, double z, double a);
// Central finite difference of C with respect to W[l](i, k), at the step's starting weights:
//   ∂C/∂W ≈ (C(W + h) − C(W − h)) / 2h,  h = 10⁻⁶.
double finite_difference(const Stepper& s, int l, int i, int k);

// The current phase's equation: in general, with the numbers, the result, and a note under it.
struct Equation {
  std::string general, numbers, result, note;
  double value = 0;  // the number the phase highlights (Stepper::phase_value)
};
Equation phase_equation(const Stepper& s);

// ---- Where the step is (stepper.cpp) -----------------------------------------------------------
//
// Layers are the engine's, l = 0..L−1 (the lecture's layer l + 1). The shown phase has revealed
// a quantity once s.phase has reached the phase that computes it.

int n_layers(const Stepper& s);
bool reached(const Stepper& s, PhaseKind kind, int layer);  // layer < 0: any phase of that kind
bool updated(const Stepper& s);                             // the update phase has been reached
bool delta_reached(const Stepper& s, int l);                // δˡ is known (output or hidden delta)
// The weights the network shows: before the update, or after it once it happened.
const ae::Matrix<double>& shown_W(const Stepper& s, int l);
const ae::Vector<double>& shown_b(const Stepper& s, int l);
// aˡ⁻¹ₖ for engine layer l (the input xₖ for l = 0), the shown sample.
double a_prev(const Stepper& s, int l, int k);

// ---- Shared by both network drawings (stepper_network.cpp) -------------------------------------

// The selection's yellow (a selected unit, weight or table cell).
constexpr ImU32 kSelectionColour = IM_COL32(255, 220, 60, 255);
// `colour` with its alpha replaced by `alpha` (0–255).
ImU32 with_alpha(ImU32 colour, int alpha);
// Blue for positive, orange for negative, at `alpha` (0–1): the connections' and units' colours.
ImU32 sign_colour(double v, float alpha, bool dark);
// A diverging colour map for t = v / range in [−1, 1]: orange negative, neutral 0, blue positive.
ImU32 diverging(double t, bool dark);
// Black or white, whichever reads on `fill`.
ImU32 text_on(ImU32 fill);
// `label` centred horizontally on cx, its top at y.
void centred_text(ImDrawList* draw, float cx, float y, ImU32 colour, const std::string& label);

// Tooltips of the drawings. Column c: c = 0 is the input x, c = l + 1 the output of engine layer l.
void unit_tooltip(const Stepper& s, int c, int j);
void weight_tooltip(const Stepper& s, int l, int i, int k);
void select_unit(Stepper& s, int l, int j);
void select_weight(Stepper& s, int l, int i, int k);

// ‖δˡ‖ = √(Σⱼ (δˡⱼ)²) of engine layer l for the shown sample, under the layer in both drawings
// once the backward pass has computed δˡ. Both drawings keep one row of this height for it at
// the bottom (stepper_ui adds it to the network's height).
float delta_norm_row_height(float scale);
// Writes "‖δ‖ = …" centred on cx at y, if δˡ is known. True when `hovered` and the mouse is on it.
bool draw_delta_norm(ImDrawList* draw, const Stepper& s, int l, float cx, float y, bool hovered);
// What ‖δˡ‖ is: the sum it stands for, exactly, and in words.
void delta_norm_tooltip(const Stepper& s, int l);

// Units and connections, or blocks and heatmaps (draw_as_blocks decides for `automatic`).
bool draw_as_blocks(const Stepper& s, ImVec2 size, float scale);
void unit_view(Stepper& s, ImVec2 size, float scale, bool dark);   // stepper_units_view.cpp
void block_view(Stepper& s, ImVec2 size, float scale, bool dark);  // stepper_blocks_view.cpp

// ---- The active layer's matrices (stepper_matrices.cpp) ----------------------------------------

void layer_matrices(Stepper& s);

}  // namespace app::stepper_detail
