// model_io.h — saving and loading trained models.
//
// File format "AELAB-MODEL", version 1 (all numbers little-endian):
//
//   line 1   AELAB-MODEL                                   (magic, then '\n')
//   line 2   one line of JSON (the header), then '\n':
//            { "format_version": 1,
//              "scalar": "float32" | "float64",            element type of the payload
//              "input_size": 784, "code_layer": 1, "output_matches_input": true,
//              "layers": [ {"size": 32, "activation": "relu", "tied_to": -1}, ... ],
//              "loss": {"kind": "binary_cross_entropy", "half": true, "units": "mean", "batch": "mean"},
//              "dataset": "mnist", "image_width": 28, "image_height": 28,
//              "payload_bytes": 100480, "payload_fnv1a64": "9c2f…" }
//   payload  for each layer in order: W column-major (n_out × n_in values; omitted for a tied
//            layer, whose W is the transpose of layer tied_to's), then b (n_out values).
//
// Loading checks everything and reports the first problem in words: the magic line, the header's
// JSON and every field's type and range, the architecture (sizes, activations, tied layers), the
// payload's exact length (truncated or trailing bytes), its checksum, and that every weight is
// finite. A file that passes is a model the engine can run.
#pragma once

#include "autoencoder.h"

#include <string>

namespace ae {

struct ModelInfo {
  LossConfig loss;            // the loss it was trained with
  std::string dataset;        // e.g. "mnist", "toy:spiral", a CSV file's name
  int image_width = 0;        // for image data sets (0 otherwise): how to draw an input
  int image_height = 0;
};

template <typename T>
std::string serialize_model(const Autoencoder<T>& model, const ModelInfo& info);
template <typename T>
Autoencoder<T> deserialize_model(const std::string& bytes, ModelInfo* info, const std::string& name_for_errors);

template <typename T>
void save_model(const std::string& path, const Autoencoder<T>& model, const ModelInfo& info);
// Loads a model of either scalar type, converted to T.
template <typename T>
Autoencoder<T> load_model(const std::string& path, ModelInfo* info = nullptr);

}  // namespace ae
