// mnist_likelihood.cpp — the loss as a negative log-likelihood (the likelihood lesson's figure).
//
// The decoder's output y is read as the parameters of a distribution p(x|z) over images:
//   Gaussian:   p(x|z) = N(x; y, s²I)        −log p = Σᵢ (xᵢ − yᵢ)²/(2s²) + 784 · ½ log 2πs²
//   Bernoulli:  p(x|z) = Πᵢ yᵢ^xᵢ (1 − yᵢ)^(1 − xᵢ)   −log p = −Σᵢ [xᵢ log yᵢ + (1 − xᵢ) log(1 − yᵢ)]
// Minimizing the squared error is maximizing the Gaussian likelihood (for any fixed s), minimizing
// the cross-entropy is maximizing the Bernoulli one. For a fixed model the Gaussian −log p is
// smallest at s² = Σᵢ (xᵢ − yᵢ)²/784. The Gaussian value is a density's and can be below 0; the
// Bernoulli one is a probability's (of the binarized digit), so the two numbers are not compared.
#include "mnist_scene.h"

#include "i18n.h"
#include "plot.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kMeasuredDigits = 500;  // test digits the numbers are measured on

// ½ log 2πs², the Gaussian's constant per pixel.
double half_log_2pi_s2(double s) { return 0.5 * std::log(2 * kPi * s * s); }

void update_samples(MnistScene& s) {
  LikelihoodView& v = s.likelihood;
  const int digit = s.selected >= 0 ? s.selected : 0;
  const ae::Matrix<float> x = s.test.x.col(digit);
  const ae::Matrix<float> y = mnist_decode(s, mnist_encode(s, x));
  const float sigma = s.settings.training.decoder_sigma;
  ae::Rng rng(v.sample_seed);
  // Row 1: x, the mean y, three draws of N(y, s²I) (shown clipped to [0, 1]).
  // Row 2: x binarized, the mean y, three draws of Bernoulli(y).
  ae::Matrix<float> images(784, 10);
  images.col(0) = x;
  images.col(1) = y;
  images.col(5) = (x.array() > 0.5f).cast<float>().matrix();
  images.col(6) = y;
  for (int k = 0; k < 3; ++k)
    for (int p = 0; p < 784; ++p) {
      images(p, 2 + k) = y(p, 0) + sigma * float(rng.normal());
      images(p, 7 + k) = rng.uniform() < double(y(p, 0)) ? 1.0f : 0.0f;
    }
  digits_texture(v.tex_samples, images, 5, 2);
  v.samples_of = digit;
}

// A plot of curves over y ∈ (0, 1) with the value at the chosen y marked on each.
struct Curve {
  ImU32 colour;
  float thickness;
  double (*f)(double y, const LikelihoodView& v);
};

void curves_over_y(const char* id, const Curve* curves, int n, double lo, double hi, const LikelihoodView& v, ImVec2 size,
                   bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  PlotFrame f = reserve_plot(size, ImGui::CalcTextSize("-0.0").x + 6, id);
  f.x_lo = 0;
  f.x_hi = 1;
  f.y_lo = float(lo);
  f.y_hi = float(hi);
  draw_plot_background(draw, f, dark);
  const double step = (hi - lo) > 8 ? 5 : (hi - lo) > 3 ? 1 : 0.5;
  for (double g = std::ceil(lo / step) * step; g <= hi; g += step) {
    char label[16];
    std::snprintf(label, sizeof label, "%g", g + 0.0);  // + 0.0: no "-0"
    draw_horizontal_grid_line(draw, f, float(g), label, dark);
  }
  draw->PushClipRect(f.min, f.max, true);
  const float ty = f.map(v.unit_t, 0).x;  // the target t: the Gaussian's minimum
  draw->AddLine(ImVec2(ty, f.min.y), ImVec2(ty, f.max.y), plot_colours(dark).frame, 1.0f);
  for (int c = 0; c < n; ++c) {
    ImVec2 prev;
    for (int i = 0; i <= 200; ++i) {
      const double y = 0.002 + 0.996 * i / 200.0;
      const ImVec2 p = f.map(float(y), float(curves[c].f(y, v)));
      if (i > 0) draw->AddLine(prev, p, curves[c].colour, curves[c].thickness * scale);
      prev = p;
    }
    draw->AddCircleFilled(f.map(v.unit_y, float(curves[c].f(v.unit_y, v))), 4 * scale, curves[c].colour);
  }
  draw->PopClipRect();
}

double gaussian_nll(double y, const LikelihoodView& v) {
  const double d = v.unit_t - y, s = v.unit_s;
  return d * d / (2 * s * s) + half_log_2pi_s2(s);
}
double half_squared_over_s2(double y, const LikelihoodView& v) {
  const double d = v.unit_t - y, s = v.unit_s;
  return d * d / (2 * s * s);
}
double bernoulli_nll_of_1(double y, const LikelihoodView&) { return -std::log(y); }
double bernoulli_nll_of_0(double y, const LikelihoodView&) { return -std::log(1 - y); }
double cross_entropy(double y, const LikelihoodView& v) {
  return -(v.unit_t * std::log(y) + (1 - v.unit_t) * std::log(1 - y));
}

}  // namespace

void likelihood_update(MnistScene& s) {
  LikelihoodView& v = s.likelihood;
  if (s.vae || s.test.size() == 0) return;
  const int n = std::min(kMeasuredDigits, s.test.size());
  const ae::Matrix<float> x = s.test.x.leftCols(n);
  const ae::Matrix<float> y = mnist_decode(s, mnist_encode(s, x));
  const double se = double((x - y).squaredNorm()) / n;
  const double sigma = s.settings.training.decoder_sigma;
  v.digits = n;
  v.squared_error = se;
  v.gaussian_nll = se / (2 * sigma * sigma) + 784 * half_log_2pi_s2(sigma);
  v.best_sigma = std::sqrt(se / 784);
  v.best_nll = 784 * (0.5 + half_log_2pi_s2(v.best_sigma));
  double bernoulli = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double yi = std::clamp(double(y.data()[i]), 1e-7, 1 - 1e-7);
    bernoulli -= x.data()[i] > 0.5f ? std::log(yi) : std::log(1 - yi);
  }
  v.bernoulli_nll = bernoulli / n;
  update_samples(s);
}

void likelihood_panel(MnistScene& s, float width, float digit, bool dark, float scale) {
  LikelihoodView& v = s.likelihood;
  ImGui::Separator();
  ImGui::TextUnformatted(tr("One output unit: the loss is −log p(t | y)"));
  const float item_w = std::min(width * 0.5f, 220 * scale);
  ImGui::SetNextItemWidth(item_w);
  ImGui::SliderFloat(tr("target t##unit_t"), &v.unit_t, 0.0f, 1.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::SetNextItemWidth(item_w);
  ImGui::SliderFloat(tr("output y##unit_y"), &v.unit_y, 0.01f, 0.99f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::SetNextItemWidth(item_w);
  ImGui::SliderFloat(tr("s##unit_s"), &v.unit_s, 0.05f, 1.0f, "%.2f", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);

  // Side by side in a wide column, one under the other in a narrow one.
  const bool two_columns = width > 2 * 240 * scale;
  const float plot_w = two_columns ? (width - ImGui::GetStyle().ItemSpacing.x) * 0.5f : width;
  const ImVec2 size(plot_w, 100 * scale);
  const double c = half_log_2pi_s2(v.unit_s);
  const Curve gaussian[] = {{okabe_ito::blue, 2.5f, gaussian_nll}, {okabe_ito::orange, 1.5f, half_squared_over_s2}};
  const Curve bernoulli[] = {{okabe_ito::sky_blue, 1.2f, bernoulli_nll_of_1},
                             {okabe_ito::reddish_purple, 1.2f, bernoulli_nll_of_0},
                             {okabe_ito::bluish_green, 2.5f, cross_entropy}};
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + plot_w);
  curves_over_y("##gaussian_curves", gaussian, 2, std::min(0.0, c) - 0.2, std::max(0.0, c) + 6, v, size, dark, scale);
  legend_swatch(okabe_ito::blue);
  ImGui::Text("−log N(t; y, s²) = %.3f", gaussian_nll(v.unit_y, v));
  legend_swatch(okabe_ito::orange);
  ImGui::Text("½(t − y)²/s² = %.3f", half_squared_over_s2(v.unit_y, v));
  ImGui::TextDisabled(tr("difference ½ log 2πs² = %.3f at every y"), c);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  if (two_columns) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + plot_w);
  curves_over_y("##bernoulli_curves", bernoulli, 3, 0, 5, v, size, dark, scale);
  legend_swatch(okabe_ito::bluish_green);
  ImGui::Text("−[t log y + (1 − t) log(1 − y)] = %.3f", cross_entropy(v.unit_y, v));
  legend_swatch(okabe_ito::sky_blue);
  ImGui::TextUnformatted("t = 1: −log y");
  legend_swatch(okabe_ito::reddish_purple);
  ImGui::TextUnformatted("t = 0: −log(1 − y)");
  const double entropy = v.unit_t > 0 && v.unit_t < 1 ? -(v.unit_t * std::log(v.unit_t) + (1 - v.unit_t) * std::log(1 - v.unit_t)) : 0.0;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped(tr("at y = t the cross-entropy is %.3f (0 only for t = 0 or 1)"), entropy);
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  if (v.squared_error < 0) return;
  ImGui::Spacing();
  ImGui::TextWrapped(tr("This model on %d test digits (nats per digit, 784 pixels):"), v.digits);
  const auto bullet = [](const char* format, auto... values) {
    ImGui::Bullet();
    ImGui::TextWrapped(format, values...);
  };
  bullet(tr("Gaussian decoder, s = %.3g: −log N(x; y, s²I) = %.1f"), double(s.settings.training.decoder_sigma), v.gaussian_nll);
  bullet(tr("best s for this model: √(Σ(x − y)²/784) = %.3f, where −log p = %.1f"), v.best_sigma, v.best_nll);
  bullet(tr("Bernoulli decoder, digits binarized at 0.5: −log p = %.1f"), v.bernoulli_nll);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("A density's −log can be below 0; a probability's cannot. The two are not comparable."));
  ImGui::PopStyleColor();
  char caption[200];
  std::snprintf(caption, sizeof caption, tr("Test digit #%d. Rows: x · mean y · 3 samples of N(y, s²I) (clipped to [0, 1]); x > 0.5 · mean y · 3 samples of Bernoulli(y)"),
                v.samples_of);
  ImGui::TextWrapped("%s", caption);
  if (v.tex_samples.id) ImGui::Image(v.tex_samples.imgui_id(), ImVec2(5 * digit * 1.2f, 2 * digit * 1.2f));
  if (ImGui::SmallButton(tr("Draw again##draw_samples"))) {
    ++v.sample_seed;
    update_samples(s);
  }
}

}  // namespace app
