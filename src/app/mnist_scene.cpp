// mnist_scene.cpp — the MNIST scene (see mnist_scene.h).
#include "mnist_scene.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
#endif

namespace app {

namespace {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

constexpr int kTrainCount = 12000, kTestCount = 2000;

#if defined(__EMSCRIPTEN__)
const char* kFiles[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                         "t10k-labels-idx1-ubyte"};

// The four downloads are in: parse them (the same strict IDX reader the CLI uses).
void finish_loading(MnistScene& s) {
  try {
    const ae::IdxArray train_images = ae::parse_idx(s.downloads[0].data(), s.downloads[0].size(), kFiles[0]);
    const ae::IdxArray train_labels = ae::parse_idx(s.downloads[1].data(), s.downloads[1].size(), kFiles[1]);
    const ae::IdxArray test_images = ae::parse_idx(s.downloads[2].data(), s.downloads[2].size(), kFiles[2]);
    const ae::IdxArray test_labels = ae::parse_idx(s.downloads[3].data(), s.downloads[3].size(), kFiles[3]);
    s.train = ae::dataset_from_idx<float>(train_images, &train_labels, kTrainCount, "MNIST train");
    s.test = ae::dataset_from_idx<float>(test_images, &test_labels, kTestCount, "MNIST test");
    s.downloads.clear();
    s.status = MnistScene::Status::ready;
    mnist_reset(s);
  } catch (const ae::Error& e) {
    s.status = MnistScene::Status::failed;
    s.error = e.what();
  }
}

struct Download {
  MnistScene* scene;
  int index;
};
void on_loaded(void* arg, void* data, int size) {
  Download* d = static_cast<Download*>(arg);
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  d->scene->downloads[size_t(d->index)].assign(bytes, bytes + size);
  if (--d->scene->pending == 0) finish_loading(*d->scene);
  delete d;
}
void on_error(void* arg) {
  Download* d = static_cast<Download*>(arg);
  d->scene->status = MnistScene::Status::failed;
  d->scene->error = std::string("could not download data/") + kFiles[d->index] +
                    " from the server (the build puts it in build/web/site/data)";
  delete d;
}
#endif

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
  s.codes = ae::encode(s.trainer.model, ae::Matrix<float>(s.test.x.leftCols(n)));
  s.plane = to_plane(s.codes);
  s.code_cursor = 0;
  s.last_plane_update = now_seconds();
}

// While training: refresh `chunk` codes per frame, round-robin, so encoding 2,000 digits never
// stalls a frame (it costs ≈ 0.4 GFLOP, tens of milliseconds in the browser).
void refresh_codes(MnistScene& s, int chunk) {
  const int n = int(s.codes.cols());
  if (n == 0 || s.codes.rows() != s.trainer.model.code_size()) {
    update_plane(s);
    return;
  }
  const int count = std::min(chunk, n - s.code_cursor);
  s.codes.middleCols(s.code_cursor, count) =
      ae::encode(s.trainer.model, ae::Matrix<float>(s.test.x.middleCols(s.code_cursor, count)));
  s.code_cursor += count;
  if (s.code_cursor >= n) s.code_cursor = 0;
  s.plane = to_plane(s.codes);
  s.last_plane_update = now_seconds();
}

void add_curve_point(MnistScene& s) {
  s.last_loss_update = now_seconds();
  const int n = std::min<int>(300, s.test.size());
  const float loss = ae::evaluate_loss(s.trainer.model, s.trainer.config.loss, ae::Matrix<float>(s.test.x.leftCols(n)));
  s.curve.push_back({s.trainer.steps, loss});
  if (s.curve.size() > 3000) {
    std::vector<MnistScene::Point> thin;
    for (size_t i = 0; i < s.curve.size(); i += 2) thin.push_back(s.curve[i]);
    s.curve.swap(thin);
  }
}

// Digits side by side into one texture.
void strip_texture(Texture& tex, const std::vector<const float*>& images) {
  const int n = int(images.size());
  std::vector<uint32_t> rgba(size_t(28 * n) * 28, 0xFF000000u);
  for (int i = 0; i < n; ++i) grey_to_rgba(images[size_t(i)], 28, 28, rgba, 28 * n, 28 * i, 0);
  texture_update(tex, rgba, 28 * n, 28);
}

void update_grid(MnistScene& s) {
  if (s.trainer.model.code_size() != 2 || s.plane.cols() == 0) return;
  const int G = 12;
  const ae::Vector<float> lo = s.plane.rowwise().minCoeff(), hi = s.plane.rowwise().maxCoeff();
  ae::Matrix<float> h(2, G * G);
  for (int r = 0; r < G; ++r)
    for (int c = 0; c < G; ++c) {
      h(0, r * G + c) = lo(0) + (hi(0) - lo(0)) * (float(c) + 0.5f) / float(G);
      h(1, r * G + c) = hi(1) - (hi(1) - lo(1)) * (float(r) + 0.5f) / float(G);  // up is +
    }
  const ae::Matrix<float> y = ae::decode(s.trainer.model, h);
  std::vector<uint32_t> rgba(size_t(28 * G) * size_t(28 * G), 0xFF000000u);
  for (int r = 0; r < G; ++r)
    for (int c = 0; c < G; ++c) grey_to_rgba(y.col(r * G + c).data(), 28, 28, rgba, 28 * G, 28 * c, 28 * r);
  texture_update(s.tex_grid, rgba, 28 * G, 28 * G);
  s.last_grid_update = now_seconds();
}

// The first layer's weights as images: row i of W¹ (784 values) is the pattern unit i responds to.
// Each filter is scaled to its own range (grey = 0, white = most positive, black = most negative).
void update_filters(MnistScene& s) {
  const ae::Matrix<float>& W = s.trainer.model.layers[0].W;  // (n_hidden, 784)
  const int n = std::min<int>(64, int(W.rows())), cols = 8, rows = (n + cols - 1) / cols;
  const int tile = 29;  // 28 pixels + a 1-pixel gap
  std::vector<uint32_t> rgba(size_t(cols * tile) * size_t(rows * tile), 0xFF303030u);
  std::vector<float> img(784);
  for (int f = 0; f < n; ++f) {
    const float m = std::max(1e-12f, W.row(f).cwiseAbs().maxCoeff());
    for (int p = 0; p < 784; ++p) img[size_t(p)] = 0.5f + 0.5f * W(f, p) / m;
    grey_to_rgba(img.data(), 28, 28, rgba, cols * tile, (f % cols) * tile, (f / cols) * tile);
  }
  texture_update(s.tex_filters, rgba, cols * tile, rows * tile);
  s.last_filter_update = now_seconds();
}

// PCA with as many components as the code has units, on 3,000 training digits; its error on the
// shown test digits in the scene's loss units (squared error summed over pixels, per digit).
void fit_pca_baseline(MnistScene& s) {
  const int k = s.trainer.model.code_size();
  s.pca_k = k;
  s.pca_loss = -1;
  if (!s.settings.linear || k > 200) return;
  const int n_fit = std::min(3000, s.train.size());
  const ae::Pca pca = ae::fit_pca(ae::Matrix<float>(s.train.x.leftCols(n_fit)), k);
  const int n = std::min<int>(300, s.test.size());
  // Σ(x − x̂)², and the AE's loss is ½Σ(x − y)² per digit: compare like with like.
  s.pca_loss = 0.5 * ae::pca_mean_squared_error(pca, ae::Matrix<float>(s.test.x.leftCols(n)));
}

void update_selection_textures(MnistScene& s) {
  if (s.selected < 0) return;
  const ae::Matrix<float> x = s.test.x.col(s.selected);
  const ae::Matrix<float> y = ae::decode(s.trainer.model, ae::encode(s.trainer.model, x));
  strip_texture(s.tex_selected, {x.data(), y.data()});
  if (s.second < 0) return;
  // Interpolation: code space (decode a blend of the codes) vs pixel space (blend the images).
  const int steps = 9;
  const ae::Matrix<float> x2 = s.test.x.col(s.second);
  const ae::Matrix<float> h1 = ae::encode(s.trainer.model, x), h2 = ae::encode(s.trainer.model, x2);
  ae::Matrix<float> h(h1.rows(), steps), pixels(784, steps);
  for (int i = 0; i < steps; ++i) {
    const float t = float(i) / float(steps - 1);
    h.col(i) = (1 - t) * h1 + t * h2;
    pixels.col(i) = (1 - t) * x + t * x2;
  }
  const ae::Matrix<float> decoded = ae::decode(s.trainer.model, h);
  std::vector<const float*> a, b;
  for (int i = 0; i < steps; ++i) {
    a.push_back(decoded.col(i).data());
    b.push_back(pixels.col(i).data());
  }
  strip_texture(s.tex_code_path, a);
  strip_texture(s.tex_pixel_path, b);
}

void scatter(MnistScene& s, ImVec2 size, float scale, bool dark) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + size.x, p0.y + size.y);
  ImGui::InvisibleButton("##scatter", size);
  const bool hovered = ImGui::IsItemHovered();
  draw->AddRectFilled(p0, p1, dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));
  if (s.plane.cols() == 0) return;
  const ae::Vector<float> lo = s.plane.rowwise().minCoeff(), hi = s.plane.rowwise().maxCoeff();
  const float pad = 10 * scale;
  auto map = [&](float u, float v) {
    const float fx = hi(0) > lo(0) ? (u - lo(0)) / (hi(0) - lo(0)) : 0.5f;
    const float fy = hi(1) > lo(1) ? (v - lo(1)) / (hi(1) - lo(1)) : 0.5f;
    return ImVec2(p0.x + pad + fx * (size.x - 2 * pad), p1.y - pad - fy * (size.y - 2 * pad));
  };
  const float r = 2.2f * scale;
  int nearest = -1;
  float best = 8.0f * scale;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  float cx[10] = {}, cy[10] = {};
  int cn[10] = {};
  for (int i = 0; i < int(s.plane.cols()); ++i) {
    const ImVec2 at = map(s.plane(0, i), s.plane(1, i));
    const int digit = s.test.labels.empty() ? 0 : s.test.labels[size_t(i)];
    draw->AddCircleFilled(at, r, digit_colour(digit, 0.85f), 8);
    cx[digit] += at.x;
    cy[digit] += at.y;
    ++cn[digit];
    if (hovered) {
      const float d = std::hypot(mouse.x - at.x, mouse.y - at.y);
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
  }
  // Each digit's label at its cluster's centre: readable without telling colours apart.
  for (int d = 0; d < 10; ++d) {
    if (!cn[d]) continue;
    char label[12];
    std::snprintf(label, sizeof label, "%d", d);
    const ImVec2 at(cx[d] / float(cn[d]), cy[d] / float(cn[d]));
    const ImVec2 ts = ImGui::CalcTextSize(label);
    draw->AddRectFilled(ImVec2(at.x - ts.x * 0.5f - 3, at.y - ts.y * 0.5f - 1), ImVec2(at.x + ts.x * 0.5f + 3, at.y + ts.y * 0.5f + 1),
                        IM_COL32(0, 0, 0, 170), 3);
    draw->AddText(ImVec2(at.x - ts.x * 0.5f, at.y - ts.y * 0.5f), IM_COL32(255, 255, 255, 255), label);
  }
  for (int which : {s.selected, s.second}) {
    if (which < 0 || which >= int(s.plane.cols())) continue;
    draw->AddCircle(map(s.plane(0, which), s.plane(1, which)), 7 * scale, IM_COL32(255, 230, 60, 255), 16, 2.5f * scale);
  }
  if (s.selected >= 0 && s.second >= 0 && s.selected < int(s.plane.cols()) && s.second < int(s.plane.cols()))
    draw->AddLine(map(s.plane(0, s.selected), s.plane(1, s.selected)), map(s.plane(0, s.second), s.plane(1, s.second)),
                  IM_COL32(255, 230, 60, 200), 2 * scale);
  if (nearest >= 0) {
    ImGui::SetTooltip("test digit #%d, label %d — click: pick; shift-click: second digit for interpolation", nearest,
                      s.test.labels.empty() ? -1 : s.test.labels[size_t(nearest)]);
    if (ImGui::IsItemClicked()) {
      if (ImGui::GetIO().KeyShift && s.selected >= 0) s.second = nearest;
      else {
        s.selected = nearest;
        s.second = -1;
      }
      update_selection_textures(s);
    }
  }
}

void loss_curve(MnistScene& s, ImVec2 size, bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + size.x, p0.y + size.y);
  ImGui::Dummy(size);
  draw->AddRectFilled(p0, p1, dark ? IM_COL32(22, 24, 30, 255) : IM_COL32(250, 250, 250, 255));
  if (s.curve.size() < 2) return;
  float lo = 1e30f, hi = 0;
  for (const auto& p : s.curve) {
    lo = std::min(lo, p.loss);
    hi = std::max(hi, p.loss);
  }
  if (s.pca_loss > 0) lo = std::min(lo, float(s.pca_loss) * 0.95f);
  if (hi <= lo) hi = lo + 1e-6f;
  const float x1 = float(std::max<long long>(s.curve.back().step, 1));
  auto map = [&](float step, float loss) {
    return ImVec2(p0.x + step / x1 * size.x, p1.y - (loss - lo) / (hi - lo) * (size.y - 4) - 2);
  };
  for (size_t i = 1; i < s.curve.size(); ++i)
    draw->AddLine(map(float(s.curve[i - 1].step), s.curve[i - 1].loss), map(float(s.curve[i].step), s.curve[i].loss),
                  dark ? IM_COL32(90, 170, 255, 255) : IM_COL32(20, 90, 200, 255), 2 * scale);
  char text[64];
  if (s.pca_loss > 0) {  // the PCA baseline at the same code size, dashed
    const float y = map(0, float(s.pca_loss)).y;
    for (float x = p0.x; x < p1.x; x += 12 * scale)
      draw->AddLine(ImVec2(x, y), ImVec2(std::min(x + 6 * scale, p1.x), y), IM_COL32(255, 120, 90, 255), 2 * scale);
    std::snprintf(text, sizeof text, "PCA, k = %d: %.3f", s.pca_k, s.pca_loss);
    draw->AddText(ImVec2(p1.x - ImGui::CalcTextSize(text).x - 4, y - ImGui::GetTextLineHeight() - 1), IM_COL32(255, 120, 90, 255), text);
  }
  std::snprintf(text, sizeof text, "%.4f", hi);
  draw->AddText(ImVec2(p0.x + 3, p0.y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
  std::snprintf(text, sizeof text, "%.4f", lo);
  draw->AddText(ImVec2(p0.x + 3, p1.y - ImGui::GetTextLineHeight() - 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
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
#if defined(__EMSCRIPTEN__)
  s.downloads.assign(4, {});
  s.pending = 4;
  for (int i = 0; i < 4; ++i)
    emscripten_async_wget_data((std::string("data/") + kFiles[i]).c_str(), new Download{&s, i}, on_loaded, on_error);
#else
  try {
    s.train = ae::load_mnist<float>("train", kTrainCount);
    s.test = ae::load_mnist<float>("test", kTestCount);
    s.status = MnistScene::Status::ready;
    mnist_reset(s);
  } catch (const ae::Error& e) {
    s.status = MnistScene::Status::failed;
    s.error = e.what();
  }
#endif
}

void mnist_reset(MnistScene& s) {
  if (s.status != MnistScene::Status::ready) return;
  const MnistSettings& o = s.settings;
  ae::Rng rng(uint64_t(o.seed));
  ae::Architecture arch;
  arch.input_size = 784;
  if (o.linear) {
    arch.layers = {{o.code_size, ae::Activation::linear}, {784, ae::Activation::linear}};
    arch.code_layer = 0;
  } else {
    arch.layers = {{o.hidden_size, o.hidden_activation}, {o.code_size, o.code_activation},
                   {o.hidden_size, o.hidden_activation}, {784, ae::Activation::sigmoid}};
    arch.code_layer = 1;
  }
  s.trainer = ae::Trainer<float>();
  s.trainer.model = ae::make_autoencoder<float>(arch, o.linear ? ae::Init::glorot_uniform : ae::Init::he_normal, rng);
  s.trainer.data = s.train.x;
  s.trainer.rng.reseed(uint64_t(o.seed) * 977 + 5);
  if (o.linear) {  // Gaussian decoder: ½Σ(x − y)² per digit, the loss PCA minimises
    s.trainer.config.loss.kind = ae::LossKind::squared_error;
    s.trainer.config.loss.half = true;
    s.trainer.config.loss.units = ae::Reduction::sum;
  } else {         // Bernoulli decoder: cross-entropy per pixel
    s.trainer.config.loss.kind = ae::LossKind::binary_cross_entropy;
    s.trainer.config.loss.units = ae::Reduction::mean;
  }
  s.trainer.config.optimizer.kind = ae::OptimizerKind::adam;
  s.trainer.config.optimizer.learning_rate = o.learning_rate;
  s.trainer.config.batch_size = o.batch_size;
  s.trainer.reset_progress();
  s.running = false;
  s.curve.clear();
  add_curve_point(s);
  update_plane(s);
  update_grid(s);
  update_filters(s);
  update_selection_textures(s);
  fit_pca_baseline(s);
}

bool mnist_train_slice(MnistScene& s) {
  if (!s.running || s.status != MnistScene::Status::ready) return false;
  // Adapt the time slice to the frame rate: shrink it when frames take longer than 1/60 s.
  const float dt = ImGui::GetIO().DeltaTime;
  if (dt > 1.0f / 55.0f) s.train_budget_ms = std::max(2.0, s.train_budget_ms * 0.85);
  else if (dt < 1.0f / 62.0f) s.train_budget_ms = std::min(12.0, s.train_budget_ms + 0.25);
  const double t0 = now_seconds();
  const long long before = s.trainer.steps;
  while ((now_seconds() - t0) * 1000.0 < s.train_budget_ms && s.trainer.failure.empty()) s.trainer.step();
  if (!s.trainer.failure.empty()) s.running = false;
  if (s.trainer.steps == before) return false;
  const double now = now_seconds();
  refresh_codes(s, 100);
  if (now - s.last_loss_update > 1.0) {
    add_curve_point(s);
    update_selection_textures(s);
  }
  if (now - s.last_grid_update > 1.5) update_grid(s);
  if (now - s.last_filter_update > 2.0) update_filters(s);
  return true;
}

void mnist_ui(MnistScene& s, float scale, bool dark, bool) {
  if (s.status == MnistScene::Status::idle) mnist_request_data(s);
  if (s.status == MnistScene::Status::loading) {
    ImGui::Text("Loading MNIST (12,000 training and 2,000 test digits)…");
    return;
  }
  if (s.status == MnistScene::Status::failed) {
    ImGui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "MNIST could not be loaded: %s", s.error.c_str());
    return;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::min(avail.x * 0.55f, avail.y - 4 * ImGui::GetTextLineHeightWithSpacing());
  ImGui::BeginGroup();
  ImGui::Text("Code space of %d test digits (%s), colour = digit", int(s.plane.cols()),
              s.trainer.model.code_size() == 2 ? "the 2-D code" : "PCA projection of the code");
  scatter(s, ImVec2(side, side), scale, dark);
  ImGui::TextDisabled("Click a digit to see its reconstruction; shift-click a second one to interpolate.");
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float right = std::max(100.0f, avail.x - side - ImGui::GetStyle().ItemSpacing.x);
  if (s.tex_grid.id && s.trainer.model.code_size() == 2) {
    ImGui::TextWrapped("Decoder's image of a 12×12 grid over the code plane");
    const float g = std::min(right, side * 0.45f);
    ImGui::Image(s.tex_grid.imgui_id(), ImVec2(g, g));
  }
  if (s.selected >= 0 && s.tex_selected.id) {
    ImGui::TextWrapped("Test digit #%d (label %d): input → reconstruction", s.selected, s.test.labels[size_t(s.selected)]);
    ImGui::Image(s.tex_selected.imgui_id(), ImVec2(112 * scale, 56 * scale));
  }
  if (s.second >= 0 && s.tex_code_path.id) {
    ImGui::Text("Interpolation in code space (decoded):");
    ImGui::Image(s.tex_code_path.imgui_id(), ImVec2(std::min(right, 9 * 36 * scale), std::min(right, 9 * 36 * scale) / 9));
    ImGui::Text("…and in pixel space (blended images):");
    ImGui::Image(s.tex_pixel_path.imgui_id(), ImVec2(std::min(right, 9 * 36 * scale), std::min(right, 9 * 36 * scale) / 9));
  }
  ImGui::TextWrapped(s.settings.linear ? "Test loss (½ squared error per digit, 300 digits)" : "Test loss (BCE per pixel, 300 digits)");
  loss_curve(s, ImVec2(right, 90 * scale), dark, scale);
  if (s.tex_filters.id) {
    ImGui::TextWrapped("Encoder filters: rows of W¹ as images (first %d)", std::min(64, int(s.trainer.model.layers[0].W.rows())));
    const float fw = std::min(right, 8 * 29 * 1.2f * scale);
    ImGui::Image(s.tex_filters.imgui_id(), ImVec2(fw, fw * float(s.tex_filters.height) / float(s.tex_filters.width)));
  }
  ImGui::EndGroup();
}

}  // namespace app
