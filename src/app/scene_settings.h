// scene_settings.h — what a scene is set up from: the data, the network and its training, as plain
// structs. A lesson file (lesson.h) is these settings plus a text; the training panel edits them;
// links carry them. No ImGui here, so the CLI can check lesson files without the UI.
#pragma once

#include "ae/ae.h"

#include <cstdint>
#include <exception>

#include <string>
#include <vector>

namespace app {

// The members of the autoencoder family the panel offers. The order is part of URLs and tests:
// append, never reorder.
enum class Variant { plain, sparse_l1, sparse_kl, k_sparse, denoising, contractive, vae };
constexpr Variant kVariants[] = {Variant::plain,     Variant::sparse_l1, Variant::sparse_kl,  Variant::k_sparse,
                                 Variant::denoising, Variant::contractive, Variant::vae};
// The short name in links and lesson files: "plain", "l1", "kl", "k-sparse", "denoising", "contractive", "vae".
const char* variant_key(Variant v);
// False for an unknown name.
bool variant_from_key(const std::string& key, Variant& out);

// The encoder as the user edits it; the decoder mirrors it (sizes reversed, same activations).
struct NetworkSpec {
  std::vector<ae::LayerSpec> encoder_hidden{{32, ae::Activation::tanh}};
  int code_size = 1;
  ae::Activation code_activation = ae::Activation::linear;
  ae::Activation output_activation = ae::Activation::sigmoid;
  bool tied_weights = false;
};

struct TrainingSpec {
  Variant variant = Variant::plain;
  // Holds every slider's value; the variant decides which parts are switched on
  // (effective_regularization), so switching back and forth keeps what the user set.
  ae::Regularization regularization;
  double vae_beta = 1.0;                         // β of the β-VAE (1: the ELBO)
  ae::OptimizerKind optimizer = ae::OptimizerKind::adam;
  float learning_rate = 0.01f;                   // η
  int batch_size = 32;                           // M
  ae::LossKind loss = ae::LossKind::squared_error;
  float decoder_sigma = 0.1f;                    // s of the Gaussian decoder (loss = gaussian)
  int seed = 1;
};

// The ranges of the panel's sliders: links and lesson files are held to the same.
namespace limits {
constexpr int max_hidden_layers = 3;              // per side (the decoder mirrors the encoder)
// A toy code may be wider than its 2-D or 3-D input (overcomplete: it can learn the identity); the
// view draws the decoder's image of the code space for 1-D and 2-D codes only.
constexpr int toy_max_layer_size = 128, toy_max_code_size = 8;
constexpr int mnist_max_layer_size = 512, mnist_max_code_size = 128;
constexpr double max_corruption = 1.0, max_l1_weight = 1.0, max_kl_weight = 10.0;
constexpr double min_sparsity_target = 0.01, max_sparsity_target = 0.5;
constexpr double max_contractive_weight = 10.0, min_contractive_noise = 0.001, max_contractive_noise = 1.0;
constexpr double max_vae_beta = 10.0;
constexpr float min_learning_rate = 1e-5f, max_learning_rate = 1.0f;
constexpr int max_batch_size = 512;
constexpr float min_decoder_sigma = 0.01f, max_decoder_sigma = 1.0f;
constexpr int max_seed = 1 << 30;
constexpr int min_toy_points = 50, max_toy_points = 4000;
constexpr float max_toy_noise = 0.2f;
// The page's memory (-sMAXIMUM_MEMORY in src/platform/CMakeLists.txt) and its MNIST pack (12,000
// training and 2,000 test digits): a unit test checks that the largest network these sliders allow,
// at the largest batch, trains within it (tests/unit/test_lessons.cpp, "the page's limits").
constexpr unsigned long long page_memory_bytes = 268435456;
constexpr int mnist_pack_train = 12000, mnist_pack_test = 2000;
}  // namespace limits

// The toy scene: 2-D/3-D points on a manifold, then the network and its training.
struct ToySettings {
  ae::ToyManifold manifold = ae::ToyManifold::spiral;
  int n_points = 600;
  float noise = 0.02f;
  NetworkSpec net;          // 2 → 32 tanh → 1 → 32 tanh → 2 by default
  TrainingSpec training;    // Adam, η = 0.01, M = 32, squared error
};

// The gradient-descent scene (descent_scene.h): toy data and a small network, trained; then the
// first encoder weight a and the first decoder weight b start again from (start_a, start_b) and
// learn alone by plain gradient descent with the training spec's η and M, on a map of the loss
// over [−extent, extent]².
struct DescentSettings {
  ToySettings toy;
  float start_a = -2.0f, start_b = 2.0f;
  float extent = 3.0f;
};
namespace limits {
constexpr float min_descent_extent = 0.5f, max_descent_extent = 10.0f;
}

// The MNIST scene: 784 → … → code → … → 784 on the page's 12,000 training digits.
struct MnistSettings {
  NetworkSpec net = default_network();
  TrainingSpec training = default_training();
  static NetworkSpec default_network() {
    NetworkSpec n;
    n.encoder_hidden = {{128, ae::Activation::relu}};
    n.code_size = 2;
    n.code_activation = ae::Activation::linear;
    n.output_activation = ae::Activation::sigmoid;
    return n;
  }
  static TrainingSpec default_training() {
    TrainingSpec t;
    t.learning_rate = 1e-3f;
    t.batch_size = 64;
    t.loss = ae::LossKind::binary_cross_entropy;
    return t;
  }
};

// The stacked scene: greedy layer-wise pretraining, then a classifier on a few labels.
struct StackedSettings {
  std::vector<ae::LayerSpec> layers{{256, ae::Activation::sigmoid}, {64, ae::Activation::sigmoid}};
  ae::CorruptionConfig corruption{ae::CorruptionKind::masking, 0.25};  // stacked DENOISING AE
  int pretrain_epochs = 3;      // per layer, over the 12,000 unlabelled training digits
  float learning_rate = 3e-3f;  // Adam: pretraining and the unrolled autoencoder's fine-tuning
  int batch_size = 64;          // of the same
  int unrolled_epochs = 0;      // end-to-end fine-tuning of the unrolled deep autoencoder (0: skipped)
  int labels = 300;             // labelled digits for the supervised fine-tuning (the first N)
  int finetune_epochs = 40;     // over the labelled digits, for each of the two classifiers
  ae::OptimizerKind finetune_optimizer = ae::OptimizerKind::adam;  // of both classifiers
  float finetune_learning_rate = 3e-3f;
  int finetune_batch_size = 64;
  int seed = 1;
};

// What a scene needs in memory at its largest moment, estimated from its settings before anything is
// allocated (ae/memory.h): the MNIST pack the page holds, the trainers' copies of the data and the
// networks' training memory (weights, gradients, optimizer state, activations at the batch size),
// and the training thread's copy of the weights and optimizer state (training_thread.h).
// The stacked scene's stages follow each other: its need is that of the largest stage.
// The data the MNIST scene holds: the page's pack, or the learner's own data set (own_data.h).
struct DataShape {
  int features = 784;
  int train = limits::mnist_pack_train, test = limits::mnist_pack_test;
};
uint64_t mnist_scene_memory(const MnistSettings& settings, const DataShape& data = DataShape());
uint64_t stacked_scene_memory(const StackedSettings& settings);
// Throws ae::Error, in the UI's language, when `need` is over the page's memory
// (limits::page_memory_bytes); `what` says what needs it ("This network").
void require_page_memory(uint64_t need, const char* what);
// What a caught exception says to the user: std::bad_alloc (the estimates above leave out what
// comes and goes: a file being read, the training thread's copy, the pictures) says that the
// memory ran out, in the UI's language, with the page's total; any other exception its message.
std::string failure_text(const std::exception& e);

// input → encoder hidden → code → mirrored decoder hidden → input.
ae::Architecture architecture_for(const NetworkSpec& net, int input_size);
// "784 → 128 → 2 → 128 → 784"
std::string architecture_text(const NetworkSpec& net, int input_size);
// The regularization the trainer uses for the spec's variant. Denoising (corruption) combines with
// every autoencoder variant: the corruption settings are on whenever their level is above 0.
ae::Regularization effective_regularization(const TrainingSpec& t);
// The settings that apply at the next step, without touching the weights.
void apply_live_settings(const TrainingSpec& t, ae::TrainConfig& config);
// Clamps every value to its slider's range (for settings that come from links or lessons).
void clamp_spec(TrainingSpec& t, NetworkSpec& net, int max_layer_size);
// The panel's settings that describe a saved model (ae/model_io.h), so that it opens in a scene as
// if it had been built there: its encoder, code, output activation and tied weights; its variant,
// loss and regularization (β for a VAE). Throws ae::Error, in the UI's language, for a model the
// panel cannot describe: a classifier, a decoder that does not mirror the encoder, a Gaussian VAE,
// more layers or units than the sliders reach.
void settings_of_model(const ae::SavedModel<float>& saved, int max_layer_size, int max_code_size, NetworkSpec& net,
                       TrainingSpec& training);
}  // namespace app
