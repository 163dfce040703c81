// training_panel.cpp — see training_panel.h.
#include "training_panel.h"

#include "app/layout.h"
#include "app/plot.h"
#include "app/theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

namespace app {

namespace {

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

bool activation_combo(const char* label, ae::Activation& f) {
  // In ae::Activation's order; made at each call, so the names follow the UI language.
  const char* const names[] = {tr("linear"), tr("sigmoid"), tr("tanh"), tr("relu"), tr("leaky relu"), tr("softplus")};
  int i = int(f);
  if (!ImGui::Combo(label, &i, names, int(std::size(names)))) return false;
  f = ae::Activation(i);
  return true;
}

const char* optimizer_label(ae::OptimizerKind kind) {
  switch (kind) {
    case ae::OptimizerKind::sgd: return "SGD";
    case ae::OptimizerKind::momentum: return tr("momentum");
    case ae::OptimizerKind::adam: return "Adam";
  }
  return "?";
}

bool optimizer_combo(const char* label, ae::OptimizerKind& kind) {
  const char* const names[] = {optimizer_label(ae::OptimizerKind::sgd), optimizer_label(ae::OptimizerKind::momentum),
                               optimizer_label(ae::OptimizerKind::adam)};  // in ae::OptimizerKind's order
  int i = int(kind);
  if (!ImGui::Combo(label, &i, names, int(std::size(names)))) return false;
  kind = ae::OptimizerKind(i);
  return true;
}

const char* loss_label(ae::LossKind kind) {
  switch (kind) {
    case ae::LossKind::squared_error: return tr("squared error");
    case ae::LossKind::binary_cross_entropy: return tr("cross-entropy");
    case ae::LossKind::gaussian: return tr("Gaussian −log-likelihood");
  }
  return "?";
}

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

const char* variant_label(Variant v) {
  switch (v) {
    case Variant::plain: return tr("plain autoencoder");
    case Variant::sparse_l1: return tr("sparse: L1 activity penalty");
    case Variant::sparse_kl: return tr("sparse: KL to a target ρ");
    case Variant::k_sparse: return tr("k-sparse (top k codes)");
    case Variant::denoising: return tr("denoising");
    case Variant::contractive: return tr("contractive");
    case Variant::vae: return tr("variational (VAE)");
  }
  return "?";
}

const char* corruption_label(ae::CorruptionKind kind) {
  switch (kind) {
    case ae::CorruptionKind::none: return tr("none");
    case ae::CorruptionKind::masking: return tr("masking");
    case ae::CorruptionKind::gaussian: return tr("Gaussian noise");
    case ae::CorruptionKind::salt_and_pepper: return tr("salt and pepper");
  }
  return "?";
}

PanelChange choose_variant(TrainingSpec& t, NetworkSpec& net, Variant v, bool image_data) {
  PanelChange change;
  if (v == t.variant) return change;
  ae::Regularization& r = t.regularization;
  const bool was_vae = t.variant == Variant::vae;
  t.variant = v;
  change.live = true;
  if (was_vae || v == Variant::vae) change.restart = true;
  if (v == Variant::denoising && !r.corruption.active()) {  // a sensible start: mask a quarter of the inputs
    if (r.corruption.kind == ae::CorruptionKind::none) r.corruption.kind = image_data ? ae::CorruptionKind::masking : ae::CorruptionKind::gaussian;
    r.corruption.level = r.corruption.kind == ae::CorruptionKind::gaussian ? 0.1 : 0.25;
  }
  if (v == Variant::sparse_kl && net.code_activation != ae::Activation::sigmoid) {
    net.code_activation = ae::Activation::sigmoid;  // ρ̂ must be a mean activation in (0, 1)
    change.restart = true;
  }
  if (v == Variant::k_sparse && r.sparsity.k < 1) r.sparsity.k = std::max(1, net.code_size / 4);
  // λ: 0.01 on pixels; 1e-3 on points, where ReLU layers (below) fitted the spiral from each of 6
  // training seeds at 1e-3 and lost it from 1 of 4 at 0.01 (20,000 steps).
  if (v == Variant::contractive && r.contractive.weight <= 0.0) r.contractive.weight = image_data ? 0.01 : 1e-3;
  // On points, ReLU hidden layers. A tanh (or sigmoid) network starts on the PCA plateau and leaves
  // it only as its code's scale grows (plain AE on the spiral: code std 0.38 at step 1,000, 1.07 at
  // 4,000); the contractive penalty punishes exactly that growth, so such a network stays on the PCA
  // line at every λ (still there after 20,000 steps at λ = 1e-4). ReLU layers can rescale freely
  // (ReLU(cz) = c·ReLU(z)), and the same network then fits the spiral under the penalty.
  if (v == Variant::contractive && !image_data)
    for (auto& layer : net.encoder_hidden)
      if (layer.activation == ae::Activation::tanh || layer.activation == ae::Activation::sigmoid) {
        layer.activation = ae::Activation::relu;
        change.restart = true;
      }
  return change;
}

PanelChange training_panel(TrainingSpec& t, NetworkSpec& net, const PanelOptions& options, WidgetRect* corruption_slider) {
  PanelChange change;
  ae::Regularization& r = t.regularization;
  // Widgets take 55 % of the width, their labels the rest (long labels such as "η (learning rate)").
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);

  // ---- Which autoencoder ----
  section(tr("Variant"));
  // Every variant in Variant's order; the VAE, the last one, only where it is offered.
  const Variant variants[] = {Variant::plain,     Variant::sparse_l1,   Variant::sparse_kl, Variant::k_sparse,
                              Variant::denoising, Variant::contractive, Variant::vae};
  const int n_variants = int(std::size(variants)) - (options.allow_vae ? 0 : 1);
  if (ImGui::BeginCombo(tr("variant##variant"), variant_label(t.variant))) {
    for (int i = 0; i < n_variants; ++i) {
      const Variant v = variants[i];
      char item[128];  // the name, and an ID that does not depend on the language
      std::snprintf(item, sizeof item, "%s##variant%d", variant_label(v), i);
      if (ImGui::Selectable(item, v == t.variant) && v != t.variant) {
        const PanelChange c = choose_variant(t, net, v, options.image_data);
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
      change.live |= log_slider("λ (L1)##l1_weight", r.sparsity.l1_weight, 1e-5, 1.0, "%.2g");
      break;
    case Variant::sparse_kl:
      ImGui::TextDisabled("%s", tr("C + β Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ = batch-mean of hⱼ"));
      change.live |= log_slider(tr("β (KL weight)##sparsity_kl_weight"), r.sparsity.kl_weight, 1e-3, 10.0, "%.3g");
      change.live |= linear_slider(tr("ρ (target)##sparsity_target"), r.sparsity.target, 0.01, 0.5, "%.3f");
      help_marker(tr("The KL penalty compares each code unit's mean activation with ρ, so the code must be a sigmoid "
                     "(choosing this variant switches the code to sigmoid, which restarts training)."));
      break;
    case Variant::k_sparse: {
      ImGui::TextDisabled("%s", tr("h = top-k(σ(z)): only the k largest codes stay"));
      int k = std::clamp(r.sparsity.k, 1, net.code_size);
      if (ImGui::SliderInt(tr("k (codes kept)##top_k"), &k, 1, net.code_size, "%d", ImGuiSliderFlags_AlwaysClamp)) {
        r.sparsity.k = k;
        change.live = true;
      }
      break;
    }
    case Variant::denoising:
      ImGui::TextDisabled("%s", tr("x̃ ~ C(x̃|x), C = L(x, g(f(x̃))): against the clean x"));
      break;
    case Variant::contractive: {
      ImGui::TextDisabled("C + λ ‖∂h/∂x‖²_F");
      change.live |= log_slider(tr("λ (contractive)##contractive_weight"), r.contractive.weight, 1e-4, 10.0, "%.3g");
      // The form: exact ‖J‖²_F for a one-layer encoder, the stochastic E‖h(x) − h(x + σε)‖²/σ² for any
      // (automatic picks by depth; the exact form on a deeper encoder is refused with a message).
      const char* const forms[] = {tr("automatic (exact for one layer)"), tr("exact ‖∂h/∂x‖²_F"), tr("stochastic E‖h(x) − h(x + σε)‖²/σ²")};
      int form = int(r.contractive.form);
      if (ImGui::Combo(tr("form##contractive_form"), &form, forms, int(std::size(forms)))) {
        r.contractive.form = ae::ContractiveForm(form);
        change.live = true;
      }
      const bool one_layer = net.encoder_hidden.empty();
      const bool stochastic = r.contractive.form == ae::ContractiveForm::stochastic ||
                              (r.contractive.form == ae::ContractiveForm::automatic && !one_layer);
      ImGui::TextDisabled("%s", !stochastic ? tr("one-layer encoder: exact penalty and gradient")
                                            : tr("stochastic form E‖h(x) − h(x + σε)‖²/σ², fresh ε each batch"));
      if (stochastic) change.live |= log_slider(tr("σ (probe noise)##probe_noise"), r.contractive.noise, 1e-3, 0.5, "%.3g");
      if (!options.image_data) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", tr("On points the hidden layers use ReLU: with tanh units the penalty holds the network on the PCA line."));
        ImGui::PopTextWrapPos();
      }
      break;
    }
    case Variant::vae:
      // Only at β = 1 is the objective the negative ELBO; any other β trains a β-VAE.
      if (vae_objective_is_elbo(t.vae_beta)) ImGui::TextDisabled("−ELBO = E_q[−log p(x|z)] + KL(q(z|x) ‖ N(0, I))");
      else ImGui::TextDisabled("%s", tr("β-VAE objective: E_q[−log p(x|z)] + β KL(q(z|x) ‖ N(0, I)); the −ELBO only at β = 1"));
      change.live |= linear_slider(tr("β (KL weight)##vae_beta"), t.vae_beta, 0.0, 4.0, "%.2f");
      break;
  }

  // ---- Denoising: the corruption process (combines with every autoencoder variant) ----
  if (t.variant != Variant::vae) {
    section(tr("Input corruption (denoising)"));
    // In ae::CorruptionKind's order.
    const char* const kinds[] = {tr("none"), tr("masking (set to 0)"), tr("Gaussian noise"), tr("salt and pepper")};
    int kind = int(r.corruption.kind);
    if (ImGui::Combo(tr("corruption##corruption_kind"), &kind, kinds, int(std::size(kinds)))) {
      r.corruption.kind = ae::CorruptionKind(kind);
      if (r.corruption.kind != ae::CorruptionKind::none && r.corruption.level <= 0.0)
        r.corruption.level = r.corruption.kind == ae::CorruptionKind::gaussian ? 0.1 : 0.25;
      change.live = true;
    }
    const bool gaussian = r.corruption.kind == ae::CorruptionKind::gaussian;
    ImGui::BeginDisabled(r.corruption.kind == ae::CorruptionKind::none);
    const float frame_w = ImGui::CalcItemWidth();  // the slider's frame; the item's rectangle includes the label
    change.live |= linear_slider(gaussian ? tr("σ (noise level)##corruption_level") : tr("ν (fraction corrupted)##corruption_level"),
                                 r.corruption.level, 0.0, 1.0,
                                 gaussian ? "%.3f" : "%.2f");
    if (corruption_slider) {
      *corruption_slider = last_item_rect();
      corruption_slider->w = frame_w;
    }
    if (!gaussian) {
      for (int percent : {0, 10, 20, 50}) {  // the lecture's figure compares 0, 10, 20 and 50 %
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
  section(tr("Optimizer and loss (apply at the next step)"));
  float lr = t.learning_rate;
  if (ImGui::SliderFloat(tr("η (learning rate)##learning_rate"), &lr, 1e-5f, 1.0f, "%.2g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    t.learning_rate = lr;
    change.live = true;
  }
  change.live |= optimizer_combo(tr("optimizer##optimizer"), t.optimizer);
  change.live |= ImGui::SliderInt(tr("batch size M##batch_size"), &t.batch_size, 1, 512, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (t.variant != Variant::vae) {
    const char* const losses[] = {loss_label(ae::LossKind::squared_error), loss_label(ae::LossKind::binary_cross_entropy),
                                  loss_label(ae::LossKind::gaussian)};  // in ae::LossKind's order
    int loss = int(t.loss);
    if (ImGui::Combo(tr("loss L##loss"), &loss, losses, int(std::size(losses)))) {
      t.loss = ae::LossKind(loss);
      change.live = true;
      if (t.loss == ae::LossKind::binary_cross_entropy && net.output_activation != ae::Activation::sigmoid) {
        net.output_activation = ae::Activation::sigmoid;  // cross-entropy needs outputs in (0, 1)
        change.restart = true;
      }
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", tr("squared error: −log of a Gaussian decoder up to a constant; cross-entropy: −log of a "
                                 "Bernoulli decoder; Gaussian −log-likelihood: −log N(x; y, s²I) in nats, with the s below"));
    if (t.loss == ae::LossKind::gaussian) {
      change.live |= ImGui::SliderFloat(tr("s (decoder standard deviation)##decoder_sigma"), &t.decoder_sigma, limits::min_decoder_sigma,
                                        limits::max_decoder_sigma, "%.3g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    }
  }

  // ---- Architecture (restarts) ----
  section(tr("Network (changes restart from new weights)"));
  const int max_size = options.max_layer_size;
  for (size_t i = 0; i < net.encoder_hidden.size(); ++i) {
    ImGui::PushID(int(i));
    ae::LayerSpec& l = net.encoder_hidden[i];
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.35f);
    change.restart |= ImGui::SliderInt("##size", &l.size, 2, max_size, tr("%d units"), ImGuiSliderFlags_AlwaysClamp);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    change.restart |= activation_combo("##act", l.activation);
    ImGui::SameLine();
    char text[64], label[80];
    std::snprintf(text, sizeof text, tr("hidden %d ×"), int(i) + 1);
    std::snprintf(label, sizeof label, "%s##remove", text);  // the button removes the layer
    if (ImGui::SmallButton(label)) {
      net.encoder_hidden.erase(net.encoder_hidden.begin() + std::ptrdiff_t(i));
      change.restart = true;
      ImGui::PopID();
      break;
    }
    ImGui::PopID();
  }
  if (net.encoder_hidden.size() < 3 && ImGui::SmallButton(tr("+ hidden layer##add_layer"))) {
    net.encoder_hidden.push_back({net.encoder_hidden.empty() ? 64 : net.encoder_hidden.back().size, ae::Activation::relu});
    change.restart = true;
  }
  if (net.encoder_hidden.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("(one-layer encoder)"));
  }
  change.restart |= ImGui::SliderInt(tr("code size##code_size"), &net.code_size, 1, options.max_code_size, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (t.variant != Variant::vae) {
    change.restart |= activation_combo(tr("code σ##code_activation"), net.code_activation);
    change.restart |= activation_combo(tr("output σ##output_activation"), net.output_activation);
    change.restart |= ImGui::Checkbox(tr("tied weights (W' = Wᵀ)##tied_weights"), &net.tied_weights);
    if (t.variant == Variant::sparse_kl && net.code_activation != ae::Activation::sigmoid)
      ImGui::TextColored(warning_text_colour(), "%s", tr("KL sparsity needs a sigmoid code"));
  }
  change.restart |= ImGui::InputInt(tr("seed##seed"), &t.seed);
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
  PlotFrame frame = reserve_plot(size, ImGui::CalcTextSize("1e-00").x + 6);
  draw_plot_background(draw, frame, dark);
  struct Series {
    const std::vector<float>* values;
    const char* name;
    ImU32 colour;
  };
  const Series series[] = {
      {&c.objective, style.objective_name, okabe_ito::blue},
      {&c.reconstruction, style.reconstruction_name, okabe_ito::sky_blue},
      {&c.penalty, style.penalty_name, okabe_ito::vermillion},
      {&c.validation, style.validation_name, okabe_ito::bluish_green},
  };
  constexpr int kSeriesCount = int(std::size(series));
  constexpr int kObjective = 0, kPenalty = 2, kValidation = 3;  // series[] indices drawn specially
  // The objective equals the reconstruction when there is no penalty: draw it only when they differ.
  bool penalty_present = false;
  for (float p : c.penalty) penalty_present |= p > 0;
  // A log scale while every value is positive; a linear one when a value is 0 or below (a Gaussian
  // −log-likelihood is a density's and can be negative).
  // The objective equals the reconstruction and the penalty is 0 when there is no penalty: then
  // neither is drawn.
  const auto drawn = [&](int k) { return penalty_present || (k != kObjective && k != kPenalty); };
  bool log_scale = true;
  for (int k = 0; k < kSeriesCount; ++k) {
    if (!drawn(k) || k == kPenalty) continue;  // a penalty of 0 on some batches is not a reason for a linear axis
    for (float v : *series[k].values) log_scale &= !(std::isfinite(v) && v <= 0);
  }
  const auto to_axis = [log_scale](float v) { return log_scale ? log_or_nan(v) : (std::isfinite(v) ? v : std::nanf("")); };
  float lo = 1e30f, hi = -1e30f;  // the range of the values shown, on the axis' scale
  bool shown[kSeriesCount] = {};
  for (int k = 0; k < kSeriesCount; ++k) {
    if (!drawn(k)) continue;
    for (float v : *series[k].values) {
      const float l = to_axis(v);
      if (std::isnan(l)) continue;
      shown[k] = true;
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
  }
  if (style.reference > 0 && log_scale) {
    lo = std::min(lo, std::log10(float(style.reference)));
    hi = std::max(hi, std::log10(float(style.reference)));
  }
  if (lo > hi || c.steps.empty()) {
    ImGui::TextDisabled("%s", tr("(no training yet)"));
    return;
  }
  frame.x_lo = 0;
  frame.x_hi = float(std::max<long long>(c.steps.back(), 1));
  if (log_scale) {  // y: log10 of the value, on a half-decade grid
    frame.y_lo = std::floor(lo * 2) / 2;
    frame.y_hi = std::max(std::ceil(hi * 2) / 2, frame.y_lo + 0.5f);
    for (float d = std::ceil(frame.y_lo); d <= frame.y_hi; d += 1) {
      char label[16];
      std::snprintf(label, sizeof label, "1e%d", int(d));
      draw_horizontal_grid_line(draw, frame, d, label, dark);
    }
  } else {  // y: the value, on a grid of 1, 2 or 5 × 10^k
    const float span = std::max(hi - lo, 1e-6f * std::max(1.0f, std::fabs(hi)));
    const float raw = span / 4, decade = std::pow(10.0f, std::floor(std::log10(raw)));
    const float step = raw / decade < 2 ? 2 * decade : raw / decade < 5 ? 5 * decade : 10 * decade;
    frame.y_lo = std::floor(lo / step) * step;
    frame.y_hi = std::max(std::ceil(hi / step) * step, frame.y_lo + step);
    for (float y = frame.y_lo; y <= frame.y_hi + 0.5f * step; y += step) {
      char label[16];
      std::snprintf(label, sizeof label, "%.3g", double(y));
      draw_horizontal_grid_line(draw, frame, y, label, dark);
    }
  }
  draw->PushClipRect(frame.min, frame.max, true);
  for (int k = 0; k < kSeriesCount; ++k) {
    if (!shown[k]) continue;
    const auto& v = *series[k].values;
    const float thickness = (k == kValidation ? 2.5f : 1.8f) * scale;
    for (size_t i = 1; i < v.size(); ++i) {
      const float a = to_axis(v[i - 1]), b = to_axis(v[i]);
      if (std::isnan(a) || std::isnan(b)) continue;
      draw->AddLine(frame.map(float(c.steps[i - 1]), a), frame.map(float(c.steps[i]), b), series[k].colour, thickness);
    }
  }
  const bool reference_shown = style.reference > 0 && log_scale;
  if (reference_shown) {  // dashed; its label is in the legend, where a long one wraps instead of being cut at the plot's edge
    const float y = frame.map(0, std::log10(float(style.reference))).y;
    for (float x = frame.min.x; x < frame.max.x; x += 12 * scale)
      draw->AddLine(ImVec2(x, y), ImVec2(std::min(x + 6 * scale, frame.max.x), y), okabe_ito::reddish_purple, 2 * scale);
  }
  draw->PopClipRect();
  // Legend and the last values, under the plot.
  char entries[kSeriesCount][160] = {};
  for (int k = 0; k < kSeriesCount; ++k) {
    if (!shown[k]) continue;
    const auto& v = *series[k].values;
    float last = std::nanf("");
    for (size_t i = v.size(); i-- > 0;)
      if (std::isfinite(v[i])) {
        last = v[i];
        break;
      }
    std::snprintf(entries[k], sizeof entries[k], "%s %.4g", series[k].name, double(last));
  }
  const float swatch_w = ImGui::GetTextLineHeight() * 1.2f + ImGui::GetStyle().ItemSpacing.x, gap = 14 * scale;
  const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  bool first = true;
  for (int k = 0; k < kSeriesCount; ++k) {
    if (!shown[k]) continue;
    // The entry on the same line as the previous one when it fits, else on the next line.
    if (!first && right_edge - ImGui::GetItemRectMax().x > gap + swatch_w + ImGui::CalcTextSize(entries[k]).x)
      ImGui::SameLine(0, gap);
    first = false;
    legend_swatch(series[k].colour);
    ImGui::TextUnformatted(entries[k]);
  }
  if (reference_shown) {  // its lines aligned after the swatch, broken at spaces only (not inside "3,000")
    legend_swatch(okabe_ito::reddish_purple, /*dashed=*/true);
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, okabe_ito::reddish_purple);
    text_wrapped_at_spaces(style.reference_label);
    ImGui::PopStyleColor();
    ImGui::EndGroup();
  }
  ImGui::TextDisabled(log_scale ? tr("step %lld (log scale)") : tr("step %lld (linear scale)"), c.steps.back());
}

void code_activation_plot(const ae::Vector<float>& mean, double target, ImVec2 size, bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  PlotFrame frame = reserve_plot(size, 0.0f, "##codeact");
  const bool hovered = ImGui::IsItemHovered();
  draw_plot_background(draw, frame, dark);
  const int n = int(mean.size());
  if (n == 0) return;
  // x: one slot per code unit; y: from 0 (or the lowest mean, if negative) to the highest mean or 1.2 ρ.
  frame.x_lo = 0;
  frame.x_hi = float(n);
  frame.y_lo = std::min(0.0f, mean.minCoeff());
  frame.y_hi = std::max({mean.maxCoeff(), float(target) * 1.2f, 1e-6f});
  if (frame.y_hi - frame.y_lo < 1e-6f) frame.y_hi = frame.y_lo + 1e-6f;
  const ImU32 bar = okabe_ito::blue, over_target = okabe_ito::vermillion;
  for (int j = 0; j < n; ++j) {
    const bool over = target > 0 && mean(j) > target * 1.5;
    const ImVec2 top = frame.map(float(j) + 0.1f, mean(j)), base = frame.map(float(j) + 0.9f, 0.0f);
    draw->AddRectFilled(ImVec2(top.x, std::min(top.y, base.y)), ImVec2(base.x, std::max(top.y, base.y)), over ? over_target : bar);
  }
  if (hovered) {
    const int j = std::clamp(int((ImGui::GetIO().MousePos.x - frame.min.x) / frame.width() * float(n)), 0, n - 1);
    ImGui::SetTooltip(tr("code unit %d: mean activation ρ̂ = %.4f"), j + 1, double(mean(j)));
  }
  char label[48];
  if (target > 0) {
    const ImU32 colour = okabe_ito::reddish_purple;
    const float y = frame.map(0, float(target)).y;
    draw->AddLine(ImVec2(frame.min.x, y), ImVec2(frame.max.x, y), colour, 2 * scale);
    std::snprintf(label, sizeof label, "ρ = %.3f", target);
    draw->AddText(ImVec2(frame.max.x - ImGui::CalcTextSize(label).x - 4, y - ImGui::GetTextLineHeight()), colour, label);
  }
  std::snprintf(label, sizeof label, "%.3g", double(frame.y_hi));
  draw->AddText(ImVec2(frame.min.x + 3, frame.min.y + 1), plot_colours(dark).text, label);
}

}  // namespace app
