// stacked_scene.cpp — see stacked_scene.h.
#include "stacked_scene.h"

#include "app/i18n.h"
#include "app/plot.h"
#include "app/theme.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>

namespace app {

namespace {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

constexpr int kAccuracyDigits = 1000;  // test digits measured while training (all 2,000 at the end)

ae::TrainConfig layer_config(const StackedSettings& o) {
  ae::TrainConfig c;
  c.loss.kind = ae::LossKind::binary_cross_entropy;
  c.loss.units = ae::Reduction::mean;
  c.optimizer.kind = ae::OptimizerKind::adam;
  c.optimizer.learning_rate = o.learning_rate;
  c.batch_size = o.batch_size;
  c.regularization.corruption = o.corruption;
  return c;
}

// Layer k's autoencoder on the pixels (k = 0) or on the codes of the layer below (s.layer_input).
// The trainer keeps its own copy of its data, so layer_input is released: the page has 256 MB.
void start_layer(StackedScene& s, const MnistScene& data, int k) {
  s.layer = k;
  s.layer_trainer = ae::layer_autoencoder_trainer(k == 0 ? data.train.x : s.layer_input, s.settings.layers[size_t(k)],
                                                  layer_config(s.settings), uint64_t(s.settings.seed), size_t(k));
  s.layer_input = ae::Matrix<float>();
  s.layer_curves.emplace_back();
}

void measure_accuracy(StackedScene& s, const MnistScene& data, int digits) {
  const int n = std::min(digits, data.test.size());
  const ae::Matrix<float> x = data.test.x.leftCols(n);
  const std::vector<int> labels(data.test.labels.begin(), data.test.labels.begin() + n);
  s.accuracy_steps.push_back(s.pretrained.steps);
  s.accuracy_pretrained.push_back(float(100.0 * ae::classifier_accuracy(s.pretrained.classifier, x, labels)));
  s.accuracy_random.push_back(float(100.0 * ae::classifier_accuracy(s.random.classifier, x, labels)));
  s.last_accuracy_update = now_seconds();
}

// Both classifiers: the same shape, the same softmax layer (same seed), the same labelled digits in
// the same order; only the encoder's starting weights differ (pretrained vs Glorot/He random).
void start_finetuning(StackedScene& s, const MnistScene& data) {
  const StackedSettings& o = s.settings;
  const int n = std::clamp(o.labels, 10, data.train.size());
  const ae::Matrix<float> x = data.train.x.leftCols(n);
  const std::vector<int> y(data.train.labels.begin(), data.train.labels.begin() + n);
  ae::Rng random_init(uint64_t(o.seed) * 7919 + 11);
  const std::vector<ae::DenseLayer<float>> random_layers = ae::random_encoders<float>(784, o.layers, random_init);
  for (auto* t : {&s.pretrained, &s.random}) {
    ae::Rng head(uint64_t(o.seed) * 104729 + 3);
    t->classifier = ae::make_classifier(t == &s.pretrained ? s.encoders : random_layers, 10, head);
    t->optimizer.kind = ae::OptimizerKind::adam;
    t->optimizer.learning_rate = o.learning_rate;
    t->batch_size = o.batch_size;
    t->data = x;
    t->labels = y;
    t->rng.reseed(uint64_t(o.seed) * 31337 + 1);
    t->reset_progress();
  }
  s.stage = StackedScene::Stage::finetuning;
  measure_accuracy(s, data, kAccuracyDigits);
}

void finish_layer(StackedScene& s, const MnistScene& data) {
  s.encoders.push_back(s.layer_trainer.model.layers[0]);
  // The clean codes feed the next layer; encoded 1,000 digits at a time, so the page never holds
  // the whole layer's z and a for 12,000 digits at once (it has 256 MB).
  const ae::Matrix<float>& input = s.layer_trainer.data;
  const Eigen::Index N = input.cols();
  s.layer_input.resize(s.settings.layers[size_t(s.layer)].size, N);
  for (Eigen::Index start = 0; start < N; start += 1000) {
    const Eigen::Index count = std::min<Eigen::Index>(1000, N - start);
    s.layer_input.middleCols(start, count) = ae::encode(s.layer_trainer.model, ae::Matrix<float>(input.middleCols(start, count)));
  }
  if (s.layer + 1 < int(s.settings.layers.size())) start_layer(s, data, s.layer + 1);
  else start_finetuning(s, data);
}

void update_filters(StackedScene& s) {
  filters_texture(s.tex_filters, s.encoders.empty() ? s.layer_trainer.model.layers[0].W : s.encoders[0].W);
  s.last_filter_update = now_seconds();
}

std::string layer_text(const StackedSettings& o, int k) {
  const int n_in = k == 0 ? 784 : o.layers[size_t(k - 1)].size;
  return std::to_string(n_in) + " → " + std::to_string(o.layers[size_t(k)].size) + " → " + std::to_string(n_in);
}

// Accuracy (%) of both classifiers against fine-tuning steps.
void accuracy_plot(const StackedScene& s, ImVec2 size, bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  PlotFrame frame = reserve_plot(size, ImGui::CalcTextSize("100 %").x + 6);
  draw_plot_background(draw, frame, dark);
  // x: fine-tuning steps from 0; y: accuracy from 0 to 100 %.
  frame.x_lo = 0;
  frame.x_hi = float(std::max<long long>(s.accuracy_steps.empty() ? 1 : s.accuracy_steps.back(), 1));
  frame.y_lo = 0;
  frame.y_hi = 100;
  for (int pct = 0; pct <= 100; pct += 20) {
    char label[16];
    std::snprintf(label, sizeof label, "%d %%", pct);
    draw_horizontal_grid_line(draw, frame, float(pct), label, dark);
  }
  struct Series {
    const std::vector<float>* values;
    const char* name;
    ImU32 colour;
  };
  const Series series[] = {
      {&s.accuracy_pretrained, tr("pretrained encoder"), okabe_ito::blue},
      {&s.accuracy_random, tr("random initialisation"), okabe_ito::orange},
  };
  for (const Series& line : series)
    for (size_t i = 1; i < line.values->size(); ++i)
      draw->AddLine(frame.map(float(s.accuracy_steps[i - 1]), (*line.values)[i - 1]),
                    frame.map(float(s.accuracy_steps[i]), (*line.values)[i]), line.colour, 2.5f * scale);
  // Legend, with the last accuracy of each.
  for (size_t k = 0; k < std::size(series); ++k) {
    if (k) ImGui::SameLine(0, 20 * scale);
    legend_swatch(series[k].colour);
    if (series[k].values->empty()) ImGui::TextUnformatted(series[k].name);
    else ImGui::Text("%s %.1f %%", series[k].name, double(series[k].values->back()));
  }
}

}  // namespace

void stacked_reset(StackedScene& s, const MnistScene& data) {
  const StackedSettings settings = s.settings;
  const WidgetRect start = s.start_button;
  texture_destroy(s.tex_filters);
  s = StackedScene();
  s.settings = settings;
  s.start_button = start;
  if (data.status != MnistScene::Status::ready) return;
  try {
    start_layer(s, data, 0);
    s.stage = StackedScene::Stage::pretraining;
    update_filters(s);
  } catch (const ae::Error& e) {
    s.stage = StackedScene::Stage::failed;
    s.error = e.what();
  }
}

void stacked_train_slice(StackedScene& s, const MnistScene& data, double budget_ms) {
  if (data.status != MnistScene::Status::ready) return;
  if (s.stage == StackedScene::Stage::idle) {  // the data just arrived: set up, keep a pending Start
    const bool running = s.running;
    stacked_reset(s, data);
    s.running = running;
  }
  if (!s.running) return;
  const double t0 = now_seconds();
  try {
    while ((now_seconds() - t0) * 1000.0 < budget_ms) {
      if (s.stage == StackedScene::Stage::pretraining) {
        s.layer_trainer.step();
        if (!s.layer_trainer.failure.empty()) {
          char text[512];
          std::snprintf(text, sizeof text, tr("pretraining layer %d: %s"), s.layer + 1, s.layer_trainer.failure.c_str());
          throw ae::Error(text);
        }
        const auto& w = s.layer_trainer.ws;
        s.layer_curves.back().add_batch(w.loss, w.reconstruction, 0.0);
        if (s.layer_trainer.batches.epoch_finished() && s.layer_trainer.epoch + 1 >= s.settings.pretrain_epochs) {
          s.layer_curves.back().add_point(s.layer_trainer.steps, std::nanf(""));
          finish_layer(s, data);
          update_filters(s);
        }
      } else if (s.stage == StackedScene::Stage::finetuning) {
        s.pretrained.step();
        s.random.step();
        if (!s.pretrained.failure.empty()) throw ae::Error(s.pretrained.failure);
        if (!s.random.failure.empty()) throw ae::Error(s.random.failure);
        if (s.pretrained.batches.epoch_finished() && s.pretrained.epoch + 1 >= s.settings.finetune_epochs) {
          measure_accuracy(s, data, data.test.size());  // the final figure on all 2,000 test digits
          s.stage = StackedScene::Stage::done;
          s.running = false;
          update_filters(s);
          break;
        }
      } else {
        s.running = false;
        break;
      }
    }
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc when the page runs out of memory
    s.stage = StackedScene::Stage::failed;
    s.error = e.what();
    s.running = false;
  }
  const double now = now_seconds();
  if (s.stage == StackedScene::Stage::pretraining && now - s.last_curve_update > 0.25) {
    s.layer_curves.back().add_point(s.layer_trainer.steps, std::nanf(""));
    s.last_curve_update = now;
  }
  if (s.stage == StackedScene::Stage::finetuning && now - s.last_accuracy_update > 0.5) measure_accuracy(s, data, kAccuracyDigits);
  if (s.layer == 0 && s.stage == StackedScene::Stage::pretraining && now - s.last_filter_update > 1.5) update_filters(s);
}

void stacked_controls(StackedScene& s, MnistScene& data) {
  StackedSettings& o = s.settings;
  ImGui::TextUnformatted(tr("Stacked (denoising) autoencoder"));
  ImGui::TextDisabled("%s", tr("pretrain layer by layer, then fine-tune a classifier"));
  ImGui::Separator();
  const bool ready = data.status == MnistScene::Status::ready;
  const bool finished = s.stage == StackedScene::Stage::done || s.stage == StackedScene::Stage::failed;
  const float bw = ImGui::GetContentRegionAvail().x / 2.0f - ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginDisabled(!ready || finished);
  if (ImGui::Button(s.running ? tr("Pause##run") : tr("Start##run"), ImVec2(bw, 0))) s.running = !s.running;
  ImGui::EndDisabled();
  s.start_button = last_item_rect();
  ImGui::SameLine();
  bool restart = ImGui::Button(tr("Reset##reset"), ImVec2(bw, 0));
  if (!s.error.empty()) ImGui::TextColored(error_text_colour(), "%s", tr_message(s.error).c_str());

  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("Settings (changes restart)"));
  ImGui::Separator();
  for (size_t k = 0; k < o.layers.size(); ++k) {
    char text[64], label[80];
    std::snprintf(text, sizeof text, tr("layer %d units"), int(k) + 1);
    std::snprintf(label, sizeof label, "%s##layer_units%d", text, int(k));
    restart |= ImGui::SliderInt(label, &o.layers[k].size, 8, 512, "%d", ImGuiSliderFlags_AlwaysClamp);
  }
  ae::Activation activation = o.layers[0].activation;  // one activation for every layer
  if (activation_combo(tr("units σ##units_activation"), activation)) {
    for (auto& l : o.layers) l.activation = activation;
    restart = true;
  }
  float level = float(o.corruption.level);
  if (ImGui::SliderFloat(tr("ν masked (pretraining)##masking_level"), &level, 0.0f, 0.75f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) {
    o.corruption.kind = ae::CorruptionKind::masking;
    o.corruption.level = level;
    restart = true;
  }
  restart |= ImGui::SliderInt(tr("pretraining epochs##pretrain_epochs"), &o.pretrain_epochs, 1, 20, tr("%d / layer"),
                              ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderInt(tr("labels used##labels"), &o.labels, 50, 12000, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderInt(tr("fine-tuning epochs##finetune_epochs"), &o.finetune_epochs, 1, 200, "%d", ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderFloat("η (Adam)", &o.learning_rate, 1e-4f, 1e-1f, "%.2g", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::InputInt(tr("seed##seed"), &o.seed);
  o.seed = std::clamp(o.seed, 0, 1 << 30);
  ImGui::PopItemWidth();
  if (restart && ready) stacked_reset(s, data);
}

void stacked_ui(StackedScene& s, const MnistScene& data, float scale, bool dark) {
  if (data.status == MnistScene::Status::loading || data.status == MnistScene::Status::idle) {
    ImGui::TextUnformatted(tr("Loading MNIST (12,000 training and 2,000 test digits)…"));
    return;
  }
  if (data.status == MnistScene::Status::failed) {
    ImGui::TextColored(error_text_colour(), tr("MNIST could not be loaded: %s"), data.error.c_str());
    return;
  }
  const StackedSettings& o = s.settings;
  const int L = int(o.layers.size());
  // The stages, each with its progress.
  const float stage_w = ImGui::GetContentRegionAvail().x / float(L + 1) - ImGui::GetStyle().ItemSpacing.x;
  for (int k = 0; k <= L; ++k) {
    if (k) ImGui::SameLine();
    ImGui::BeginGroup();
    float progress = 0;
    char title[160], detail[160];
    if (k < L) {
      const bool active = s.stage == StackedScene::Stage::pretraining && s.layer == k;
      const bool finished_layer = int(s.encoders.size()) > k;
      if (finished_layer) progress = 1;
      else if (active) {
        const double steps_per_epoch = std::ceil(double(data.train.size()) / double(std::max(1, o.batch_size)));
        progress = float(double(s.layer_trainer.steps) / (steps_per_epoch * o.pretrain_epochs));
      }
      std::snprintf(title, sizeof title, tr("%d. Pretrain layer %d"), k + 1, k + 1);
      std::snprintf(detail, sizeof detail, o.corruption.active() ? tr("AE %s, denoising") : tr("AE %s, plain"), layer_text(o, k).c_str());
    } else {
      if (s.stage == StackedScene::Stage::done) progress = 1;
      else if (s.stage == StackedScene::Stage::finetuning)
        progress = float(double(s.pretrained.steps) /
                         (std::ceil(double(std::clamp(o.labels, 10, data.train.size())) / double(std::max(1, o.batch_size))) * o.finetune_epochs));
      std::snprintf(title, sizeof title, tr("%d. Fine-tune a classifier"), L + 1);
      std::snprintf(detail, sizeof detail, tr("softmax on top, %d labels"), o.labels);
    }
    ImGui::TextUnformatted(title);
    ImGui::TextDisabled("%s", detail);
    char overlay[32];
    std::snprintf(overlay, sizeof overlay, "%.0f %%", 100.0 * std::min(1.0f, progress));
    ImGui::ProgressBar(std::min(1.0f, progress), ImVec2(stage_w, 0), overlay);
    ImGui::EndGroup();
  }
  ImGui::Separator();

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float half = avail.x * 0.5f - ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginGroup();
  ImGui::TextWrapped("%s", tr("Each layer's autoencoder: reconstruction loss of the layer below (cross-entropy per unit)"));
  CurvesStyle style;  // only the reconstruction is drawn: no penalty, no validation
  style.validation_name = "—";
  for (size_t k = 0; k < s.layer_curves.size(); ++k) {
    ImGui::Text(tr("layer %d (%s)"), int(k) + 1, layer_text(o, int(k)).c_str());
    curves_plot(s.layer_curves[k], style, ImVec2(half, 70 * scale), dark, scale);
  }
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  if (s.tex_filters.id) {
    ImGui::TextWrapped("%s", s.encoders.empty() ? tr("Layer-1 filters (rows of W¹) while pretraining")
                                                : tr("Layer-1 filters (rows of W¹) after pretraining"));
    const float fw = std::min(half, 8 * 29 * 1.2f * scale);
    ImGui::Image(s.tex_filters.imgui_id(), ImVec2(fw, fw * float(s.tex_filters.height) / float(s.tex_filters.width)));
  }
  ImGui::EndGroup();

  ImGui::Separator();
  ImGui::TextWrapped(tr("Test accuracy (%d test digits; all %d at the end) while both classifiers are fine-tuned on the same %d "
                        "labelled digits with the same budget"),
                     kAccuracyDigits, data.test.size(), std::clamp(o.labels, 10, data.train.size()));
  accuracy_plot(s, ImVec2(ImGui::GetContentRegionAvail().x, std::max(80.0f, ImGui::GetContentRegionAvail().y - 3 * ImGui::GetTextLineHeightWithSpacing())),
                dark, scale);
  if (s.stage == StackedScene::Stage::done && !s.accuracy_pretrained.empty())
    ImGui::Text(tr("Result: pretrained %.2f %%, random initialisation %.2f %% (%d epochs each)"), double(s.accuracy_pretrained.back()),
                double(s.accuracy_random.back()), o.finetune_epochs);
}

}  // namespace app
