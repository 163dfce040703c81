// model_io.cpp — the "AELAB-MODEL" file format (see model_io.h).
#include "model_io.h"

#include "idx.h"  // read_file_bytes

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <fstream>
#include <sstream>
#include <vector>

namespace ae {

namespace {

using json = nlohmann::json;
constexpr const char* kMagic = "AELAB-MODEL";
constexpr int kFormatVersion = 2;  // 2: kinds (autoencoder, vae, classifier) and the regularization
constexpr int kOldestVersion = 1;

uint64_t fnv1a64(const char* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) {
    h ^= uint8_t(data[i]);
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool little_endian_host() {
  const uint16_t probe = 1;
  uint8_t first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

// A value as messages show it: its JSON, cut after 60 characters.
std::string shown(const json& v) {
  std::string text = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 60 ? text.substr(0, 60) + "…" : text;
}

// Typed access to a header field with a message naming the field.
template <typename V>
V field(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw Error(where + ": the header has no \"" + key + "\" field");
  const json& v = j.at(key);
  if constexpr (std::is_integral_v<V> && !std::is_same_v<V, bool>) {
    if (!v.is_number())
      throw Error(where + ": the header field \"" + std::string(key) + "\" has the wrong type (" + shown(v) + ")");
    // nlohmann converts any number to an integer type, also a float outside its range (undefined
    // behaviour): only a whole number within V's range passes.
    const bool fits = v.is_number_unsigned()  ? v.get<uint64_t>() <= uint64_t(std::numeric_limits<V>::max())
                      : v.is_number_integer() ? v.get<int64_t>() >= int64_t(std::numeric_limits<V>::min()) &&
                                                    (v.get<int64_t>() < 0 || uint64_t(v.get<int64_t>()) <= uint64_t(std::numeric_limits<V>::max()))
                      : v.is_number_float()   ? std::floor(v.get<double>()) == v.get<double>() &&
                                                  v.get<double>() >= double(std::numeric_limits<V>::min()) &&
                                                  v.get<double>() < double(std::numeric_limits<V>::max())
                                              : false;
    if (!fits)
      throw Error(where + ": the header field \"" + std::string(key) + "\" must be a whole number from " +
                  std::to_string(std::numeric_limits<V>::min()) + " to " + std::to_string(std::numeric_limits<V>::max()) +
                  " (it is " + shown(v) + ")");
    return v.is_number_float() ? V(v.get<double>()) : v.get<V>();
  }
  try {
    return v.get<V>();
  } catch (const json::exception&) {
    throw Error(where + ": the header field \"" + std::string(key) + "\" has the wrong type (" + shown(v) + ")");
  }
}

template <typename V>
V field_or(const json& j, const char* key, V fallback, const std::string& where) {
  return j.contains(key) ? field<V>(j, key, where) : fallback;
}

// A nested object of the header, e.g. "vae"; a message when it is missing or not an object.
const json& object_field(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw Error(where + ": the header has no \"" + key + "\" field");
  if (!j.at(key).is_object()) throw Error(where + ": the header field \"" + std::string(key) + "\" is not an object");
  return j.at(key);
}

// A number that must be finite and in [lo, hi].
double number_in(const json& j, const char* key, double lo, double hi, const std::string& where) {
  const double v = field<double>(j, key, where);
  if (!(v >= lo && v <= hi))
    throw Error(where + ": \"" + std::string(key) + "\" = " + shown(j.at(key)) + " is out of range [" + json(lo).dump() +
                ", " + json(hi).dump() + "]");
  return v;
}

// Runs f; an Error from it gets the file name in front (unless it has it already).
template <typename F>
auto named(const std::string& name, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    const std::string what = e.what();
    throw Error(what.rfind(name, 0) == 0 ? what : name + ": " + what);
  }
}

json loss_json(const LossConfig& loss) {
  json j = {{"kind", loss_name(loss.kind)},
            {"half", loss.half},
            {"units", reduction_name(loss.units)},
            {"batch", reduction_name(loss.batch)}};
  if (loss.kind == LossKind::gaussian) j["sigma"] = loss.sigma;
  return j;
}

json regularization_json(const Regularization& r) {
  return {{"corruption",
           {{"kind", corruption_name(r.corruption.kind)},
            {"level", r.corruption.level},
            {"min", r.corruption.min_value},
            {"max", r.corruption.max_value}}},
          {"sparsity",
           {{"kind", sparsity_name(r.sparsity.kind)},
            {"l1_weight", r.sparsity.l1_weight},
            {"kl_weight", r.sparsity.kl_weight},
            {"target", r.sparsity.target},
            {"k", r.sparsity.k}}},
          {"contractive",
           {{"weight", r.contractive.weight},
            {"form", contractive_form_name(r.contractive.form)},
            {"noise", r.contractive.noise}}}};
}

// Every field required; ranges as the trainer's flags allow them (validate() checks the rest
// against the model).
Regularization regularization_from_json(const json& header, const std::string& name) {
  const json& r = object_field(header, "regularization", name);
  Regularization out;
  const std::string wc = name + " (regularization.corruption)";
  const json& c = object_field(r, "corruption", name + " (regularization)");
  out.corruption.kind = named(wc, [&] { return corruption_from_name(field<std::string>(c, "kind", wc)); });
  out.corruption.level = number_in(c, "level", 0.0, 100.0, wc);
  out.corruption.min_value = number_in(c, "min", -1e30, 1e30, wc);
  out.corruption.max_value = number_in(c, "max", -1e30, 1e30, wc);
  const std::string ws = name + " (regularization.sparsity)";
  const json& s = object_field(r, "sparsity", name + " (regularization)");
  out.sparsity.kind = named(ws, [&] { return sparsity_from_name(field<std::string>(s, "kind", ws)); });
  out.sparsity.l1_weight = number_in(s, "l1_weight", 0.0, 1e6, ws);
  out.sparsity.kl_weight = number_in(s, "kl_weight", 0.0, 1e6, ws);
  out.sparsity.target = number_in(s, "target", 0.0, 1.0, ws);
  out.sparsity.k = int(number_in(s, "k", 0, 65536, ws));
  const std::string wk = name + " (regularization.contractive)";
  const json& k = object_field(r, "contractive", name + " (regularization)");
  out.contractive.weight = number_in(k, "weight", 0.0, 1e6, wk);
  out.contractive.form = named(wk, [&] { return contractive_form_from_name(field<std::string>(k, "form", wk)); });
  out.contractive.noise = number_in(k, "noise", 0.0, 10.0, wk);
  return out;
}

// The header fields and payload every kind shares; `header` brings the kind's own fields.
template <typename T>
std::string serialize_layers(const std::vector<DenseLayer<T>>& layers, ModelKind kind, int code_layer,
                             bool output_matches_input, const ModelInfo& info, json header) {
  if (!little_endian_host()) throw Error("model files are little-endian; this host is not");
  if (layers.empty()) throw Error("cannot save a model without layers");
  const bool f64 = std::is_same<T, double>::value;
  std::string payload;
  for (const auto& layer : layers) {
    if (layer.tied_to < 0) payload.append(reinterpret_cast<const char*>(layer.W.data()), sizeof(T) * size_t(layer.W.size()));
    payload.append(reinterpret_cast<const char*>(layer.b.data()), sizeof(T) * size_t(layer.b.size()));
  }
  header["format_version"] = kFormatVersion;
  header["kind"] = model_kind_name(kind);
  header["scalar"] = f64 ? "float64" : "float32";
  header["input_size"] = layers.front().n_in();
  header["code_layer"] = code_layer;
  header["output_matches_input"] = output_matches_input;
  json list = json::array();
  for (const auto& layer : layers)
    list.push_back({{"size", layer.n_out()}, {"activation", activation_name(layer.activation)}, {"tied_to", layer.tied_to}});
  header["layers"] = list;
  header["dataset"] = info.dataset;
  header["image_width"] = info.image_width;
  header["image_height"] = info.image_height;
  header["payload_bytes"] = payload.size();
  header["payload_fnv1a64"] = hex64(fnv1a64(payload.data(), payload.size()));
  return std::string(kMagic) + "\n" + header.dump() + "\n" + payload;
}

struct LayerShape {
  int size = 0, n_in = 0, tied_to = -1;
  Activation activation = Activation::linear;
};

// Kind "autoencoder": a chain; tied decoder layers mirror the encoder (autoencoder.h).
void check_autoencoder_shapes(const json& header, int input_size, int code_layer, std::vector<LayerShape>& shapes,
                              const std::string& name) {
  Architecture arch;
  arch.input_size = input_size;
  arch.code_layer = code_layer;
  arch.output_matches_input = field_or<bool>(header, "output_matches_input", true, name);
  for (const LayerShape& s : shapes) arch.layers.push_back({s.size, s.activation});
  const int L = int(shapes.size());
  for (int k = 0; k < L; ++k) {
    if (shapes[size_t(k)].tied_to == -1) continue;
    if (k <= code_layer || shapes[size_t(k)].tied_to != L - 1 - k)
      throw Error(name + ": layer " + std::to_string(k) + " is tied to layer " + std::to_string(shapes[size_t(k)].tied_to) +
                  ", but a decoder layer k can only be tied to its mirror, layer " + std::to_string(L - 1 - k));
    arch.tied_weights = true;
  }
  if (arch.tied_weights)
    for (int k = code_layer + 1; k < L; ++k)
      if (shapes[size_t(k)].tied_to == -1) throw Error(name + ": either every decoder layer is tied or none is");
  named(name, [&] { validate(arch); });
  int n_in = input_size;
  for (LayerShape& s : shapes) {
    s.n_in = n_in;
    n_in = s.size;
  }
}

void check_untied(const std::vector<LayerShape>& shapes, const std::string& kind, const std::string& name) {
  for (size_t k = 0; k < shapes.size(); ++k)
    if (shapes[k].tied_to != -1)
      throw Error(name + ": layer " + std::to_string(k) + " is tied, but a " + kind + " has no tied layers");
}

// Kind "vae": [encoder hidden 0..E−1] [μ E] [log σ² E+1] [decoder E+2..L−1] (vae.h).
void check_vae_shapes(const json& header, int input_size, int code_layer, std::vector<LayerShape>& shapes, ModelInfo& info,
                      VaeLikelihood& likelihood, int& encoder_layers, const std::string& name) {
  const std::string where = name + " (vae)";
  const json& v = object_field(header, "vae", name);
  const int L = int(shapes.size());
  const int E = int(number_in(v, "encoder_layers", 0, 62, where));
  const int d = int(number_in(v, "latent_size", 1, 4096, where));
  likelihood = named(where, [&] { return vae_likelihood_from_name(field<std::string>(v, "likelihood", where)); });
  info.vae.beta = number_in(v, "beta", 0.0, 1e4, where);
  info.vae.decoder_variance = number_in(v, "decoder_variance", 1e-6, 1e6, where);
  check_untied(shapes, "VAE", name);
  if (L < E + 3)
    throw Error(where + ": " + std::to_string(L) + " layers cannot hold " + std::to_string(E) +
                " encoder layers, the μ and log σ² heads and a decoder");
  if (code_layer != E) throw Error(where + ": the code layer must be the μ head, layer " + std::to_string(E));
  for (int head : {E, E + 1}) {
    if (shapes[size_t(head)].size != d)
      throw Error(where + ": the " + (head == E ? "μ" : "log σ²") + " head has " + std::to_string(shapes[size_t(head)].size) +
                  " units, the latent size is " + std::to_string(d));
    if (shapes[size_t(head)].activation != Activation::linear)
      throw Error(where + ": the μ and log σ² heads must be linear");
  }
  const LayerShape& out = shapes.back();
  if (out.size != input_size)
    throw Error(where + ": the decoder's output has " + std::to_string(out.size) + " units, the input " + std::to_string(input_size));
  const Activation want = likelihood == VaeLikelihood::bernoulli ? Activation::sigmoid : Activation::linear;
  if (out.activation != want)
    throw Error(where + ": a " + vae_likelihood_name(likelihood) + " decoder needs a " + activation_name(want) +
                " output layer, not " + activation_name(out.activation));
  int n_in = input_size;
  for (int k = 0; k < E; ++k) {
    shapes[size_t(k)].n_in = n_in;
    n_in = shapes[size_t(k)].size;
  }
  shapes[size_t(E)].n_in = shapes[size_t(E) + 1].n_in = n_in;  // both heads read h
  n_in = d;                                                    // the decoder reads z
  for (int k = E + 2; k < L; ++k) {
    shapes[size_t(k)].n_in = n_in;
    n_in = shapes[size_t(k)].size;
  }
  encoder_layers = E;
}

// Kind "classifier": a chain of encoder layers, then `classes` linear logits (stacked.h).
void check_classifier_shapes(const json& header, int input_size, int code_layer, std::vector<LayerShape>& shapes,
                             ModelInfo& info, const std::string& name) {
  const std::string where = name + " (classifier)";
  const json& c = object_field(header, "classifier", name);
  const int classes = int(number_in(c, "classes", 2, 65536, where));
  info.pretrained = field<bool>(c, "pretrained", where);
  check_untied(shapes, "classifier", name);
  const int L = int(shapes.size());
  if (L < 2) throw Error(where + ": a classifier needs at least one encoder layer and the softmax layer");
  if (code_layer != L - 2) throw Error(where + ": the code layer must be the top encoder layer, layer " + std::to_string(L - 2));
  if (shapes.back().size != classes)
    throw Error(where + ": the last layer has " + std::to_string(shapes.back().size) + " units for " + std::to_string(classes) +
                " classes");
  if (shapes.back().activation != Activation::linear)
    throw Error(where + ": the last layer holds the logits of the softmax, it must be linear");
  int n_in = input_size;
  for (LayerShape& s : shapes) {
    s.n_in = n_in;
    n_in = s.size;
  }
}

}  // namespace

template <typename T>
std::string serialize_model(const Autoencoder<T>& model, const ModelInfo& info) {
  const SparsityConfig& s = info.regularization.sparsity;
  const int top_k = s.kind == SparsityKind::top_k ? s.k : 0;
  if (model.code_top_k != top_k)
    throw Error("saving: the model keeps the top " + std::to_string(model.code_top_k) +
                " code units, its regularization says " + std::to_string(top_k) + " (apply_model_settings first)");
  json header;
  header["loss"] = loss_json(info.loss);
  header["regularization"] = regularization_json(info.regularization);
  return serialize_layers(model.layers, ModelKind::autoencoder, model.code_layer, model.output_size() == model.input_size(),
                          info, header);
}

template <typename T>
std::string serialize_model(const Vae<T>& model, const ModelInfo& info) {
  json header;
  header["vae"] = {{"encoder_layers", model.encoder_layers},
                   {"latent_size", model.latent_size()},
                   {"likelihood", vae_likelihood_name(model.likelihood)},
                   {"beta", info.vae.beta},
                   {"decoder_variance", info.vae.decoder_variance}};
  return serialize_layers(model.net.layers, ModelKind::vae, model.encoder_layers, true, info, header);
}

template <typename T>
std::string serialize_model(const Classifier<T>& model, const ModelInfo& info) {
  json header;
  header["classifier"] = {{"classes", model.num_classes()}, {"pretrained", info.pretrained}};
  return serialize_layers(model.net.layers, ModelKind::classifier, int(model.net.layers.size()) - 2, false, info, header);
}

template <typename T>
SavedModel<T> deserialize_any_model(const std::string& bytes, const std::string& name) {
  if (!little_endian_host()) throw Error("model files are little-endian; this host is not");
  const std::string magic_line = std::string(kMagic) + "\n";
  if (bytes.compare(0, magic_line.size(), magic_line) != 0)
    throw Error(name + ": not an AE Lab model file (it does not start with \"" + kMagic + "\")");
  const size_t header_start = magic_line.size();
  const size_t header_end = bytes.find('\n', header_start);
  if (header_end == std::string::npos || header_end - header_start > (1u << 20))
    throw Error(name + ": the header line is missing or unterminated (the file is truncated?)");
  json header;
  try {
    header = json::parse(bytes.begin() + std::ptrdiff_t(header_start), bytes.begin() + std::ptrdiff_t(header_end));
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number too large for a double
    throw Error(name + ": the header is not valid JSON (" + e.what() + ")");
  }
  if (!header.is_object()) throw Error(name + ": the header is not a JSON object");

  SavedModel<T> out;
  ModelInfo& info = out.info;
  const int version = field<int>(header, "format_version", name);
  if (version < kOldestVersion || version > kFormatVersion)
    throw Error(name + ": format version " + std::to_string(version) + " is not supported (this build reads versions " +
                std::to_string(kOldestVersion) + " to " + std::to_string(kFormatVersion) + ")");
  info.format_version = version;
  if (version >= 2) {
    const std::string kind = field<std::string>(header, "kind", name);
    if (kind == "autoencoder") info.kind = ModelKind::autoencoder;
    else if (kind == "vae") info.kind = ModelKind::vae;
    else if (kind == "classifier") info.kind = ModelKind::classifier;
    else throw Error(name + ": unknown model kind \"" + kind + "\" (expected autoencoder, vae or classifier)");
  }
  const std::string scalar = field<std::string>(header, "scalar", name);
  if (scalar != "float32" && scalar != "float64")
    throw Error(name + ": unknown scalar type \"" + scalar + "\" (expected float32 or float64)");
  const size_t elem = scalar == "float32" ? 4 : 8;

  // ---- the layers and the shapes the kind gives them ----
  const int input_size = field<int>(header, "input_size", name);
  if (input_size <= 0 || input_size > 1 << 20) throw Error(name + ": the input size must be in 1..1048576");
  const int code_layer = field<int>(header, "code_layer", name);
  const json layers = header.contains("layers") ? header["layers"] : json();
  if (!layers.is_array()) throw Error(name + ": the header's \"layers\" is not a list");
  if (layers.size() > 64) throw Error(name + ": at most 64 layers");
  std::vector<LayerShape> shapes;
  for (const json& l : layers) {
    if (!l.is_object()) throw Error(name + ": a layer entry is not an object");
    LayerShape s;
    s.size = field<int>(l, "size", name + " (layer)");
    if (s.size <= 0 || s.size > 1 << 16) throw Error(name + ": layer sizes must be in 1..65536");
    s.activation = named(name, [&] { return activation_from_name(field<std::string>(l, "activation", name + " (layer)")); });
    s.tied_to = field_or<int>(l, "tied_to", -1, name + " (layer)");
    shapes.push_back(s);
  }
  VaeLikelihood likelihood = VaeLikelihood::bernoulli;
  int encoder_layers = 0;
  switch (info.kind) {
    case ModelKind::autoencoder: check_autoencoder_shapes(header, input_size, code_layer, shapes, name); break;
    case ModelKind::vae: check_vae_shapes(header, input_size, code_layer, shapes, info, likelihood, encoder_layers, name); break;
    case ModelKind::classifier: check_classifier_shapes(header, input_size, code_layer, shapes, info, name); break;
  }

  // ---- the payload: length from the shapes, in checked 64-bit arithmetic (sizes are ≤ 65536) ----
  uint64_t values = 0;
  for (const LayerShape& s : shapes) values += (s.tied_to < 0 ? uint64_t(s.size) * uint64_t(s.n_in) : 0) + uint64_t(s.size);
  const uint64_t expected = values * elem;
  const uint64_t declared = field<uint64_t>(header, "payload_bytes", name);
  if (declared != expected)
    throw Error(name + ": the header declares " + std::to_string(declared) + " payload bytes, the architecture needs " +
                std::to_string(expected));
  const uint64_t actual = bytes.size() - (header_end + 1);
  if (actual < expected)
    throw Error(name + ": the file is truncated (" + std::to_string(actual) + " of " + std::to_string(expected) +
                " payload bytes)");
  if (actual > expected)
    throw Error(name + ": " + std::to_string(actual - expected) + " unexpected bytes after the payload");
  const char* payload = bytes.data() + header_end + 1;
  const std::string checksum = field<std::string>(header, "payload_fnv1a64", name);
  if (checksum != hex64(fnv1a64(payload, size_t(expected))))
    throw Error(name + ": the payload checksum does not match (the file is damaged)");

  std::vector<DenseLayer<T>> dense;
  size_t offset = 0;
  auto read_values = [&](T* to, Eigen::Index count) {
    for (Eigen::Index i = 0; i < count; ++i) {
      double v;
      if (elem == 4) {
        float f;
        std::memcpy(&f, payload + offset, 4);
        v = f;
      } else {
        std::memcpy(&v, payload + offset, 8);
      }
      offset += elem;
      if (!std::isfinite(v)) throw Error(name + ": the model contains a NaN or infinite weight");
      to[i] = T(v);
    }
  };
  for (const LayerShape& s : shapes) {
    DenseLayer<T> layer;
    layer.activation = s.activation;
    layer.tied_to = s.tied_to;
    layer.W.resize(s.size, s.n_in);
    layer.b.resize(s.size);
    if (layer.tied_to < 0) read_values(layer.W.data(), layer.W.size());
    read_values(layer.b.data(), layer.b.size());
    dense.push_back(std::move(layer));
  }

  // ---- what it was trained on and with ----
  info.dataset = field_or<std::string>(header, "dataset", "", name);
  info.image_width = field_or<int>(header, "image_width", 0, name);
  info.image_height = field_or<int>(header, "image_height", 0, name);
  if (info.image_width < 0 || info.image_height < 0 ||
      (info.image_width > 0 && int64_t(info.image_width) * info.image_height != input_size))
    throw Error(name + ": image size " + std::to_string(info.image_width) + "×" + std::to_string(info.image_height) +
                " does not match the input size " + std::to_string(input_size));
  switch (info.kind) {
    case ModelKind::autoencoder: {
      if (version >= 2 || header.contains("loss")) {
        const json& loss = object_field(header, "loss", name);
        const std::string where = name + " (loss)";
        named(where, [&] {
          info.loss.kind = loss_from_name(field<std::string>(loss, "kind", where));
          info.loss.half = field_or<bool>(loss, "half", true, where);
          info.loss.units = reduction_from_name(field_or<std::string>(loss, "units", "sum", where));
          info.loss.batch = reduction_from_name(field_or<std::string>(loss, "batch", "mean", where));
          if (info.loss.kind == LossKind::gaussian) {
            info.loss.sigma = field_or<double>(loss, "sigma", 1.0, where);
            check_decoder_sigma(info.loss.sigma);
          }
        });
      }
      Autoencoder<T>& model = out.autoencoder;
      model.layers = std::move(dense);
      model.code_layer = code_layer;
      sync_tied_weights(model);
      if (version >= 2) {
        info.regularization = regularization_from_json(header, name);
        named(name + " (regularization)", [&] { validate(info.regularization, model); });
      } else {
        info.load_note = "a version 1 model file: it does not record the regularization it was trained with (k-sparse "
                         "models lose their k)";
      }
      apply_model_settings(model, info.regularization);
      break;
    }
    case ModelKind::vae:
      out.vae.net.layers = std::move(dense);
      out.vae.net.code_layer = encoder_layers;
      out.vae.encoder_layers = encoder_layers;
      out.vae.likelihood = likelihood;
      info.loss = vae_loss_config(likelihood);
      break;
    case ModelKind::classifier:
      out.classifier.net.layers = std::move(dense);
      out.classifier.net.code_layer = code_layer;
      break;
  }
  return out;
}

template <typename T>
SavedModel<T> load_any_model(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return deserialize_any_model<T>(std::string(bytes.begin(), bytes.end()), path);
}

template <typename T>
Autoencoder<T> deserialize_model(const std::string& bytes, ModelInfo* info, const std::string& name) {
  SavedModel<T> m = deserialize_any_model<T>(bytes, name);
  if (m.info.kind != ModelKind::autoencoder)
    throw Error(name + ": holds a " + model_kind_name(m.info.kind) + ", not an autoencoder");
  if (info) *info = m.info;
  return std::move(m.autoencoder);
}

template <typename T>
Autoencoder<T> load_model(const std::string& path, ModelInfo* info) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return deserialize_model<T>(std::string(bytes.begin(), bytes.end()), info, path);
}

template <typename M>
void save_model(const std::string& path, const M& model, const ModelInfo& info) {
  const std::string bytes = serialize_model(model, info);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("cannot write '" + path + "': " + std::strerror(errno));
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw Error("writing '" + path + "' failed (disk full?)");
}

#define AELAB_MODEL_IO_INSTANTIATE(T)                                                                 \
  template std::string serialize_model<T>(const Autoencoder<T>&, const ModelInfo&);                   \
  template std::string serialize_model<T>(const Vae<T>&, const ModelInfo&);                           \
  template std::string serialize_model<T>(const Classifier<T>&, const ModelInfo&);                    \
  template SavedModel<T> deserialize_any_model<T>(const std::string&, const std::string&);            \
  template SavedModel<T> load_any_model<T>(const std::string&);                                       \
  template Autoencoder<T> deserialize_model<T>(const std::string&, ModelInfo*, const std::string&);   \
  template Autoencoder<T> load_model<T>(const std::string&, ModelInfo*);                              \
  template void save_model<Autoencoder<T>>(const std::string&, const Autoencoder<T>&, const ModelInfo&); \
  template void save_model<Vae<T>>(const std::string&, const Vae<T>&, const ModelInfo&);              \
  template void save_model<Classifier<T>>(const std::string&, const Classifier<T>&, const ModelInfo&);
AELAB_MODEL_IO_INSTANTIATE(float)
AELAB_MODEL_IO_INSTANTIATE(double)
#undef AELAB_MODEL_IO_INSTANTIATE

}  // namespace ae
