// stacked_scene.cpp — see stacked_scene.h.
#include "stacked_scene.h"

#include "app/i18n.h"
#include "app/training_thread.h"
#include "app/layout.h"
#include "app/plot.h"
#include "app/theme.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <iterator>
#include <memory>
#include <string>

namespace app {

namespace {

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
  ++s.edits;
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
  ++s.edits;
  const StackedSettings& o = s.settings;
  const int n = std::clamp(o.labels, 10, data.train.size());
  const ae::Matrix<float> x = data.train.x.leftCols(n);
  const std::vector<int> y(data.train.labels.begin(), data.train.labels.begin() + n);
  ae::Rng random_init(uint64_t(o.seed) * 7919 + 11);
  const std::vector<ae::DenseLayer<float>> random_layers = ae::random_encoders<float>(784, o.layers, random_init);
  for (auto* t : {&s.pretrained, &s.random}) {
    ae::Rng head(uint64_t(o.seed) * 104729 + 3);
    t->classifier = ae::make_classifier(t == &s.pretrained ? s.encoders : random_layers, 10, head);
    t->optimizer.kind = o.finetune_optimizer;
    t->optimizer.learning_rate = o.finetune_learning_rate;
    t->batch_size = o.finetune_batch_size;
    t->data = x;
    t->labels = y;
    t->rng.reseed(uint64_t(o.seed) * 31337 + 1);
    t->reset_progress();
  }
  s.stage = StackedScene::Stage::finetuning;
  measure_accuracy(s, data, kAccuracyDigits);
}

// Test cross-entropy per pixel of a deep autoencoder on all test digits.
double test_reconstruction_loss(const ae::Trainer<float>& t, const MnistScene& data) {
  return double(ae::evaluate_loss(t.model, t.config.loss, data.test.x));
}

// The texture under the unrolled stage: 8 test digits, then the pretrained deep autoencoder's
// reconstructions (after pretraining alone; then after end-to-end training), then the random one's.
constexpr int kShownDigits = 8;
void show_unrolled(StackedScene& s, const MnistScene& data, int row) {
  if (s.unrolled_shown.cols() == 0) {
    s.unrolled_shown = ae::Matrix<float>::Zero(784, 4 * kShownDigits);
    s.unrolled_shown.leftCols(kShownDigits) = data.test.x.leftCols(kShownDigits);
  }
  const ae::Trainer<float>& t = row == 3 ? s.unrolled_random : s.unrolled_pretrained;
  const ae::Matrix<float> x = data.test.x.leftCols(kShownDigits);
  s.unrolled_shown.middleCols(row * kShownDigits, kShownDigits) = ae::decode(t.model, ae::encode(t.model, x));
  digits_texture(s.tex_unrolled, s.unrolled_shown, kShownDigits, 4);
}

// The unrolled deep autoencoder's shape: the pretrained layers up to the code (the last one), the
// decoder mirrored, a sigmoid output.
NetworkSpec unrolled_network(const StackedSettings& o) {
  NetworkSpec net;
  net.encoder_hidden.assign(o.layers.begin(), o.layers.end() - 1);
  net.code_size = o.layers.back().size;
  net.code_activation = o.layers.back().activation;
  net.output_activation = ae::Activation::sigmoid;
  return net;
}

// (a) The pretrained layers unrolled into one deep autoencoder, and the same shape from random
// weights (Glorot / He), both to be trained end to end on the clean digits with the pretraining's
// optimizer and budget per epoch.
void start_unrolled(StackedScene& s, const MnistScene& data) {
  ++s.edits;
  const StackedSettings& o = s.settings;
  ae::LayerwiseResult<float> stack;
  stack.encoders = s.encoders;
  stack.decoders = s.decoders;
  const ae::Architecture random_shape = architecture_for(unrolled_network(o), 784);
  const bool relu = o.layers[0].activation == ae::Activation::relu || o.layers[0].activation == ae::Activation::leaky_relu;
  ae::Rng random_init(uint64_t(o.seed) * 7919 + 13);
  for (int i = 0; i < 2; ++i) {
    ae::Trainer<float>& t = i == 0 ? s.unrolled_pretrained : s.unrolled_random;
    t.model = i == 0 ? ae::unroll(stack)
                     : ae::make_autoencoder<float>(random_shape, relu ? ae::Init::he_normal : ae::Init::glorot_uniform, random_init);
    t.data = data.train.x;
    t.config = layer_config(o);
    t.config.regularization = ae::Regularization{};  // the whole network reconstructs the clean digits
    t.rng.reseed(uint64_t(o.seed) * 17 + 3);
    t.reset_progress();
    s.unrolled_loss_start[i] = test_reconstruction_loss(t, data);
  }
  show_unrolled(s, data, 1);
  s.stage = StackedScene::Stage::unrolled;
}

void finish_unrolled(StackedScene& s, const MnistScene& data) {
  s.unrolled_loss_end[0] = test_reconstruction_loss(s.unrolled_pretrained, data);
  s.unrolled_loss_end[1] = test_reconstruction_loss(s.unrolled_random, data);
  show_unrolled(s, data, 2);
  show_unrolled(s, data, 3);
  // Their copies of the 12,000 digits go: the page has 256 MB.
  s.unrolled_pretrained.data = ae::Matrix<float>();
  s.unrolled_random.data = ae::Matrix<float>();
  start_finetuning(s, data);
}

void finish_layer(StackedScene& s, const MnistScene& data) {
  s.encoders.push_back(s.layer_trainer.model.layers[0]);
  s.decoders.push_back(s.layer_trainer.model.layers[1]);
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
  else if (s.settings.unrolled_epochs > 0) start_unrolled(s, data);
  else start_finetuning(s, data);
}

// The run is over: its point goes into the figure (replacing one at the same ν), and a sweep
// goes on with its next level.
void finish_run(StackedScene& s, const MnistScene& data) {
  measure_accuracy(s, data, data.test.size());  // the final figure on all 2,000 test digits
  s.stage = StackedScene::Stage::done;
  s.running = false;
  const StackedScene::CorruptionRun run{s.settings.corruption.active() ? s.settings.corruption.level : 0.0,
                                        100.0f - s.accuracy_pretrained.back(), 100.0f - s.accuracy_random.back()};
  s.runs.erase(std::remove_if(s.runs.begin(), s.runs.end(),
                              [&](const StackedScene::CorruptionRun& r) { return std::abs(r.level - run.level) < 1e-6; }),
               s.runs.end());
  s.runs.push_back(run);
  std::sort(s.runs.begin(), s.runs.end(), [](const auto& a, const auto& b) { return a.level < b.level; });
  if (s.sweep_levels.empty()) return;
  std::vector<double> rest = s.sweep_levels;
  s.settings.corruption = {ae::CorruptionKind::masking, rest.front()};
  rest.erase(rest.begin());
  stacked_reset(s, data, /*keep_figure=*/true);
  s.sweep_levels = rest;
  s.running = s.stage == StackedScene::Stage::pretraining;
}

void update_filters(StackedScene& s) {
  filters_texture(s.tex_filters, s.encoders.empty() ? s.layer_trainer.model.layers[0].W : s.encoders[0].W);
  s.last_filter_update = now_seconds();
}

std::string layer_text(const StackedSettings& o, int k) {
  const int n_in = k == 0 ? 784 : o.layers[size_t(k - 1)].size;
  return std::to_string(n_in) + " → " + std::to_string(o.layers[size_t(k)].size) + " → " + std::to_string(n_in);
}

// A bullet whose text wraps at the window's edge (ImGui::BulletText does not wrap).
void bullet_wrapped(const char* format, ...) IM_FMTARGS(1);
void bullet_wrapped(const char* format, ...) {
  char text[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  ImGui::Bullet();
  ImGui::BeginGroup();
  text_wrapped_at_spaces(text);  // never inside a number such as "0.2366"
  ImGui::EndGroup();
}

// A legend of coloured entries on one line, continued on the next where the window is too narrow.
void legend_entry(size_t k, ImU32 colour, const char* text, float gap) {
  if (k) {
    ImGui::SameLine(0, gap);
    if (ImGui::GetContentRegionAvail().x < ImGui::GetTextLineHeight() * 1.2f + ImGui::CalcTextSize(text).x) ImGui::NewLine();
  }
  legend_swatch(colour);
  ImGui::TextUnformatted(text);
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
    char text[160];
    if (series[k].values->empty()) std::snprintf(text, sizeof text, "%s", series[k].name);
    else std::snprintf(text, sizeof text, "%s %.1f %%", series[k].name, double(series[k].values->back()));
    legend_entry(k, series[k].colour, text, 20 * scale);
  }
}

// Test error (%) of both classifiers against ν, one point per finished run, each labelled. The
// random-initialisation classifier never sees the pretrained weights, so its line is flat.
void corruption_figure(const StackedScene& s, ImVec2 size, bool dark, float scale) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const PlotColours colours = plot_colours(dark);
  const float text_h = ImGui::GetTextLineHeight();
  PlotFrame frame = reserve_plot(size, ImGui::CalcTextSize("100 %").x + 6);
  frame.max.y -= text_h + 4;  // the ν labels go under the data area
  frame.min.x += 6 * scale;
  frame.max.x -= 6 * scale;
  draw_plot_background(draw, frame, dark);
  float highest = 10;
  for (const auto& r : s.runs) highest = std::max({highest, r.error_pretrained, r.error_random});
  const int grid = highest > 50 ? 20 : 10;
  frame.x_lo = -0.03f;
  frame.x_hi = 0.78f;  // the ν slider goes to 0.75
  frame.y_lo = 0;
  frame.y_hi = float(grid * int(std::ceil((highest + 3) / float(grid))));
  for (int pct = 0; pct <= int(frame.y_hi); pct += grid) {
    char label[16];
    std::snprintf(label, sizeof label, "%d %%", pct);
    draw_horizontal_grid_line(draw, frame, float(pct), label, dark);
  }
  std::vector<double> ticks(std::begin(kSweepLevels), std::end(kSweepLevels));
  for (const auto& r : s.runs) ticks.push_back(r.level);
  std::sort(ticks.begin(), ticks.end());
  float free_from = -1e9f;  // where the last label ended: a label that would overlap it is left out
  for (double v : ticks) {
    char label[16];
    std::snprintf(label, sizeof label, "%.0f %%", 100 * v);
    const ImVec2 at = frame.map(float(v), frame.y_lo);
    const float w = ImGui::CalcTextSize(label).x;
    draw->AddLine(at, ImVec2(at.x, at.y + 3), colours.frame);
    if (at.x - w * 0.5f < free_from) continue;
    draw->AddText(ImVec2(at.x - w * 0.5f, at.y + 3), colours.text, label);
    free_from = at.x + w * 0.5f + 4 * scale;
  }
  struct Series {
    float StackedScene::CorruptionRun::*error;
    const char* name;
    ImU32 colour;
  };
  const Series series[] = {
      {&StackedScene::CorruptionRun::error_pretrained, tr("pretrained encoder"), okabe_ito::blue},
      {&StackedScene::CorruptionRun::error_random, tr("random initialisation"), okabe_ito::orange},
  };
  for (const Series& line : series) {
    for (size_t i = 0; i < s.runs.size(); ++i) {
      const ImVec2 p = frame.map(float(s.runs[i].level), s.runs[i].*line.error);
      if (i) draw->AddLine(frame.map(float(s.runs[i - 1].level), s.runs[i - 1].*line.error), p, line.colour, 2.0f * scale);
      draw->AddCircleFilled(p, 4.0f * scale, line.colour);
      if (line.error == &StackedScene::CorruptionRun::error_random && i + 1 < s.runs.size()) continue;  // flat: labelled once
      char label[16];
      std::snprintf(label, sizeof label, "%.1f", double(s.runs[i].*line.error));
      const bool below = line.error == &StackedScene::CorruptionRun::error_random;  // apart from the other's labels
      draw->AddText(ImVec2(p.x + 5 * scale, below ? p.y + 1 : p.y - text_h - 1), colours.text, label);
    }
  }
  for (size_t k = 0; k < std::size(series); ++k) legend_entry(k, series[k].colour, series[k].name, 20 * scale);
  if (s.runs.empty()) {
    const char* hint = tr("no finished run yet: press Start, or Sweep");
    const float wrap = frame.width() - 12 * scale;
    const ImVec2 size = ImGui::CalcTextSize(hint, nullptr, false, wrap);
    const ImVec2 at((frame.min.x + frame.max.x - size.x) * 0.5f, (frame.min.y + frame.max.y - size.y) * 0.5f);
    draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at, colours.text, hint, nullptr, wrap);
  }
}

}  // namespace

void stacked_reset(StackedScene& s, const MnistScene& data, bool keep_figure) {
  const StackedSettings settings = s.settings;
  const WidgetRect start = s.start_button, sweep = s.sweep_button;
  const long long edits = s.edits;
  std::vector<StackedScene::CorruptionRun> runs;
  if (keep_figure) runs = std::move(s.runs);
  texture_destroy(s.tex_filters);
  texture_destroy(s.tex_unrolled);
  s = StackedScene();
  s.edits = edits + 1;  // a training thread's copy takes the new run
  s.settings = settings;
  s.start_button = start;
  s.sweep_button = sweep;
  s.runs = std::move(runs);
  if (data.status != MnistScene::Status::ready) return;
  try {
    require_page_memory(stacked_scene_memory(s.settings), tr("This stack of autoencoders"));  // before anything is allocated
    start_layer(s, data, 0);
    s.stage = StackedScene::Stage::pretraining;
    update_filters(s);
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    s.stage = StackedScene::Stage::failed;
    s.error = failure_text(e);
  }
}

// ---- Training: the steps of a stage, and what follows them ------------------------------------

namespace {

bool training_stage(StackedScene::Stage stage) {
  return stage == StackedScene::Stage::pretraining || stage == StackedScene::Stage::unrolled ||
         stage == StackedScene::Stage::finetuning;
}

}  // namespace

// What a step of the stacked scene changes in its stage: the stage's trainers, the current layer's
// curves, and what an exception out of a step said. The scene's own (slices), or the copy a
// TrainingThread trains (StackedCopy).
struct StackedRun {
  StackedScene::Stage stage;
  int layer;
  const StackedSettings& settings;
  ae::Trainer<float>& layer_trainer;
  TrainingCurves* layer_curves;  // the current layer's while pretraining, else none
  ae::Trainer<float>& unrolled_pretrained;
  ae::Trainer<float>& unrolled_random;
  ae::ClassifierTrainer<float>& pretrained;
  ae::ClassifierTrainer<float>& random;
  std::string& error;

  // The stage's last epoch is done: the next stage starts, holding the App (follow_training).
  bool stage_ended() const {
    switch (stage) {
      case StackedScene::Stage::pretraining:
        return layer_trainer.epoch_finished() && layer_trainer.epoch + 1 >= settings.pretrain_epochs;
      case StackedScene::Stage::unrolled:
        return unrolled_pretrained.epoch_finished() && unrolled_pretrained.epoch + 1 >= settings.unrolled_epochs;
      case StackedScene::Stage::finetuning:
        return pretrained.batches.epoch_finished() && pretrained.epoch + 1 >= settings.finetune_epochs;
      default: return true;
    }
  }

  // Why the stage cannot go on (a loss became NaN/Inf, or a step threw); empty while it can.
  std::string failure() const {
    if (!error.empty()) return error;
    char text[512];
    switch (stage) {
      case StackedScene::Stage::pretraining:
        if (layer_trainer.failure.empty()) return {};
        std::snprintf(text, sizeof text, tr("pretraining layer %d: %s"), layer + 1, layer_trainer.failure.c_str());
        return text;
      case StackedScene::Stage::unrolled:
        for (const ae::Trainer<float>* t : {&unrolled_pretrained, &unrolled_random})
          if (!t->failure.empty()) {
            std::snprintf(text, sizeof text, tr("unrolled autoencoder: %s"), t->failure.c_str());
            return text;
          }
        return {};
      case StackedScene::Stage::finetuning:
        return !pretrained.failure.empty() ? pretrained.failure : random.failure;
      default: return {};
    }
  }
};

namespace {

StackedRun scene_run(StackedScene& s) {
  TrainingCurves* curves = s.stage == StackedScene::Stage::pretraining && !s.layer_curves.empty() ? &s.layer_curves.back() : nullptr;
  return {s.stage,           s.layer,           s.settings, s.layer_trainer, curves, s.unrolled_pretrained,
          s.unrolled_random, s.pretrained,      s.random,   s.error};
}

// Steps of the stage until `budget_ms` has passed, the stage has ended or a step failed. Returns
// whether a step was taken.
bool stacked_steps_for(const StackedRun& run, double budget_ms) {
  const double t0 = now_seconds();
  bool stepped = false;
  try {
    while ((now_seconds() - t0) * 1000.0 < budget_ms && !run.stage_ended() && run.failure().empty()) {
      if (run.stage == StackedScene::Stage::pretraining) {
        run.layer_trainer.step();
        const auto& w = run.layer_trainer.ws;
        if (run.layer_trainer.failure.empty() && run.layer_curves) run.layer_curves->add_batch(w.loss, w.reconstruction, 0.0);
      } else if (run.stage == StackedScene::Stage::unrolled) {
        run.unrolled_pretrained.step();
        run.unrolled_random.step();
      } else {
        run.pretrained.step();
        run.random.step();
      }
      stepped = true;
    }
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc when the page runs out of memory
    run.error = failure_text(e);
  }
  return stepped;
}

// Holding the App, after steps: a failed step stops the run with its message; an ended stage
// starts the next (the codes for the next layer, the unrolled autoencoders, the classifiers, the
// figure's point); and the curves' points, the test accuracy and the filters follow at their rates.
void follow_training(StackedScene& s, const MnistScene& data) {
  if (!training_stage(s.stage)) {
    s.running = false;
    return;
  }
  const StackedRun run = scene_run(s);
  if (const std::string why = run.failure(); !why.empty()) {
    s.stage = StackedScene::Stage::failed;
    s.error = why;
    s.running = false;
    return;
  }
  try {
    if (run.stage_ended()) {
      if (s.stage == StackedScene::Stage::pretraining) {
        s.layer_curves.back().add_point(s.layer_trainer.steps, std::nanf(""));
        finish_layer(s, data);
        update_filters(s);
      } else if (s.stage == StackedScene::Stage::unrolled) {
        finish_unrolled(s, data);
      } else {
        update_filters(s);
        finish_run(s, data);
      }
    }
  } catch (const std::exception& e) {
    s.stage = StackedScene::Stage::failed;
    s.error = failure_text(e);
    s.running = false;
    return;
  }
  const double now = now_seconds();
  if (s.stage == StackedScene::Stage::pretraining && now - s.last_curve_update > 0.25) {
    s.layer_curves.back().add_point(s.layer_trainer.steps, std::nanf(""));
    s.last_curve_update = now;
  }
  if (s.stage == StackedScene::Stage::finetuning && now - s.last_accuracy_update > 0.5) measure_accuracy(s, data, kAccuracyDigits);
  if (s.layer == 0 && s.stage == StackedScene::Stage::pretraining && now - s.last_filter_update > 1.5) update_filters(s);
}

// The scene not yet set up when its data arrived: set up now, keeping a pending Start.
void set_up_when_the_data_are_in(StackedScene& s, const MnistScene& data) {
  if (s.stage != StackedScene::Stage::idle) return;
  const bool running = s.running;
  stacked_reset(s, data);
  s.running = running;
}

}  // namespace

bool stacked_train_slice(StackedScene& s, const MnistScene& data, double budget_ms) {
  if (data.status != MnistScene::Status::ready) return false;
  set_up_when_the_data_are_in(s, data);
  if (!s.running) return false;
  const bool stepped = stacked_steps_for(scene_run(s), budget_ms);
  follow_training(s, data);
  return stepped;
}

// ---- Training on a thread, as a copy of its own (as the toy and MNIST scenes do) ----------------

namespace {

// `f(scene's trainer, copy's trainer)` for each trainer of the stage.
template <typename Copy, typename F>
void for_each_stage_trainer(StackedScene& s, Copy& c, F f) {
  switch (c.stage) {
    case StackedScene::Stage::pretraining: f(s.layer_trainer, c.layer_trainer); break;
    case StackedScene::Stage::unrolled:
      f(s.unrolled_pretrained, c.unrolled_pretrained);
      f(s.unrolled_random, c.unrolled_random);
      break;
    case StackedScene::Stage::finetuning:
      f(s.pretrained, c.pretrained);
      f(s.random, c.random);
      break;
    default: break;
  }
}

}  // namespace

struct StackedCopy {
  StackedScene::Stage stage = StackedScene::Stage::idle;
  int layer = 0;
  StackedSettings settings;
  ae::Trainer<float> layer_trainer;
  TrainingCurves layer_curves;  // the current layer's
  ae::Trainer<float> unrolled_pretrained, unrolled_random;
  ae::ClassifierTrainer<float> pretrained, random;
  std::string error;
  long long edits = -1;  // the scene's edits when the copy was taken; −1: none taken
  StackedRun run() {
    return {stage, layer, settings, layer_trainer, &layer_curves, unrolled_pretrained, unrolled_random, pretrained, random, error};
  }

  // sync_scene_copy's three cases.
  // The copy ends. The training data, moved into the copy, go back to the scene where it still has
  // the same trainers.
  void drop(StackedScene& s) {
    if (edits >= 0 && edits == s.edits)
      for_each_stage_trainer(s, *this, [](auto& scene, auto& copy) { scene.data = std::move(copy.data); });
    *this = StackedCopy();
  }
  // The copy takes the stage's trainers. Their data (37 MB each for the unrolled autoencoders) move
  // into the copy rather than being copied: the page has 256 MB.
  void take(StackedScene& s) {
    stage = s.stage;
    layer = s.layer;
    settings = s.settings;
    for_each_stage_trainer(s, *this, [](auto& scene, auto& copy) {
      copy_training_state(scene, copy);
      copy.data = std::move(scene.data);
    });
    if (stage == StackedScene::Stage::pretraining) layer_curves = s.layer_curves.back();
    edits = s.edits;
  }
  // The scene takes the copy's progress: the stage's models, optimizers, random states and steps,
  // the layer's curves, and what a step that threw said (the scene has no live settings: each
  // restarts the run). Then what follows steps is done on it (follow_training). Where the stage
  // ended or a step failed, the copy is dropped first (the next stage reads the last one's data),
  // and a next stage is taken at once.
  bool give(StackedScene& s, const MnistScene& data) {
    for_each_stage_trainer(s, *this, [](auto& scene, auto& copy) { copy_training_state(copy, scene); });
    if (stage == StackedScene::Stage::pretraining) s.layer_curves.back() = layer_curves;
    if (!error.empty()) s.error = error;
    const StackedRun given = scene_run(s);
    if (given.stage_ended() || !given.failure().empty()) {
      drop(s);
      follow_training(s, data);
      if (!s.running || !training_stage(s.stage)) return false;
      take(s);
      return true;
    }
    const double last_point = s.last_curve_update;
    follow_training(s, data);
    if (s.last_curve_update != last_point) layer_curves = s.layer_curves.back();  // the point, and the sums it closed
    return true;
  }
};

std::shared_ptr<StackedCopy> stacked_make_copy() { return std::make_shared<StackedCopy>(); }

bool stacked_copy_sync(StackedScene& s, const MnistScene& data, bool shown, StackedCopy& c) {
  const bool trains = shown && data.status == MnistScene::Status::ready && s.running && training_stage(s.stage) && s.error.empty();
  return sync_scene_copy(s, c, trains, s.edits, data);
}

bool stacked_copy_train(StackedCopy& c, double budget_ms) { return stacked_steps_for(c.run(), budget_ms); }

void stacked_controls(StackedScene& s, MnistScene& data) {
  StackedSettings& o = s.settings;
  ImGui::TextUnformatted(tr("Stacked (denoising) autoencoder"));
  ImGui::TextDisabled("%s", tr("pretrain layer by layer, then fine-tune"));
  ImGui::Separator();
  const bool ready = data.status == MnistScene::Status::ready;
  const bool finished = s.stage == StackedScene::Stage::done || s.stage == StackedScene::Stage::failed;
  const float bw = ImGui::GetContentRegionAvail().x / 2.0f - ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginDisabled(!ready || finished);
  if (ImGui::Button(s.running ? tr("Pause##run") : tr("Start##run"), ImVec2(bw, 0))) s.running = !s.running;
  ImGui::EndDisabled();
  s.start_button = last_item_rect();
  ImGui::SameLine();
  // Every setting restarts the run and clears the figure; Reset and ν keep it (its points differ
  // in ν alone).
  bool restart = false;
  bool restart_keeping_figure = ImGui::Button(tr("Reset##reset"), ImVec2(bw, 0));
  // The seed's figure: the same run at ν = 0, 10, 20 and 50 %, one after the other.
  ImGui::BeginDisabled(!ready);
  bool sweep = false;
  if (s.sweep_levels.empty()) sweep = ImGui::Button(tr("Sweep ν: 0, 0.1, 0.2, 0.5##sweep"), ImVec2(-1, 0));
  else if (ImGui::Button(tr("Stop the sweep after this run##sweep"), ImVec2(-1, 0))) s.sweep_levels.clear();
  s.sweep_button = last_item_rect();
  ImGui::EndDisabled();
  if (sweep) {
    o.corruption = {ae::CorruptionKind::masking, kSweepLevels[0]};
    stacked_reset(s, data);
    s.sweep_levels.assign(std::begin(kSweepLevels) + 1, std::end(kSweepLevels));
    s.running = s.stage == StackedScene::Stage::pretraining;
  }
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_text_colour());
    ImGui::TextWrapped("%s", tr_message(s.error).c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("Pretraining (no labels)"));
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
  if (ImGui::SliderFloat(tr("ν masked##masking_level"), &level, 0.0f, 0.75f, "%.2f", ImGuiSliderFlags_AlwaysClamp)) {
    o.corruption.kind = ae::CorruptionKind::masking;
    o.corruption.level = level;
    restart_keeping_figure = true;
  }
  restart |= ImGui::SliderInt(tr("pretraining epochs##pretrain_epochs"), &o.pretrain_epochs, 1, 20, tr("%d / layer"),
                              ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderFloat("η (Adam)##pretrain_eta", &o.learning_rate, 1e-4f, 1e-1f, "%.2g",
                                ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderInt(tr("unrolled AE epochs##unrolled_epochs"), &o.unrolled_epochs, 0, 10, "%d", ImGuiSliderFlags_AlwaysClamp);

  ImGui::Spacing();
  ImGui::TextUnformatted(tr("Classifier (labels)"));
  ImGui::Separator();
  restart |= ImGui::SliderInt(tr("labels used##labels"), &o.labels, 50, 12000, "%d", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderInt(tr("fine-tuning epochs##finetune_epochs"), &o.finetune_epochs, 1, 200, "%d", ImGuiSliderFlags_AlwaysClamp);
  restart |= optimizer_combo(tr("optimizer##finetune_optimizer"), o.finetune_optimizer);
  restart |= ImGui::SliderFloat("η##finetune_eta", &o.finetune_learning_rate, 1e-4f, 1.0f, "%.2g",
                                ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::SliderInt(tr("batch size M##finetune_batch"), &o.finetune_batch_size, 1, 256, "%d",
                              ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  restart |= ImGui::InputInt(tr("seed##seed"), &o.seed);
  o.seed = std::clamp(o.seed, 0, 1 << 30);
  ImGui::PopItemWidth();
  if (ready && (restart || restart_keeping_figure)) stacked_reset(s, data, /*keep_figure=*/!restart);
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
  const bool unrolling = o.unrolled_epochs > 0;
  const int labelled = std::clamp(o.labels, 10, data.train.size());
  // The stages, each with its progress: pretrain layer 1 … L, [the unrolled autoencoder], classify.
  const int stages = L + (unrolling ? 2 : 1);
  // On a narrow window (a phone) the stages take rows of three, and the two columns below (what
  // pretraining did; the classifiers) follow each other in the window, which scrolls.
  const bool one_column = ImGui::GetContentRegionAvail().x < 560 * scale;
  const int per_row = one_column ? std::min(stages, 3) : stages;
  const float stage_w = ImGui::GetContentRegionAvail().x / float(per_row) - ImGui::GetStyle().ItemSpacing.x;
  const auto steps_per_epoch = [](int n, int batch) { return std::ceil(double(n) / double(std::max(1, batch))); };
  for (int k = 0; k < stages; ++k) {
    if (k % per_row) ImGui::SameLine();
    ImGui::BeginGroup();
    float progress = 0;
    char title[160], detail[160];
    if (k < L) {
      const bool active = s.stage == StackedScene::Stage::pretraining && s.layer == k;
      if (int(s.encoders.size()) > k) progress = 1;
      else if (active) progress = float(double(s.layer_trainer.steps) / (steps_per_epoch(data.train.size(), o.batch_size) * o.pretrain_epochs));
      std::snprintf(title, sizeof title, tr("%d. Pretrain layer %d"), k + 1, k + 1);
      std::snprintf(detail, sizeof detail, o.corruption.active() ? tr("AE %s, denoising") : tr("AE %s, plain"), layer_text(o, k).c_str());
    } else if (k == L && unrolling) {
      if (s.stage == StackedScene::Stage::unrolled)
        progress = float(double(s.unrolled_pretrained.steps) / (steps_per_epoch(data.train.size(), o.batch_size) * o.unrolled_epochs));
      else if (s.stage == StackedScene::Stage::finetuning || s.stage == StackedScene::Stage::done) progress = 1;
      std::snprintf(title, sizeof title, tr("%d. Unroll, train end to end"), k + 1);
      std::snprintf(detail, sizeof detail, tr("deep AE, epochs: %d"), o.unrolled_epochs);
    } else {
      if (s.stage == StackedScene::Stage::done) progress = 1;
      else if (s.stage == StackedScene::Stage::finetuning)
        progress = float(double(s.pretrained.steps) / (steps_per_epoch(labelled, o.finetune_batch_size) * o.finetune_epochs));
      std::snprintf(title, sizeof title, tr("%d. Fine-tune a classifier"), k + 1);
      std::snprintf(detail, sizeof detail, tr("softmax on top, %d labels"), labelled);
    }
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + stage_w);
    ImGui::TextUnformatted(title);
    ImGui::TextDisabled("%s", detail);
    ImGui::PopTextWrapPos();
    char overlay[32];
    std::snprintf(overlay, sizeof overlay, "%.0f %%", 100.0 * std::min(1.0f, progress));
    ImGui::ProgressBar(std::min(1.0f, progress), ImVec2(stage_w, 0), overlay);
    ImGui::EndGroup();
  }
  ImGui::Separator();

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float half = one_column ? avail.x : avail.x * 0.5f - ImGui::GetStyle().ItemSpacing.x;
  // Left: what pretraining and unrolling did.
  if (!one_column) ImGui::BeginChild("stacked_left", ImVec2(half, avail.y), false);
  ImGui::TextWrapped("%s", tr("Each layer's autoencoder: reconstruction loss of the layer below (cross-entropy per unit)"));
  // The layer being trained as a curve; the finished ones as their last value.
  for (size_t k = 0; k < s.layer_curves.size(); ++k) {
    const bool training = s.stage == StackedScene::Stage::pretraining && int(k) == s.layer;
    float last = NAN;
    for (float v : s.layer_curves[k].reconstruction)
      if (std::isfinite(v)) last = v;
    if (!training) {
      bullet_wrapped(tr("layer %d (%s): C %.4f"), int(k) + 1, layer_text(o, int(k)).c_str(), double(last));
      continue;
    }
    ImGui::Text(tr("layer %d (%s)"), int(k) + 1, layer_text(o, int(k)).c_str());
    CurvesStyle style;  // only the reconstruction is drawn: no penalty, no validation
    style.validation_name = "—";
    curves_plot(s.layer_curves[k], style, ImVec2(half, 60 * scale), dark, scale);
  }
  ImGui::Spacing();
  const float image_w = std::min(half * 0.5f - ImGui::GetStyle().ItemSpacing.x, 8 * 29 * 1.1f * scale);
  if (s.tex_filters.id) {
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + image_w);
    ImGui::TextUnformatted(tr("Layer-1 filters (rows of W¹)"));
    ImGui::PopTextWrapPos();
    ImGui::Image(s.tex_filters.imgui_id(), ImVec2(image_w, image_w * float(s.tex_filters.height) / float(s.tex_filters.width)));
    ImGui::EndGroup();
  }
  if (s.tex_unrolled.id) {
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + image_w);
    ImGui::TextUnformatted(tr("Unrolled AE on test digits"));
    ImGui::PopTextWrapPos();
    ImGui::Image(s.tex_unrolled.imgui_id(), ImVec2(image_w, image_w * float(s.tex_unrolled.height) / float(s.tex_unrolled.width)));
    ImGui::EndGroup();
    ImGui::TextWrapped("%s", tr("Rows: test digits; the unrolled AE after pretraining alone; after end-to-end training; random weights after the same training"));
  }
  if (unrolling && std::isfinite(s.unrolled_loss_start[0])) {
    ImGui::TextWrapped(tr("Unrolled deep autoencoder %s, test cross-entropy per pixel:"), architecture_text(unrolled_network(o), 784).c_str());
    if (std::isfinite(s.unrolled_loss_end[0])) {
      bullet_wrapped(tr("pretrained: %.4f, after end-to-end training %.4f"), s.unrolled_loss_start[0], s.unrolled_loss_end[0]);
      bullet_wrapped(tr("random weights: %.4f, after the same training %.4f"), s.unrolled_loss_start[1], s.unrolled_loss_end[1]);
    } else {
      bullet_wrapped(tr("pretrained: %.4f (training end to end…)"), s.unrolled_loss_start[0]);
      bullet_wrapped(tr("random weights: %.4f (training end to end…)"), s.unrolled_loss_start[1]);
    }
  }
  // Right (or below): the classifiers, then the figure.
  if (one_column) {
    ImGui::Separator();
  } else {
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("stacked_right", ImVec2(0, avail.y), false);
  }
  ImGui::TextWrapped(tr("Test accuracy (%d test digits; all %d at the end) while both classifiers are fine-tuned on the same %d "
                        "labelled digits with the same budget"),
                     kAccuracyDigits, data.test.size(), labelled);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  accuracy_plot(s, ImVec2(ImGui::GetContentRegionAvail().x, std::max(80.0f, avail.y * 0.32f)), dark, scale);
  if (s.stage == StackedScene::Stage::done && !s.accuracy_pretrained.empty())
    ImGui::TextWrapped(tr("Result: pretrained %.2f %%, random initialisation %.2f %% (%d epochs each)"), double(s.accuracy_pretrained.back()),
                       double(s.accuracy_random.back()), o.finetune_epochs);
  ImGui::Separator();
  ImGui::TextWrapped("%s", tr("Test error of the fine-tuned classifiers against the masking level ν of pretraining: one point per finished run"));
  if (!s.sweep_levels.empty()) {
    std::string left;
    for (double v : s.sweep_levels) left += (left.empty() ? "" : ", ") + std::to_string(int(std::lround(100 * v))) + " %";
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled(tr("sweep: ν = %s still to run"), left.c_str());
    ImGui::PopTextWrapPos();
  }
  const float figure_h = one_column ? std::max(160 * scale, avail.y * 0.4f) : std::max(100.0f, ImGui::GetContentRegionAvail().y - 2 * line);
  corruption_figure(s, ImVec2(ImGui::GetContentRegionAvail().x, figure_h), dark, scale);
  if (!one_column) ImGui::EndChild();
}

}  // namespace app
