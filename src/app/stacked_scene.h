// stacked_scene.h — the stacked-autoencoder lesson: greedy layer-wise pretraining on MNIST (each
// layer a one-hidden-layer, optionally denoising, autoencoder of the codes below it); then (a) the
// layers unrolled into one deep autoencoder and fine-tuned end to end, beside the same deep
// autoencoder from random weights; and (b) a softmax classifier on the pretrained encoder fine-tuned
// on a few labels, beside the same network from random initialisation given the same supervised
// budget. Every finished run adds a point to the figure of the seed's slide (test error against the
// corruption level ν); "Sweep" runs ν = 0, 10, 20, 50 % one after the other. The engine does the
// work (stacked.h: the layer autoencoders and the unrolled one through Trainer, ClassifierTrainer);
// this file runs it in time slices and draws the stages, the filters, the reconstructions, the
// accuracy curves and the figure.
#pragma once

#include "ae/ae.h"
#include "app/mnist_scene.h"
#include "app/textures.h"
#include "app/training_panel.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace app {

struct StackedScene {
  enum class Stage { idle, pretraining, unrolled, finetuning, done, failed };
  StackedSettings settings;
  Stage stage = Stage::idle;
  bool running = false;
  std::string error;

  // Pretraining: layer k's autoencoder (layer_input → size → layer_input) on the codes below it.
  int layer = 0;
  ae::Trainer<float> layer_trainer;
  ae::Matrix<float> layer_input;                  // pixels, then h¹, …
  std::vector<ae::DenseLayer<float>> encoders;    // pretrained so far: W₁ … (each layer AE's encoder)
  std::vector<ae::DenseLayer<float>> decoders;    // W'₁ … (each layer AE's decoder)
  std::vector<TrainingCurves> layer_curves;       // per layer: its reconstruction loss
  double last_curve_update = -1;

  // (a) The unrolled deep autoencoder x → h¹ → … → hᴸ → … → x̂ (the encoders, then the decoders in
  // reverse), fine-tuned end to end on the clean digits for unrolled_epochs; beside it the same
  // shape from random weights with the same budget. Test cross-entropy per pixel on the test digits.
  ae::Trainer<float> unrolled_pretrained, unrolled_random;
  double unrolled_loss_start[2] = {NAN, NAN};     // pretrained, random: before end-to-end training
  double unrolled_loss_end[2] = {NAN, NAN};       // after it
  ae::Matrix<float> unrolled_shown;               // 8 test digits, then the rows of reconstructions
  Texture tex_unrolled;

  // Fine-tuning: the same classifier shape, pretrained and random, on the same labelled digits.
  ae::ClassifierTrainer<float> pretrained, random;
  std::vector<long long> accuracy_steps;
  std::vector<float> accuracy_pretrained, accuracy_random;  // test accuracy on 2,000 digits
  double last_accuracy_update = -1;

  Texture tex_filters;                            // rows of W¹ (the pretrained first layer)
  double last_filter_update = -1;
  WidgetRect start_button, sweep_button;

  // The figure: one point per finished run with the settings of the last one, ν varying (a change
  // of any other setting clears it). sweep_levels: the ν still to run after this one.
  struct CorruptionRun {
    double level;                                 // ν of the masking noise in pretraining
    float error_pretrained, error_random;         // test error (%) on all test digits
  };
  std::vector<CorruptionRun> runs;
  std::vector<double> sweep_levels;

  // Counts the changes of the trainers (a reset, the next stage): a TrainingThread's copy then
  // takes the scene's (stacked_copy_sync). Kept through a reset.
  long long edits = 0;
};

// The levels of the seed's figure (Vincent et al., 2010): 0, 10, 20 and 50 % of the pixels masked.
inline constexpr double kSweepLevels[] = {0.0, 0.1, 0.2, 0.5};


// Back to the first stage with the current settings. keep_figure: keep the runs so far (only ν
// changed, or the sweep goes on); otherwise the figure and a pending sweep are cleared.
void stacked_reset(StackedScene& s, const MnistScene& data, bool keep_figure = false);
// One slice of pretraining / fine-tuning (training_thread.h); `data` must be ready. Returns whether
// a step was taken.
bool stacked_train_slice(StackedScene& s, const MnistScene& data, double budget_ms);

// Training on a TrainingThread as a copy of its own (training_thread.h), as the MNIST scene does:
// the copy of the stage's trainers steps without the App; holding the App once a frame,
// stacked_copy_sync gives the scene its progress and starts the next stage where one ended (or the
// copy takes the scene's trainers where they changed, or is dropped where the scene does not train:
// not shown, paused, finished). Returns whether the copy trains.
struct StackedCopy;
std::shared_ptr<StackedCopy> stacked_make_copy();
bool stacked_copy_sync(StackedScene& s, const MnistScene& data, bool shown, StackedCopy& copy);
// Without the App: steps of the copy until `budget_ms` has passed, its stage ends or a step fails.
// Returns whether a step was taken.
bool stacked_copy_train(StackedCopy& copy, double budget_ms);

void stacked_controls(StackedScene& s, MnistScene& data);
void stacked_ui(StackedScene& s, const MnistScene& data, float ui_scale, bool dark);

}  // namespace app
