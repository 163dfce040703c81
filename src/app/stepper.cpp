// stepper.cpp — step-through mode (see stepper.h): the state of the step being shown, its phases,
// the controls (load, reset, next / previous phase, step one batch or one sample, new seed, run),
// and stepper_ui, which lays out the controls, the phase's equation with the real numbers, the
// network and the layer's matrices. All numbers come from one engine step (train_step with a
// StepTrace), computed in double, so what the screen shows is what `aelab step` prints.
//
// The other files of the view: stepper_internal.h lists them.
#include "stepper.h"

#include "i18n.h"
#include "layout.h"
#include "stepper_internal.h"
#include "theme.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace app {

// ---- Where the step is -----------------------------------------------------------------------

namespace stepper_detail {

namespace {

// Index of the first phase of `kind` for `layer` (any layer when layer < 0); phases.size() if none.
int phase_index(const Stepper& s, PhaseKind kind, int layer) {
  for (size_t i = 0; i < s.phases.size(); ++i)
    if (s.phases[i].kind == kind && (s.phases[i].layer == layer || layer < 0)) return int(i);
  return int(s.phases.size());
}

}  // namespace

int n_layers(const Stepper& s) { return int(s.model.layers.size()); }

bool reached(const Stepper& s, PhaseKind kind, int layer) { return s.phase >= phase_index(s, kind, layer); }
bool updated(const Stepper& s) { return s.phase >= phase_index(s, PhaseKind::update, -1); }
bool delta_reached(const Stepper& s, int l) {
  return s.phase >= 0 && reached(s, l == n_layers(s) - 1 ? PhaseKind::output_delta : PhaseKind::hidden_delta, l);
}

const ae::Matrix<double>& shown_W(const Stepper& s, int l) {
  return updated(s) ? s.trace.layers[size_t(l)].W_after : s.trace.layers[size_t(l)].W_before;
}
const ae::Vector<double>& shown_b(const Stepper& s, int l) {
  return updated(s) ? s.trace.layers[size_t(l)].b_after : s.trace.layers[size_t(l)].b_before;
}
double a_prev(const Stepper& s, int l, int k) {
  return l == 0 ? s.trace.input(k, s.sample) : s.trace.layers[size_t(l - 1)].a(k, s.sample);
}

}  // namespace stepper_detail

using namespace stepper_detail;

namespace {

// ---- The phases of one step --------------------------------------------------------------------

// forward (z, a) for l = 1..L, the loss, δᴸ, δˡ for l = L−1..1, the gradients for l = L..1, the update.
void build_phases(Stepper& s) {
  s.phases.clear();
  const int L = n_layers(s);
  for (int l = 0; l < L; ++l) {
    s.phases.push_back({PhaseKind::forward_z, l});
    s.phases.push_back({PhaseKind::forward_a, l});
  }
  s.phases.push_back({PhaseKind::loss, -1});
  s.phases.push_back({PhaseKind::output_delta, L - 1});
  for (int l = L - 2; l >= 0; --l) s.phases.push_back({PhaseKind::hidden_delta, l});
  for (int l = L - 1; l >= 0; --l) s.phases.push_back({PhaseKind::gradients, l});
  s.phases.push_back({PhaseKind::update, -1});
}

// Runs the whole step on a copy of the weights; the phases then reveal the trace.
void compute_step(Stepper& s) {
  ae::Autoencoder<double> scratch = s.model;
  ae::OptimizerState<double> state = s.optimizer_state;
  ae::Workspace<double> ws;
  const ae::StepStatus status =
      ae::train_step(scratch, s.example.config, state, s.example.input, s.example.target, ws, &s.trace);
  if (status != ae::StepStatus::ok) s.error = tr("this step produced NaN or infinite values; reset or lower η");
}

// The seed a generated example names in "weights_from": {"seed": N, …} (scripts/make-worked-examples.mjs);
// 0 when there is none. Only shown, and the start of New seed's count: the weights are the file's.
long long seed_named_in(const std::string& json_text) {
  const size_t from = json_text.find("\"weights_from\"");
  if (from == std::string::npos) return 0;
  const size_t key = json_text.find("\"seed\"", from);
  const size_t colon = key == std::string::npos ? key : json_text.find(':', key);
  if (colon == std::string::npos) return 0;
  return std::max(0LL, std::strtoll(json_text.c_str() + colon + 1, nullptr, 10));
}

}  // namespace

// English (the state hook and the tests read it); the screen shows tr(phase_title(p)).
const char* phase_title(const Phase& p) {
  switch (p.kind) {
    case PhaseKind::forward_z: return tr_noop("Forward: weighted sum z = W a + b");
    case PhaseKind::forward_a: return tr_noop("Forward: activation a = σ(z)");
    case PhaseKind::loss: return tr_noop("Loss C(x, y)");
    case PhaseKind::output_delta: return tr_noop("Output delta δᴸ = ∇ₐC ⊙ σ'(zᴸ)");
    case PhaseKind::hidden_delta: return tr_noop("Hidden delta δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹");
    case PhaseKind::gradients: return tr_noop("Gradients ∇_b C = δ, ∇_W C = δ aᵀ");
    case PhaseKind::update: return tr_noop("Update W ← W − η ∇_W C");
  }
  return "";
}

double stepper_delta_norm(const Stepper& s, int layer) {
  if (!s.loaded || layer < 0 || layer >= n_layers(s) || !delta_reached(s, layer)) return -1;
  return s.trace.layers[size_t(layer)].delta.col(s.sample).norm();  // ‖δˡ‖ = √(Σⱼ (δˡⱼ)²)
}

// ---- The controls ------------------------------------------------------------------------------

void stepper_load(Stepper& s, const std::string& json_text, const std::string& name) {
  try {
    Stepper fresh;
    fresh.example = ae::parse_worked_example(json_text, name);
    fresh.initial_model = fresh.example.model;
    fresh.file_seed = seed_named_in(json_text);
    fresh.name = fresh.example.name;
    fresh.loaded = true;
    s = std::move(fresh);
    stepper_reset(s);
  } catch (const ae::Error& e) {
    s.error = e.what();  // the engine's message (English)
  }
}

void stepper_reset(Stepper& s) {
  if (!s.loaded) return;
  s.model = s.initial_model;
  ae::optimizer_reset(s.optimizer_state, s.model);
  build_phases(s);
  s.phase = -1;
  s.steps_done = 0;
  s.sample_updates = 0;
  s.loss_history.clear();
  s.error.clear();
  s.running = false;
  s.sample = std::min(s.sample, int(s.example.input.cols()) - 1);
  s.sel_layer = std::min(s.sel_layer, n_layers(s) - 1);
  if (s.sel_unit >= int(s.model.layers[size_t(s.sel_layer)].n_out()) ||
      s.sel_input >= int(s.model.layers[size_t(s.sel_layer)].n_in())) {
    s.sel_unit = s.sel_input = 0;
  }
  compute_step(s);
}

void stepper_next_phase(Stepper& s) {
  if (!s.loaded || !s.error.empty()) return;
  if (s.phase + 1 < int(s.phases.size())) {
    ++s.phase;
    return;
  }
  // Past the update: the new weights become the start of the next step.
  ae::Workspace<double> ws;
  ae::train_step(s.model, s.example.config, s.optimizer_state, s.example.input, s.example.target, ws);
  s.loss_history.push_back(s.trace.loss);
  ++s.steps_done;
  s.phase = -1;
  compute_step(s);
}

void stepper_prev_phase(Stepper& s) {
  if (s.phase >= 0) --s.phase;
}

void stepper_finish_step(Stepper& s) {
  if (!s.loaded) return;
  if (s.phase == int(s.phases.size()) - 1) stepper_next_phase(s);  // already at the update: go on
  s.phase = int(s.phases.size()) - 1;
}

// One update on the shown sample alone: x = column `sample` of the batch (M = 1, plain SGD's
// "one example at a time"), through the same train_step as a whole step.
void stepper_step_sample(Stepper& s) {
  if (!s.loaded || !s.error.empty()) return;
  s.loss_history.push_back(s.trace.loss);  // C of the whole batch before this update, as for whole steps
  const ae::Matrix<double> x = s.example.input.col(s.sample), t = s.example.target.col(s.sample);
  ae::Workspace<double> ws;
  const ae::StepStatus status = ae::train_step(s.model, s.example.config, s.optimizer_state, x, t, ws);
  ++s.steps_done;
  ++s.sample_updates;
  s.phase = -1;
  compute_step(s);
  if (status != ae::StepStatus::ok) s.error = tr("this update produced NaN or infinite values; reset or lower η");
}

// Fresh weights: Glorot uniform W ~ U(−r, r), r = √(6 / (n_in + n_out)), b = 0, from `seed`, for
// the example's architecture — what make_autoencoder gives every other scene for that seed.
void stepper_new_seed(Stepper& s, long long seed) {
  if (!s.loaded) return;
  if (seed <= 0) seed = (s.seed > 0 ? s.seed : s.file_seed) + 1;
  ae::Architecture arch;
  arch.input_size = s.example.model.input_size();
  for (const auto& layer : s.example.model.layers) arch.layers.push_back({int(layer.n_out()), layer.activation});
  arch.code_layer = s.example.model.code_layer;
  arch.tied_weights = s.example.model.tied();
  arch.output_matches_input = arch.layers.back().size == arch.input_size;
  try {
    ae::Rng rng(static_cast<uint64_t>(seed));
    ae::Autoencoder<double> fresh = ae::make_autoencoder<double>(arch, ae::Init::glorot_uniform, rng);
    fresh.code_top_k = s.example.model.code_top_k;
    s.initial_model = std::move(fresh);
    s.seed = seed;
  } catch (const ae::Error& e) {
    s.error = formatted(tr("new seed: %s"), e.what());
    return;
  }
  stepper_reset(s);
}

void stepper_toggle_run(Stepper& s) {
  s.running = s.loaded && s.error.empty() && !s.running;
  s.run_clock = 0;
}

// Run mode: whole steps (stepper_finish_step: reveal this step, then go on to the next), at
// steps_per_second, never more than a few per frame so a slow frame does not snowball.
void stepper_tick(Stepper& s, double seconds) {
  if (!s.running) return;
  if (!s.loaded || !s.error.empty()) {
    s.running = false;
    return;
  }
  s.run_clock += std::clamp(seconds, 0.0, 0.25);
  const double period = 1.0 / std::clamp(double(s.steps_per_second), 0.5, 60.0);
  for (int budget = 4; s.run_clock >= period && budget > 0 && s.error.empty(); --budget) {
    s.run_clock -= period;
    stepper_finish_step(s);
  }
  s.run_clock = std::min(s.run_clock, period);
}

// ---- The view ----------------------------------------------------------------------------------

namespace {

// The equation's result: amber, bright on the dark theme, darker on the light one so it stays readable.
// (title_colour's amber, a little deeper on the dark theme.)
ImVec4 result_colour(bool dark) { return dark ? ImVec4(1.0f, 0.85f, 0.3f, 1.0f) : ImVec4(0.65f, 0.4f, 0.0f, 1.0f); }

// First row: reset, a phase back / forward, one batch (= finish the step), one sample, run / pause.
void step_buttons(Stepper& s, float scale) {
  // Each button goes on the row while it fits, else it starts the next row.
  auto button = [](const char* label) {
    same_line_if_fits(button_width(label));
    return ImGui::Button(label);
  };
  if (ImGui::Button(tr("Reset##reset"))) stepper_reset(s);
  if (button(tr("◀ Back##back"))) stepper_prev_phase(s);
  if (button(tr("Next phase ▶##next_phase"))) stepper_next_phase(s);
  if (button(tr("Step one batch##step_batch"))) stepper_finish_step(s);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Finish this step: all %d samples at once, one update (Enter)"), int(s.example.input.cols()));
  if (button(tr("Step one sample##step_sample"))) stepper_step_sample(s);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("One update on sample %d alone (M = 1)"), s.sample + 1);
  if (button(s.running ? tr("Pause ‖##run") : tr("Run ▶▶##run"))) stepper_toggle_run(s);
  const char* speed = tr("steps/s##steps_per_second");
  same_line_if_fits(110 * scale + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(speed, nullptr, true).x);
  ImGui::SetNextItemWidth(110 * scale);
  ImGui::SliderFloat(speed, &s.steps_per_second, 0.5f, 60.0f, "%.1f", ImGuiSliderFlags_Logarithmic);
}

// Second row: new seed, where the weights came from, a typed seed, the shown sample.
void seed_controls(Stepper& s, float scale) {
  const bool can_reseed = n_layers(s) >= 2;
  ImGui::BeginDisabled(!can_reseed);
  if (ImGui::Button(tr("New seed##new_seed"))) stepper_new_seed(s);
  ImGui::EndDisabled();
  ImGui::SameLine();
  // (wrapped: on a phone the line is wider than the window)
  if (s.seed > 0)
    ImGui::TextWrapped(tr("weights: Glorot uniform, seed %lld"), s.seed);
  else if (s.file_seed > 0)
    ImGui::TextWrapped(tr("weights: the file's (Glorot uniform, seed %lld)"), s.file_seed);
  else
    ImGui::TextWrapped("%s", tr("weights: the file's"));
  if (can_reseed) {
    same_line_if_fits(90 * scale + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr("seed##seed"), nullptr, true).x);
    int typed = int(s.seed > 0 ? s.seed : s.file_seed);
    ImGui::SetNextItemWidth(90 * scale);
    if (ImGui::InputInt(tr("seed##seed"), &typed, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue) && typed > 0) stepper_new_seed(s, typed);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Type a seed and press Enter: Glorot-uniform weights from that seed, biases 0"));
  }
  if (s.example.input.cols() > 1) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120 * scale);
    int sample = s.sample + 1;
    if (ImGui::SliderInt(tr("sample##sample"), &sample, 1, int(s.example.input.cols()))) s.sample = sample - 1;
  }
}

// Third row: how the network is drawn, and the keys.
void drawing_choice(Stepper& s, float scale) {
  ImGui::SetNextItemWidth(130 * scale);
  // In the order of NetworkDrawing.
  const char* const drawings[] = {tr("automatic"), tr("units"), tr("heatmaps")};
  int drawing = int(s.drawing);
  if (ImGui::Combo(tr("network drawing##network_drawing"), &drawing, drawings, int(std::size(drawings))))
    s.drawing = NetworkDrawing(drawing);
  const char* keys = tr("keys: ← → phase, Enter step one batch, R reset");
  same_line_if_fits(ImGui::CalcTextSize(keys).x + ImGui::GetStyle().ItemSpacing.x);
  ImGui::TextDisabled("%s", keys);
}

// "Step 3, phase 5 of 10: Loss C(x, y)", and the error if any.
void status_line(const Stepper& s) {
  const int total = int(s.phases.size());
  const char* title = s.phase >= 0 ? tr(phase_title(s.phases[size_t(s.phase)])) : tr("ready (weights shown)");
  ImGui::Text(s.running ? tr("Step %d (running), phase %d of %d: %s") : tr("Step %d, phase %d of %d: %s"), s.steps_done + 1,
              s.phase + 1, total, title);
  if (!s.error.empty()) ImGui::TextColored(error_text_colour(), "%s", s.error.c_str());
}

// The phase's equation, big: in general, with the numbers, the result, and a note.
void equation_panel(Stepper& s, bool dark) {
  const Equation e = phase_equation(s);
  // The state hook's label stays English (phase_title), whatever the UI language.
  s.phase_label = s.phase >= 0 ? phase_title(s.phases[size_t(s.phase)]) : "ready";
  s.phase_value = e.value;
  ImGui::Separator();
  ImGui::SetWindowFontScale(1.25f);
  ImGui::TextWrapped("%s", e.general.c_str());
  if (!e.numbers.empty()) ImGui::TextWrapped("%s", e.numbers.c_str());
  if (!e.result.empty()) ImGui::TextColored(result_colour(dark), "%s", e.result.c_str());
  ImGui::SetWindowFontScale(1.0f);
  if (!e.note.empty()) ImGui::TextWrapped("%s", e.note.c_str());
  ImGui::Separator();
}

// The network: heatmap blocks need more height than circles (every unit is a row); both keep a
// row at the bottom for ‖δˡ‖.
void network_panel(Stepper& s, float scale, bool dark) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool blocks = draw_as_blocks(s, ImVec2(avail.x, std::max(180.0f * scale, avail.y * 0.5f)), scale);
  const float network_h = (blocks ? std::max(300.0f * scale, avail.y * 0.62f) : std::max(180.0f * scale, avail.y * 0.5f)) +
                          delta_norm_row_height(scale);
  if (blocks)
    block_view(s, ImVec2(avail.x, network_h), scale, dark);
  else
    unit_view(s, ImVec2(avail.x, network_h), scale, dark);
}

// C of the whole batch before each update: the first few, then the latest, and the curve.
void loss_history(const Stepper& s, float scale) {
  if (s.loss_history.empty()) return;
  const size_t n = s.loss_history.size();
  std::string list;
  for (size_t i = 0; i < n; ++i) {
    if (n > 10 && i == 4) {
      list += " → …";
      i = n - 5;
    }
    list += (i ? " → " : "") + num(s.loss_history[i]);
  }
  if (s.sample_updates)
    ImGui::TextWrapped(tr("C before each update (%zu so far, %d on one sample): %s"), n, s.sample_updates, list.c_str());
  else
    ImGui::TextWrapped(tr("C before each update (%zu so far): %s"), n, list.c_str());
  if (n >= 3) {
    std::vector<float> curve(s.loss_history.begin(), s.loss_history.end());
    ImGui::PlotLines("##loss", curve.data(), int(curve.size()), 0, "C", 0.0f, FLT_MAX,
                     ImVec2(std::min(ImGui::GetContentRegionAvail().x, 420 * scale), 60 * scale));
  }
}

// Editing the selected weight (before the step starts, so the whole step uses it).
void weight_editor(Stepper& s, float scale) {
  if (!s.weight_selected) return;
  const std::string name = "W" + sup(s.sel_layer + 1) + sub(s.sel_unit + 1) + sub(s.sel_input + 1);
  ae::DenseLayer<double>& layer = s.model.layers[size_t(s.sel_layer)];
  if (layer.tied_to >= 0) {
    ImGui::TextDisabled(tr("%s is tied to layer %d's W (edit it there)."), name.c_str(), layer.tied_to + 1);
    return;
  }
  double w = layer.W(s.sel_unit, s.sel_input);
  ImGui::SetNextItemWidth(160 * scale);
  // The label (and so the widget's ID) names the weight: selecting another one starts a fresh field.
  const std::string label = formatted(tr("set %s (restarts this step)"), name.c_str());
  if (ImGui::InputDouble(label.c_str(), &w, 0, 0, "%.6g", ImGuiInputTextFlags_EnterReturnsTrue)) {
    if (std::isfinite(w) && std::abs(w) <= 1e6) {
      layer.W(s.sel_unit, s.sel_input) = w;
      ae::sync_tied_weights(s.model);
      s.phase = -1;
      compute_step(s);
    } else {
      s.error = tr("a weight must be a finite number with |w| ≤ 10⁶");
    }
  }
}

}  // namespace

void stepper_ui(Stepper& s, float scale, bool dark) {
  if (!s.loaded) {
    ImGui::TextWrapped(tr("No worked example loaded. %s"), s.error.c_str());
    return;
  }
  stepper_tick(s, ImGui::GetIO().DeltaTime);

  step_buttons(s, scale);
  seed_controls(s, scale);
  drawing_choice(s, scale);
  status_line(s);
  equation_panel(s, dark);
  network_panel(s, scale, dark);
  loss_history(s, scale);
  weight_editor(s, scale);
  layer_matrices(s);
}

}  // namespace app
