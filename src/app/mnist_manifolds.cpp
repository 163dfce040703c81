// mnist_manifolds.cpp — why manifolds (the manifold lesson's figure).
//
// 1. The curse of dimensionality: for points uniform in [0, 1]^d, nearest over farthest distance
//    rises toward 1 as d grows (ae::nearest_over_farthest) — in 784 uniform dimensions every point
//    is about equally far. MNIST digits, also 784 numbers, are far from uniform: the same ratio
//    on them stays well below.
// 2. Random 28×28 images (uniform pixels) beside digits: almost none of [0, 1]^784 looks like a digit.
// 3. Nearest neighbours: the fraction of test digits whose nearest training digit has the same
//    label, in pixel space, in PCA's k-dimensional space and in the autoencoder's code (same k).
#include "mnist_scene.h"

#include "i18n.h"
#include "plot.h"
#include "theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

namespace {

constexpr int kKnnQueries = 500, kKnnReference = 3000;

// ρ = nearest / farthest distance from a query digit to the other test digits, mean over 20 queries.
double mnist_contrast(const ae::Matrix<float>& x) {
  const int n = int(std::min<Eigen::Index>(2000, x.cols()));
  const ae::Matrix<float> queries = x.leftCols(20), all = x.leftCols(n);
  const ae::Matrix<float> D = ae::squared_distances<float>(queries, all);
  double total = 0;
  for (int q = 0; q < 20; ++q) {
    float nearest = 1e30f, farthest = 0;
    for (int j = 0; j < n; ++j) {
      if (j == q) continue;  // itself
      nearest = std::min(nearest, D(q, j));
      farthest = std::max(farthest, D(q, j));
    }
    total += std::sqrt(double(nearest) / double(farthest));
  }
  return total / 20;
}

double median_distance(const ae::Matrix<float>& points) {
  const int n = int(std::min<Eigen::Index>(300, points.cols()));
  const ae::Matrix<float> p = points.leftCols(n);
  const ae::Matrix<float> D = ae::squared_distances<float>(p, p);
  std::vector<float> d;
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) d.push_back(std::sqrt(D(i, j)));
  if (d.empty()) return 0;
  std::nth_element(d.begin(), d.begin() + std::ptrdiff_t(d.size() / 2), d.end());
  return double(d[d.size() / 2]);
}

void measure_neighbours(MnistScene& s) {
  ManifoldView& v = s.manifolds;
  const int nq = std::min(kKnnQueries, s.test.size()), nr = std::min(kKnnReference, s.train.size());
  const ae::Matrix<float> queries = s.test.x.leftCols(nq), reference = s.train.x.leftCols(nr);
  const std::vector<int> query_labels(s.test.labels.begin(), s.test.labels.begin() + nq);
  const std::vector<int> reference_labels(s.train.labels.begin(), s.train.labels.begin() + nr);
  v.knn_pixels = ae::nearest_neighbour_agreement<float>(reference, reference_labels, queries, query_labels);
  const int k = s.code_size();
  v.knn_k = k;
  v.knn_pca = -1;
  if (k <= s.pca_fit.k()) {  // PCA with the code's k components
    ae::Pca pca = s.pca_fit;
    pca.components = s.pca_fit.components.leftCols(k);
    const ae::Matrix<float> rq = ae::pca_encode(pca, queries).cast<float>(), rr = ae::pca_encode(pca, reference).cast<float>();
    v.knn_pca = ae::nearest_neighbour_agreement<float>(rr, reference_labels, rq, query_labels);
  }
  v.knn_code = ae::nearest_neighbour_agreement<float>(mnist_encode(s, reference), reference_labels, mnist_encode(s, queries),
                                                      query_labels);
  v.knn_queries = nq;
  v.knn_reference = nr;
  v.knn_steps = s.steps();
}

}  // namespace

void manifold_update(MnistScene& s) {
  ManifoldView& v = s.manifolds;
  if (s.test.size() == 0) return;
  if (v.dimensions.empty()) {  // once: the uniform cube's curve, the digits' ratio, the pictures
    ae::Rng rng(2026);
    for (int d : {1, 2, 3, 5, 10, 20, 50, 100, 200, 400, 784}) {
      v.dimensions.push_back(d);
      v.uniform_ratio.push_back(ae::nearest_over_farthest(d, 200, 20, rng));
    }
    v.mnist_ratio = mnist_contrast(s.test.x);
    v.median_pixel = median_distance(s.test.x);
    ae::Matrix<float> images(784, 16);
    for (int i = 0; i < 8; ++i) {
      for (int p = 0; p < 784; ++p) images(p, i) = float(rng.uniform());
      images.col(8 + i) = s.test.x.col(i);
    }
    digits_texture(v.tex_noise, images, 8, 2);
  }
  v.median_code = median_distance(mnist_encode(s, ae::Matrix<float>(s.test.x.leftCols(std::min(300, s.test.size())))));
}

void manifold_panel(MnistScene& s, float width, float digit, bool dark, float scale) {
  ManifoldView& v = s.manifolds;
  if (v.dimensions.empty()) return;
  ImGui::Separator();
  ImGui::TextWrapped("%s", tr("Nearest over farthest distance from a point to 200 others, uniform in [0, 1]^d (mean of 20 points)"));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  PlotFrame f = reserve_plot(ImVec2(std::min(width, 420 * scale), 110 * scale), ImGui::CalcTextSize("0.0").x + 6, "##contrast");
  f.x_lo = 0;
  f.x_hi = float(std::log10(784.0)) * 1.05f;  // room for the last label and the digits' dot
  f.y_lo = 0;
  f.y_hi = 1;
  draw_plot_background(draw, f, dark);
  for (float y : {0.0f, 0.5f, 1.0f}) {
    char label[8];
    std::snprintf(label, sizeof label, "%.1f", double(y));
    draw_horizontal_grid_line(draw, f, y, label, dark);
  }
  for (size_t i = 0; i < v.dimensions.size(); ++i) {
    const ImVec2 p = f.map(float(std::log10(double(v.dimensions[i]))), float(v.uniform_ratio[i]));
    if (i > 0)
      draw->AddLine(f.map(float(std::log10(double(v.dimensions[i - 1]))), float(v.uniform_ratio[i - 1])), p, okabe_ito::blue, 2 * scale);
    draw->AddCircleFilled(p, 3 * scale, okabe_ito::blue);
    char label[8];
    std::snprintf(label, sizeof label, "%d", v.dimensions[i]);
    if (i % 2 == 0 || i + 1 == v.dimensions.size())
      draw->AddText(ImVec2(p.x - ImGui::CalcTextSize(label).x * 0.5f, f.max.y - ImGui::GetTextLineHeight() - 1), plot_colours(dark).text, label);
  }
  const ImVec2 m = f.map(float(std::log10(784.0)), float(v.mnist_ratio));
  draw->AddCircleFilled(m, 5 * scale, okabe_ito::vermillion);
  legend_swatch(okabe_ito::blue);
  ImGui::TextWrapped(tr("uniform: d = 1: %.3f, d = 784: %.3f"), v.uniform_ratio.front(), v.uniform_ratio.back());
  legend_swatch(okabe_ito::vermillion);
  ImGui::TextWrapped(tr("MNIST digits (784 pixels, 2,000 test digits): %.3f"), v.mnist_ratio);

  ImGui::TextWrapped("%s", tr("Random 28×28 images (uniform pixels) and test digits:"));
  if (v.tex_noise.id) ImGui::Image(v.tex_noise.imgui_id(), ImVec2(8 * digit, 2 * digit));

  if (s.selected >= 0 && s.second >= 0) {
    const ae::Matrix<float> x1 = s.test.x.col(s.selected), x2 = s.test.x.col(s.second);
    const double pixels = double((x1 - x2).norm());
    const double code = double((mnist_encode(s, x1) - mnist_encode(s, x2)).norm());
    ImGui::TextWrapped(tr("Digits #%d (%d) and #%d (%d): distance in pixels %.2f (%.2f × the median), in code space %.3g (%.2f × the median)"),
                       s.selected, s.test.labels[size_t(s.selected)], s.second, s.test.labels[size_t(s.second)], pixels,
                       v.median_pixel > 0 ? pixels / v.median_pixel : 0.0, code, v.median_code > 0 ? code / v.median_code : 0.0);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", tr("Click a digit and shift-click (or press and hold) another: their distance in pixels and in code space."));
    ImGui::PopStyleColor();
  }

  if (ImGui::Button(tr("Measure nearest neighbours: pixels, PCA, code##knn"))) measure_neighbours(s);
  v.knn_button = last_item_rect();
  if (v.knn_pixels < 0) return;
  ImGui::TextWrapped(tr("Test digits whose nearest training digit has the same label (%d test, %d training digits; model at step %lld):"),
                     v.knn_queries, v.knn_reference, v.knn_steps);
  ImGui::BulletText(tr("pixels (784 numbers): %.1f %%"), 100 * v.knn_pixels);
  if (v.knn_pca >= 0) ImGui::BulletText(tr("PCA, k = %d: %.1f %%"), v.knn_k, 100 * v.knn_pca);
  ImGui::Bullet();
  ImGui::TextWrapped(tr("the autoencoder's code, k = %d: %.1f %%"), v.knn_k, 100 * v.knn_code);
}

}  // namespace app
