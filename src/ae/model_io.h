// model_io.h — saving and loading trained models: plain autoencoders (with the regularization they
// were trained with), variational autoencoders, and stacked-encoder classifiers.
//
// File format "AELAB-MODEL", version 2 (all numbers little-endian):
//
//   line 1   AELAB-MODEL                                   (magic, then '\n')
//   line 2   one line of JSON (the header), then '\n':
//            { "format_version": 2,
//              "kind": "autoencoder" | "vae" | "classifier",
//              "scalar": "float32" | "float64",            element type of the payload
//              "input_size": 784, "code_layer": 1, "output_matches_input": true,
//              "layers": [ {"size": 32, "activation": "relu", "tied_to": -1}, ... ],
//              "dataset": "mnist", "image_width": 28, "image_height": 28,
//              kind "autoencoder":
//              "loss": {"kind": "binary_cross_entropy", "half": true, "units": "mean", "batch": "mean"},
//              "regularization": {"corruption": {"kind": "masking", "level": 0.25, "min": 0, "max": 1},
//                                 "sparsity": {"kind": "top_k", "l1_weight": 0.001, "kl_weight": 0.1,
//                                              "target": 0.05, "k": 20},
//                                 "contractive": {"weight": 0, "form": "auto", "noise": 0.05}},
//              kind "vae":
//              "vae": {"encoder_layers": 1, "latent_size": 2, "likelihood": "bernoulli",
//                      "beta": 1, "decoder_variance": 1},
//              kind "classifier":
//              "classifier": {"classes": 10, "pretrained": true},
//              "payload_bytes": 100480, "payload_fnv1a64": "9c2f…" }
//   payload  for each layer in order: W column-major (n_out × n_in values; omitted for a tied
//            layer, whose W is the transpose of layer tied_to's), then b (n_out values).
//
// The layers of each kind, and so each layer's n_in:
//   autoencoder  a chain x → layer 0 → … → layer L−1 = y; layers 0..code_layer are the encoder.
//   vae          Vae<T>::net (vae.h): [encoder hidden 0..E−1] [μ head E] [log σ² head E+1]
//                [decoder E+2..L−1]; both heads read layer E−1 (or x when E = 0), the decoder
//                reads z (latent_size); the heads are linear, the output sigmoid (Bernoulli) or
//                linear (Gaussian); code_layer = E.
//   classifier   Classifier<T>::net (stacked.h): a chain of encoder layers, then a linear layer of
//                `classes` logits; code_layer = L − 2 (the top encoder layer).
//
// Version 1 files (before kinds existed) still load: they are autoencoders without regularization
// (a k-sparse model saved by version 1 did not record k; load_note says so).
//
// Loading checks everything and reports the first problem in words: the magic line, the header's
// JSON and every field's type and range, the kind and its own fields, the architecture (sizes,
// activations, tied layers, the shapes the kind needs), the payload's exact length (truncated or
// trailing bytes), its checksum, and that every weight is finite. A file that passes is a model
// the engine can run.
#pragma once

#include "autoencoder.h"
#include "regularizers.h"
#include "stacked.h"
#include "vae.h"

#include <string>

namespace ae {

enum class ModelKind { autoencoder, vae, classifier };

inline const char* model_kind_name(ModelKind k) {
  switch (k) {
    case ModelKind::autoencoder: return "autoencoder";
    case ModelKind::vae: return "vae";
    case ModelKind::classifier: return "classifier";
  }
  return "?";
}

struct ModelInfo {
  ModelKind kind = ModelKind::autoencoder;  // set by serialize_model from the model's type
  LossConfig loss;              // the loss it was trained with (autoencoder; the others: their own)
  std::string dataset;          // e.g. "mnist", "toy:spiral", a CSV file's name
  int image_width = 0;          // for image data sets (0 otherwise): how to draw an input
  int image_height = 0;
  Regularization regularization;  // autoencoder: denoising / sparse / contractive settings
  VaeConfig vae;                // vae: β and the Gaussian decoder's variance s²
  bool pretrained = false;      // classifier: greedy layer-wise pretraining (false: random init)
  int format_version = 2;       // of the file it was read from
  std::string load_note;        // something the user should know about an old file ("" if none)
};

// A model file of any kind: `info.kind` says which one of the three is filled.
template <typename T>
struct SavedModel {
  ModelInfo info;
  Autoencoder<T> autoencoder;  // kind autoencoder (code_top_k restored from the regularization)
  Vae<T> vae;                  // kind vae
  Classifier<T> classifier;    // kind classifier
};

// Serializing an autoencoder stores info.regularization, which must agree with model.code_top_k.
template <typename T>
std::string serialize_model(const Autoencoder<T>& model, const ModelInfo& info);
template <typename T>
std::string serialize_model(const Vae<T>& model, const ModelInfo& info);
template <typename T>
std::string serialize_model(const Classifier<T>& model, const ModelInfo& info);

// Any kind, converted to T.
template <typename T>
SavedModel<T> deserialize_any_model(const std::string& bytes, const std::string& name_for_errors);
template <typename T>
SavedModel<T> load_any_model(const std::string& path);

// An autoencoder only (a file of another kind is refused with a message).
template <typename T>
Autoencoder<T> deserialize_model(const std::string& bytes, ModelInfo* info, const std::string& name_for_errors);
template <typename T>
Autoencoder<T> load_model(const std::string& path, ModelInfo* info = nullptr);

template <typename M>
void save_model(const std::string& path, const M& model, const ModelInfo& info);

}  // namespace ae
