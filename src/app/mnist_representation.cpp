// mnist_representation.cpp — depth and what codes are good for (the depth lesson's figure).
//
// 1. Vanishing gradients: backpropagation forms δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹, so every layer
//    multiplies δ by σ'. A sigmoid's σ' is at most ¼, so with several sigmoid layers δ shrinks
//    layer by layer on its way down to the input; tanh's σ' is at most 1, ReLU's is 0 or 1. The
//    bars show ‖δˡ‖_F of each layer (running mean over the last steps), on a log scale.
// 2. What the code is good for: the test digits classified by their nearest neighbour among 300
//    labelled training digits, in pixels (784 numbers), in PCA's k dimensions and in the code
//    (k numbers) — the same classifier on three representations.
#include "mnist_scene.h"

#include "i18n.h"
#include "plot.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

namespace {

constexpr int kLabels = 300, kQueries = 1000;

void measure_classifiers(MnistScene& s) {
  RepresentationView& v = s.representation;
  const int nq = std::min(kQueries, s.test.size()), nr = std::min(kLabels, s.train.size());
  const ae::Matrix<float> queries = s.test.x.leftCols(nq), labelled = s.train.x.leftCols(nr);
  const std::vector<int> query_labels(s.test.labels.begin(), s.test.labels.begin() + nq);
  const std::vector<int> labels(s.train.labels.begin(), s.train.labels.begin() + nr);
  v.knn_pixels = ae::nearest_neighbour_agreement<float>(labelled, labels, queries, query_labels);
  const int k = s.code_size();
  v.knn_k = k;
  v.knn_pca = -1;
  if (k <= s.pca_fit.k()) {
    ae::Pca pca = s.pca_fit;
    pca.components = s.pca_fit.components.leftCols(k);
    v.knn_pca = ae::nearest_neighbour_agreement<float>(ae::pca_encode(pca, labelled).cast<float>(), labels,
                                                       ae::pca_encode(pca, queries).cast<float>(), query_labels);
  }
  v.knn_code = ae::nearest_neighbour_agreement<float>(mnist_encode(s, labelled), labels, mnist_encode(s, queries), query_labels);
  v.knn_steps = s.steps();
}

}  // namespace

void representation_record(const std::vector<ae::Matrix<float>>& deltas, RepresentationView& v) {
  if (v.delta_norms.size() != deltas.size()) {
    v.delta_norms.assign(deltas.size(), -1.0);
    v.delta_steps = 0;
  }
  for (size_t l = 0; l < deltas.size(); ++l) {
    const double n = double(deltas[l].norm());
    v.delta_norms[l] = v.delta_norms[l] < 0 ? n : 0.95 * v.delta_norms[l] + 0.05 * n;  // about the last 20 steps
  }
  ++v.delta_steps;
}

void representation_panel(MnistScene& s, float width, bool dark, float scale) {
  RepresentationView& v = s.representation;
  ImGui::Separator();
  ImGui::TextWrapped("%s", tr("‖δˡ‖ of each layer while training (running mean of the last steps, log scale), input side on the left"));
  const int L = int(v.delta_norms.size());
  if (L > 0 && v.delta_steps > 0) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    PlotFrame f = reserve_plot(ImVec2(std::min(width, 360 * scale), 90 * scale), ImGui::CalcTextSize("1e-00").x + 6, "##deltas");
    double lo = 1e30, hi = -1e30;
    for (double d : v.delta_norms)
      if (d > 0) {
        lo = std::min(lo, std::log10(d));
        hi = std::max(hi, std::log10(d));
      }
    if (lo > hi) lo = hi = 0;
    f.x_lo = 0;
    f.x_hi = float(L);
    f.y_lo = float(std::floor(lo)) - 0.5f;
    f.y_hi = float(std::ceil(hi)) + 0.2f;
    draw_plot_background(draw, f, dark);
    for (float d = std::ceil(f.y_lo); d <= f.y_hi; d += 1) {
      char label[16];
      std::snprintf(label, sizeof label, "1e%d", int(d));
      draw_horizontal_grid_line(draw, f, d, label, dark);
    }
    const int code_layer = s.trainer.model.layers.empty() ? -1 : s.trainer.model.code_layer;
    for (int l = 0; l < L; ++l) {
      if (!(v.delta_norms[size_t(l)] > 0)) continue;
      const float y = float(std::log10(v.delta_norms[size_t(l)]));
      const ImU32 colour = l == code_layer ? okabe_ito::orange : okabe_ito::blue;
      draw->AddRectFilled(f.map(float(l) + 0.15f, f.y_lo), f.map(float(l) + 0.85f, y), colour);
    }
    const double ratio = v.delta_norms.front() / v.delta_norms.back();
    ImGui::TextWrapped(tr("layer 1 (next to the input) over layer %d (the output): %.2g, after %lld steps"), L, ratio,
                       (long long)v.delta_steps);
  } else {
    ImGui::TextDisabled("%s", tr("(no training yet)"));
  }

  if (ImGui::Button(tr("Classify with 300 labels: pixels, PCA, code##classify"))) measure_classifiers(s);
  v.knn_button = last_item_rect();
  if (v.knn_pixels < 0) return;
  ImGui::TextWrapped(tr("Test digits (%d) whose nearest of 300 labelled training digits has their label (model at step %lld):"),
                     std::min(kQueries, s.test.size()), v.knn_steps);
  ImGui::BulletText(tr("pixels (784 numbers): %.1f %%"), 100 * v.knn_pixels);
  if (v.knn_pca >= 0) ImGui::BulletText(tr("PCA, k = %d: %.1f %%"), v.knn_k, 100 * v.knn_pca);
  ImGui::Bullet();
  ImGui::TextWrapped(tr("the autoencoder's code, k = %d: %.1f %%"), v.knn_k, 100 * v.knn_code);
}

}  // namespace app
