// stacked_scene.h — the stacked-autoencoder lesson: greedy layer-wise pretraining on MNIST (each
// layer a one-hidden-layer, optionally denoising, autoencoder of the codes below it), then a
// softmax classifier on the pretrained encoder fine-tuned on a few labels, side by side with the
// same network from random initialisation given the same supervised budget. The engine does the
// work (stacked.h: the layer autoencoders through Trainer, ClassifierTrainer); this file runs it in
// time slices and draws the stages, the layer-1 filters and the two accuracy curves.
#pragma once

#include "ae/ae.h"
#include "app/mnist_scene.h"
#include "app/textures.h"
#include "app/training_panel.h"

#include <string>
#include <vector>

namespace app {

struct StackedScene {
  enum class Stage { idle, pretraining, finetuning, done, failed };
  StackedSettings settings;
  Stage stage = Stage::idle;
  bool running = false;
  std::string error;

  // Pretraining: layer k's autoencoder (layer_input → size → layer_input) on the codes below it.
  int layer = 0;
  ae::Trainer<float> layer_trainer;
  ae::Matrix<float> layer_input;                  // pixels, then h¹, …
  std::vector<ae::DenseLayer<float>> encoders;    // pretrained so far
  std::vector<TrainingCurves> layer_curves;       // per layer: its reconstruction loss
  double last_curve_update = -1;

  // Fine-tuning: the same classifier shape, pretrained and random, on the same labelled digits.
  ae::ClassifierTrainer<float> pretrained, random;
  std::vector<long long> accuracy_steps;
  std::vector<float> accuracy_pretrained, accuracy_random;  // test accuracy on 2,000 digits
  double last_accuracy_update = -1;

  Texture tex_filters;                            // rows of W¹ (the pretrained first layer)
  double last_filter_update = -1;
  WidgetRect start_button;
};

void stacked_reset(StackedScene& s, const MnistScene& data);
// One frame's slice of pretraining / fine-tuning; `data` must be ready.
void stacked_train_slice(StackedScene& s, const MnistScene& data, double budget_ms);
void stacked_controls(StackedScene& s, MnistScene& data);
void stacked_ui(StackedScene& s, const MnistScene& data, float ui_scale, bool dark);

}  // namespace app
