// training_panel.cpp — see training_panel.h.
#include "training_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

namespace {

const char* const kActivationNames[] = {"linear", "sigmoid", "tanh", "relu", "leaky relu", "softplus"};
constexpr int kActivationCount = 6;

bool activation_combo(const char* label, ae::Activation& f) {
  int i = int(f);
  if (!ImGui::Combo(label, &i, kActivationNames, kActivationCount)) return false;
  f = ae::Activation(i);
  return true;
}

void help_marker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void section(const char* title) {
  ImGui::Spacing();
  ImGui::TextUnformatted(title);
  ImGui::Separator();
}

bool log_slider(const char* label, double& value, double lo, double hi, const char* format) {
  float v = float(value);
  if (!ImGui::SliderFloat(label, &v, float(lo), float(hi), format, ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    return false;
  value = double(v);
  return true;
}

bool linear_slider(const char* label, double& value, double lo, double hi, const char* format) {
  float v = float(value);
  if (!ImGui::SliderFloat(label, &v, float(lo), float(hi), format, ImGuiSliderFlags_AlwaysClamp)) return false;
  value = double(v);
  return true;
}

// A series on a log-scale plot: log10 of positive finite values, NaN otherwise (a gap).
float log_or_nan(float v) { return v > 0 && std::isfinite(v) ? std::log10(v) : std::nanf(""); }

}  // namespace

WidgetRect last_item_rect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return {a.x, a.y, b.x - a.x, b.y - a.y};
}

const char* variant_title(Variant v) {
  switch (v) {
    case Variant::plain: return "plain autoencoder";
    case Variant::sparse_l1: return "sparse: L1 activity penalty";
    case Variant::sparse_kl: return "sparse: KL to a target ρ";
    case Variant::k_sparse: return "k-sparse (top k codes)";
    case Variant::denoising: return "denoising";
    case Variant::contractive: return "contractive";
    case Variant::vae: return "variational (VAE)";
  }
  return "?";
}

ae::Architecture architecture_for(const NetworkSpec& net, int input_size) {
  ae::Architecture arch;
  arch.input_size = input_size;
  for (const auto& l : net.encoder_hidden) arch.layers.push_back(l);
  arch.layers.push_back({net.code_size, net.code_activation});
  arch.code_layer = int(net.encoder_hidden.size());
  for (size_t i = net.encoder_hidden.size(); i-- > 0;) arch.layers.push_back(net.encoder_hidden[i]);
  arch.layers.push_back({input_size, net.output_activation});
  arch.tied_weights = net.tied_weights;
  return arch;
}

std::string architecture_text(const NetworkSpec& net, int input_size) {
  std::string text = std::to_string(input_size);
  for (const auto& l : net.encoder_hidden) text += " → " + std::to_string(l.size);
  text += " → [" + std::to_string(net.code_size) + "]";
  for (size_t i = net.encoder_hidden.size(); i-- > 0;) text += " → " + std::to_string(net.encoder_hidden[i].size);
  return text + " → " + std::to_string(input_size);
}

ae::Regularization effective_regularization(const TrainingSpec& t) {
  ae::Regularization r = t.regularization;
  r.sparsity.kind = t.variant == Variant::sparse_l1   ? ae::SparsityKind::l1
                    : t.variant == Variant::sparse_kl ? ae::SparsityKind::kl
                    : t.variant == Variant::k_sparse  ? ae::SparsityKind::top_k
                                                      : ae::SparsityKind::none;
  if (t.variant != Variant::contractive) r.contractive.weight = 0.0;
  if (t.variant == Variant::vae) r.corruption.kind = ae::CorruptionKind::none;
  return r;
}

void apply_live_settings(const TrainingSpec& t, ae::TrainConfig& config) {
  config.regularization = effective_regularization(t);
  config.optimizer.kind = t.optimizer;
  config.optimizer.learning_rate = t.learning_rate;
  config.batch_size = t.batch_size;
  config.loss.kind = t.loss;
}

void clamp_spec(TrainingSpec& t, NetworkSpec& net, int max_layer_size) {
  auto& r = t.regularization;
  r.corruption.level = std::clamp(r.corruption.level, 0.0, 1.0);
  r.sparsity.l1_weight = std::clamp(r.sparsity.l1_weight, 0.0, 1.0);
  r.sparsity.kl_weight = std::clamp(r.sparsity.kl_weight, 0.0, 10.0);
  r.sparsity.target = std::clamp(r.sparsity.target, 0.01, 0.5);
  r.contractive.weight = std::clamp(r.contractive.weight, 0.0, 10.0);
  r.contractive.noise = std::clamp(r.contractive.noise, 0.001, 1.0);
  t.vae_beta = std::clamp(t.vae_beta, 0.0, 10.0);
  t.learning_rate = std::clamp(t.learning_rate, 1e-5f, 1.0f);
  t.batch_size = std::clamp(t.batch_size, 1, 512);
  t.seed = std::clamp(t.seed, 0, 1 << 30);
  if (net.encoder_hidden.size() > 3) net.encoder_hidden.resize(3);
  for (auto& l : net.encoder_hidden) l.size = std::clamp(l.size, 1, max_layer_size);
  net.code_size = std::clamp(net.code_size, 1, max_layer_size);
  r.sparsity.k = std::clamp(r.sparsity.k, 1, net.code_size);
}

PanelChange choose_variant(TrainingSpec& t, NetworkSpec& net, Variant v) {
  PanelChange change;
  if (v == t.variant) return change;
  ae::Regularization& r = t.regularization;
  const bool was_vae = t.variant == Variant::vae;
  t.variant = v;
  change.live = true;
  if (was_vae || v == Variant::vae) change.restart = true;
  if (v == Variant::denoising && !r.corruption.active()) {  // a sensible start: mask a quarter of the inputs
    if (r.corruption.kind == ae::CorruptionKind::none) r.corruption.kind = ae::CorruptionKind::masking;
    r.corruption.level = r.corruption.kind == ae::CorruptionKind::gaussian ? 0.1 : 0.25;
  }
  if (v == Variant::sparse_kl && net.code_activation != ae::Activation::sigmoid) {
    net.code_activation = ae::Activation::sigmoid;  // ρ̂ must be a mean activation in (0, 1)
    change.restart = true;
  }
  if (v == Variant::k_sparse && r.sparsity.k < 1) r.sparsity.k = std::max(1, net.code_size / 4);
  if (v == Variant::contractive && r.contractive.weight <= 0.0) r.contractive.weight = 0.01;
  return change;
}

PanelChange training_panel(TrainingSpec& t, NetworkSpec& net, const PanelOptions& options, WidgetRect* corruption_slider) {
  PanelChange change;
  ae::Regularization& r = t.regularization;
  // Widgets take 55 % of the width, their labels the rest (long labels such as "η (learning rate)").
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);

  // ---- Which autoencoder ----
  section("Variant");
  const int n_variants = options.allow_vae ? 7 : 6;
  if (ImGui::BeginCombo("variant", variant_title(t.variant))) {
    for (int i = 0; i < n_variants; ++i) {
      const Variant v = Variant(i);
      if (ImGui::Selectable(variant_title(v), v == t.variant) && v != t.variant) {
        const PanelChange c = choose_variant(t, net, v);
        change.live |= c.live;
        change.restart |= c.restart;
      }
    }
    ImGui::EndCombo();
  }
  switch (t.variant) {
    case Variant::plain:
      ImGui::TextDisabled("C = L(x, g(f(x)))");
      break;
    case Variant::sparse_l1:
      ImGui::TextDisabled("C + λ Σⱼ |hⱼ|");
      change.live |= log_slider("λ (L1)", r.sparsity.l1_weight, 1e-5, 1.0, "%.2g");
      break;
    case Variant::sparse_kl:
      ImGui::TextDisabled("C + β Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ = batch-mean of hⱼ");
      change.live |= log_slider("β (KL weight)", r.sparsity.kl_weight, 1e-3, 10.0, "%.3g");
      change.live |= linear_slider("ρ (target)", r.sparsity.target, 0.01, 0.5, "%.3f");
      help_marker("The KL penalty compares each code unit's mean activation with ρ, so the code must be a sigmoid "
                  "(choosing this variant switches the code to sigmoid, which restarts training).");
      break;
    case Variant::k_sparse: {
      ImGui::TextDisabled("h = top-k(σ(z)): only the k largest codes stay");
      int k = std::clamp(r.sparsity.k, 1, net.code_size);
      if (ImGui::SliderInt("k (codes kept)", &k, 1, net.code_size, "%d", ImGuiSliderFlags_AlwaysClamp)) {
        r.sparsity.k = k;
        change.live = true;
      }
      break;
    }
    case Variant::denoising:
      ImGui::TextDisabled("x̃ ~ C(x̃|x), C = L(x, g(f(x̃))): against the clean x");
      break;
    case Variant::contractive: {
      ImGui::TextDisabled("C + λ ‖∂h/∂x‖²_F");
      change.live |= log_slider("λ (contractive)", r.contractive.weight, 1e-4, 10.0, "%.3g");
      const bool one_layer = net.encoder_hidden.empty();
      ImGui::TextDisabled(one_layer ? "one-layer encoder: exact penalty and gradient"
                                    : "deeper encoder: stochastic form E‖h(x) − h(x + σε)‖²/σ²");
      if (!one_layer) change.live |= log_slider("σ (probe noise)", r.contractive.noise, 1e-3, 0.5, "%.3g");
      break;
    }
    case Variant::vae:
      ImGui::TextDisabled("−ELBO = E_q[−log p(x|z)] + β KL(q(z|x) ‖ N(0, I))");
      change.live |= linear_slider("β (KL weight)", t.vae_beta, 0.0, 4.0, "%.2f");
      break;
  }

  // ---- Denoising: the corruption process (combines with every autoencoder variant) ----
  if (t.variant != Variant::vae) {
    section("Input corruption (denoising)");
    const char* kinds[] = {"none", "masking (set to 0)", "Gaussian noise", "salt and pepper"};
    int kind = int(r.corruption.kind);
    if (ImGui::Combo("corruption", &kind, kinds, 4)) {
      r.corruption.kind = ae::CorruptionKind(kind);
      if (r.corruption.kind != ae::CorruptionKind::none && r.corruption.level <= 0.0)
        r.corruption.level = r.corruption.kind == ae::CorruptionKind::gaussian ? 0.1 : 0.25;
      change.live = true;
    }
    const bool gaussian = r.corruption.kind == ae::CorruptionKind::gaussian;
    ImGui::BeginDisabled(r.corruption.kind == ae::CorruptionKind::none);
    const float frame_w = ImGui::CalcItemWidth();  // the slider's frame; the item's rectangle includes the label
    change.live |= linear_slider(gaussian ? "σ (noise level)" : "ν (fraction corrupted)", r.corruption.level, 0.0, 1.0,
                                 gaussian ? "%.3f" : "%.2f");
    if (corruption_slider) {
      *corruption_slider = last_item_rect();
      corruption_slider->w = frame_w;
    }
    if (!gaussian) {
      for (int percent : {0, 10, 25, 50}) {
        char label[16];
        std::snprintf(label, sizeof label, "%d %%", percent);
        if (percent) ImGui::SameLine();
        if (ImGui::SmallButton(label)) {
          r.corruption.level = percent / 100.0;
          change.live = true;
        }
      }
    }
    ImGui::EndDisabled();
  }

  // ---- Optimizer and loss (live) ----
  section("Optimizer and loss (apply at the next step)");
  float lr = t.learning_rate;
  if (ImGui::SliderFloat("η (learning rate)", &lr, 1e-5f, 1.0f, "%.2g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    t.learning_rate = lr;
    change.live = true;
  }
  const char* optimizers[] = {"SGD", "momentum", "Adam"};
  int opt = int(t.optimizer);
  if (ImGui::Combo("optimizer", &opt, optimizers, 3)) {
    t.optimizer = ae::OptimizerKind(opt);
    change.live = true;
  }
  change.live |= ImGui::SliderInt("batch size M", &t.batch_size, 1, 512, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (t.variant != Variant::vae) {
    const char* losses[] = {"squared error", "cross-entropy"};
    int loss = t.loss == ae::LossKind::binary_cross_entropy ? 1 : 0;
    if (ImGui::Combo("loss L", &loss, losses, 2)) {
      t.loss = loss == 1 ? ae::LossKind::binary_cross_entropy : ae::LossKind::squared_error;
      change.live = true;
      if (t.loss == ae::LossKind::binary_cross_entropy && net.output_activation != ae::Activation::sigmoid) {
        net.output_activation = ae::Activation::sigmoid;  // cross-entropy needs outputs in (0, 1)
        change.restart = true;
      }
    }
  }

  // ---- Architecture (restarts) ----
  section("Network (changes restart from new weights)");
  const int max_size = options.max_layer_size;
  for (size_t i = 0; i < net.encoder_hidden.size(); ++i) {
    ImGui::PushID(int(i));
    ae::LayerSpec& l = net.encoder_hidden[i];
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.35f);
    char label[24];
    std::snprintf(label, sizeof label, "##size");
    change.restart |= ImGui::SliderInt(label, &l.size, 2, max_size, "%d units", ImGuiSliderFlags_AlwaysClamp);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    change.restart |= activation_combo("##act", l.activation);
    ImGui::SameLine();
    std::snprintf(label, sizeof label, "hidden %d ×", int(i) + 1);
    if (ImGui::SmallButton(label)) {
      net.encoder_hidden.erase(net.encoder_hidden.begin() + std::ptrdiff_t(i));
      change.restart = true;
      ImGui::PopID();
      break;
    }
    ImGui::PopID();
  }
  if (net.encoder_hidden.size() < 3 && ImGui::SmallButton("+ hidden layer")) {
    net.encoder_hidden.push_back({net.encoder_hidden.empty() ? 64 : net.encoder_hidden.back().size, ae::Activation::relu});
    change.restart = true;
  }
  if (net.encoder_hidden.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("(one-layer encoder)");
  }
  change.restart |= ImGui::SliderInt("code size", &net.code_size, 1, options.max_code_size, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (t.variant != Variant::vae) {
    change.restart |= activation_combo("code σ", net.code_activation);
    change.restart |= activation_combo("output σ", net.output_activation);
    change.restart |= ImGui::Checkbox("tied weights (W' = Wᵀ)", &net.tied_weights);
    if (t.variant == Variant::sparse_kl && net.code_activation != ae::Activation::sigmoid)
      ImGui::TextColored(ImVec4(1, 0.6f, 0.3f, 1), "KL sparsity needs a sigmoid code");
  }
  change.restart |= ImGui::InputInt("seed", &t.seed);
  t.seed = std::clamp(t.seed, 0, 1 << 30);
  clamp_spec(t, net, max_size);
  ImGui::PopItemWidth();
  return change;
}

// ---- Curves ------------------------------------------------------------------------------------

void TrainingCurves::clear() { *this = TrainingCurves(); }

void TrainingCurves::add_batch(double o, double r, double p) {
  sum_objective += o;
  sum_reconstruction += r;
  sum_penalty += p;
  ++batches;
}

void TrainingCurves::add_point(long long step, float val) {
  const float nan = std::nanf("");
  steps.push_back(step);
  const double n = double(batches);
  objective.push_back(batches ? float(sum_objective / n) : nan);
  reconstruction.push_back(batches ? float(sum_reconstruction / n) : nan);
  penalty.push_back(batches ? float(sum_penalty / n) : nan);
  validation.push_back(val);
  sum_objective = sum_reconstruction = sum_penalty = 0;
  batches = 0;
  if (steps.size() > 3000) {  // keep drawing cheap: thin the old points to every second one
    auto thin = [](auto& v) {
      size_t j = 0;
      for (size_t i = 0; i < v.size(); i += 2) v[j++] = v[i];
      v.resize(j);
    };
    thin(steps), thin(objective), thin(reconstruction), thin(penalty), thin(validation);
  }
}

void curves_plot(const TrainingCurves& c, const CurvesStyle& style, ImVec2 size, bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float margin = ImGui::CalcTextSize("1e-00").x + 6;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 p0(origin.x + margin, origin.y), p1(origin.x + size.x, origin.y + size.y);
  ImGui::Dummy(size);
  draw->AddRectFilled(p0, p1, dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));
  struct Series {
    const std::vector<float>* values;
    const char* name;
    ImU32 colour;
  };
  // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
  const Series series[] = {
      {&c.objective, "training objective", IM_COL32(0, 114, 178, 255)},
      {&c.reconstruction, "reconstruction C", IM_COL32(86, 180, 233, 255)},
      {&c.penalty, style.penalty_name, IM_COL32(213, 94, 0, 255)},
      {&c.validation, style.validation_name, IM_COL32(0, 158, 115, 255)},
  };
  float lo = 1e30f, hi = -1e30f;
  bool shown[4] = {};
  for (int k = 0; k < 4; ++k) {
    // The objective equals the reconstruction when there is no penalty: draw it only when they differ.
    if (k == 0) {
      bool differs = false;
      for (size_t i = 0; i < c.penalty.size(); ++i) differs |= c.penalty[i] > 0;
      if (!differs) continue;
    }
    for (float v : *series[k].values) {
      const float l = log_or_nan(v);
      if (std::isnan(l)) continue;
      shown[k] = true;
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
  }
  if (style.reference > 0) {
    lo = std::min(lo, std::log10(float(style.reference)));
    hi = std::max(hi, std::log10(float(style.reference)));
  }
  if (lo > hi || c.steps.empty()) {
    ImGui::TextDisabled("(no training yet)");
    return;
  }
  lo = std::floor(lo * 2) / 2;  // half-decade grid
  hi = std::max(std::ceil(hi * 2) / 2, lo + 0.5f);
  const float x1 = float(std::max<long long>(c.steps.back(), 1));
  auto map = [&](float step, float log_value) {
    return ImVec2(p0.x + step / x1 * (p1.x - p0.x), p1.y - (log_value - lo) / (hi - lo) * (p1.y - p0.y));
  };
  const ImU32 grid = dark ? IM_COL32(45, 48, 58, 255) : IM_COL32(225, 225, 225, 255);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (float d = std::ceil(lo); d <= hi; d += 1) {
    draw->AddLine(map(0, d), map(x1, d), grid);
    char label[16];
    std::snprintf(label, sizeof label, "1e%d", int(d));
    draw->AddText(ImVec2(origin.x, map(0, d).y - ImGui::GetTextLineHeight() * 0.5f), text, label);
  }
  draw->PushClipRect(p0, p1, true);
  for (int k = 0; k < 4; ++k) {
    if (!shown[k]) continue;
    const auto& v = *series[k].values;
    for (size_t i = 1; i < v.size(); ++i) {
      const float a = log_or_nan(v[i - 1]), b = log_or_nan(v[i]);
      if (std::isnan(a) || std::isnan(b)) continue;
      draw->AddLine(map(float(c.steps[i - 1]), a), map(float(c.steps[i]), b), series[k].colour, (k == 3 ? 2.5f : 1.8f) * scale);
    }
  }
  if (style.reference > 0) {  // dashed
    const float y = map(0, std::log10(float(style.reference))).y;
    for (float x = p0.x; x < p1.x; x += 12 * scale)
      draw->AddLine(ImVec2(x, y), ImVec2(std::min(x + 6 * scale, p1.x), y), IM_COL32(204, 121, 167, 255), 2 * scale);
    draw->AddText(ImVec2(p1.x - ImGui::CalcTextSize(style.reference_label.c_str()).x - 4, y - ImGui::GetTextLineHeight() - 1),
                  IM_COL32(204, 121, 167, 255), style.reference_label.c_str());
  }
  draw->PopClipRect();
  // Legend and the last values, under the plot.
  for (int k = 0; k < 4; ++k) {
    if (!shown[k]) continue;
    const auto& v = *series[k].values;
    float last = std::nanf("");
    for (size_t i = v.size(); i-- > 0;)
      if (std::isfinite(v[i])) {
        last = v[i];
        break;
      }
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    draw->AddRectFilled(ImVec2(at.x, at.y + h * 0.4f), ImVec2(at.x + h, at.y + h * 0.6f), series[k].colour);
    ImGui::Dummy(ImVec2(h * 1.2f, h));
    ImGui::SameLine();
    ImGui::Text("%s %.4g", series[k].name, last);
    // The next entry on the same line when it fits, else on the next line.
    const float next_w = ImGui::CalcTextSize("validation C 0.00000").x + h * 1.2f + 14 * scale;
    const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (k < 3 && right_edge - ImGui::GetItemRectMax().x > next_w)
      ImGui::SameLine(0, 14 * scale);
  }
  ImGui::TextDisabled("step %lld (log scale)", c.steps.back());
}

void code_activation_plot(const ae::Vector<float>& mean, double target, ImVec2 size, bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + size.x, p0.y + size.y);
  ImGui::InvisibleButton("##codeact", size);
  draw->AddRectFilled(p0, p1, dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));
  const int n = int(mean.size());
  if (n == 0) return;
  float lo = std::min(0.0f, mean.minCoeff()), hi = std::max({mean.maxCoeff(), float(target) * 1.2f, 1e-6f});
  if (hi - lo < 1e-6f) hi = lo + 1e-6f;
  auto y_of = [&](float v) { return p1.y - (v - lo) / (hi - lo) * (size.y - 2); };
  const float w = size.x / float(n);
  const ImU32 bar = IM_COL32(0, 114, 178, 255), above = IM_COL32(213, 94, 0, 255);
  for (int j = 0; j < n; ++j) {
    const float x = p0.x + w * float(j);
    const bool over = target > 0 && mean(j) > target * 1.5;
    draw->AddRectFilled(ImVec2(x + w * 0.1f, std::min(y_of(mean(j)), y_of(0))), ImVec2(x + w * 0.9f, std::max(y_of(mean(j)), y_of(0))),
                        over ? above : bar);
  }
  if (ImGui::IsItemHovered()) {
    const int j = std::clamp(int((ImGui::GetIO().MousePos.x - p0.x) / w), 0, n - 1);
    ImGui::SetTooltip("code unit %d: mean activation ρ̂ = %.4f", j + 1, mean(j));
  }
  char label[48];
  if (target > 0) {
    const float y = y_of(float(target));
    draw->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), IM_COL32(204, 121, 167, 255), 2 * scale);
    std::snprintf(label, sizeof label, "ρ = %.3f", target);
    draw->AddText(ImVec2(p1.x - ImGui::CalcTextSize(label).x - 4, y - ImGui::GetTextLineHeight()), IM_COL32(204, 121, 167, 255), label);
  }
  std::snprintf(label, sizeof label, "%.3g", hi);
  draw->AddText(ImVec2(p0.x + 3, p0.y + 1), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
}

}  // namespace app
