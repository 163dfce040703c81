// model_io.cpp — the "AELAB-MODEL" file format (see model_io.h).
#include "model_io.h"

#include "idx.h"  // read_file_bytes

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>
#include <sstream>

namespace ae {

namespace {

using json = nlohmann::json;
constexpr const char* kMagic = "AELAB-MODEL";
constexpr int kFormatVersion = 1;

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

// Typed access to a header field with a message naming the field.
template <typename V>
V field(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw Error(where + ": the header has no \"" + key + "\" field");
  try {
    return j.at(key).get<V>();
  } catch (const json::exception&) {
    throw Error(where + ": the header field \"" + std::string(key) + "\" has the wrong type (" + j.at(key).dump() + ")");
  }
}

template <typename V>
V field_or(const json& j, const char* key, V fallback, const std::string& where) {
  return j.contains(key) ? field<V>(j, key, where) : fallback;
}

}  // namespace

template <typename T>
std::string serialize_model(const Autoencoder<T>& model, const ModelInfo& info) {
  if (!little_endian_host()) throw Error("model files are little-endian; this host is not");
  const bool f64 = std::is_same<T, double>::value;
  std::string payload;
  for (const auto& layer : model.layers) {
    if (layer.tied_to < 0) payload.append(reinterpret_cast<const char*>(layer.W.data()), sizeof(T) * size_t(layer.W.size()));
    payload.append(reinterpret_cast<const char*>(layer.b.data()), sizeof(T) * size_t(layer.b.size()));
  }
  json header;
  header["format_version"] = kFormatVersion;
  header["scalar"] = f64 ? "float64" : "float32";
  header["input_size"] = model.input_size();
  header["code_layer"] = model.code_layer;
  header["output_matches_input"] = model.output_size() == model.input_size();
  json layers = json::array();
  for (const auto& layer : model.layers)
    layers.push_back({{"size", layer.n_out()}, {"activation", activation_name(layer.activation)}, {"tied_to", layer.tied_to}});
  header["layers"] = layers;
  header["loss"] = {{"kind", loss_name(info.loss.kind)},
                    {"half", info.loss.half},
                    {"units", reduction_name(info.loss.units)},
                    {"batch", reduction_name(info.loss.batch)}};
  header["dataset"] = info.dataset;
  header["image_width"] = info.image_width;
  header["image_height"] = info.image_height;
  header["payload_bytes"] = payload.size();
  header["payload_fnv1a64"] = hex64(fnv1a64(payload.data(), payload.size()));
  return std::string(kMagic) + "\n" + header.dump() + "\n" + payload;
}

template <typename T>
Autoencoder<T> deserialize_model(const std::string& bytes, ModelInfo* info, const std::string& name) {
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
  } catch (const json::parse_error& e) {
    throw Error(name + ": the header is not valid JSON (" + e.what() + ")");
  }
  if (!header.is_object()) throw Error(name + ": the header is not a JSON object");

  const int version = field<int>(header, "format_version", name);
  if (version != kFormatVersion)
    throw Error(name + ": format version " + std::to_string(version) + " is not supported (this build reads version " +
                std::to_string(kFormatVersion) + ")");
  const std::string scalar = field<std::string>(header, "scalar", name);
  if (scalar != "float32" && scalar != "float64")
    throw Error(name + ": unknown scalar type \"" + scalar + "\" (expected float32 or float64)");
  const size_t elem = scalar == "float32" ? 4 : 8;

  Architecture arch;
  arch.input_size = field<int>(header, "input_size", name);
  arch.code_layer = field<int>(header, "code_layer", name);
  arch.output_matches_input = field_or<bool>(header, "output_matches_input", true, name);
  const json layers = header.contains("layers") ? header["layers"] : json();
  if (!layers.is_array()) throw Error(name + ": the header's \"layers\" is not a list");
  std::vector<int> tied_to;
  for (const json& l : layers) {
    if (!l.is_object()) throw Error(name + ": a layer entry is not an object");
    LayerSpec spec;
    spec.size = field<int>(l, "size", name + " (layer)");
    try {
      spec.activation = activation_from_name(field<std::string>(l, "activation", name + " (layer)"));
    } catch (const Error& e) {
      throw Error(name + ": " + e.what());
    }
    arch.layers.push_back(spec);
    tied_to.push_back(field_or<int>(l, "tied_to", -1, name + " (layer)"));
  }
  const int L = int(arch.layers.size());
  arch.tied_weights = false;
  for (int k = 0; k < L; ++k) {
    if (tied_to[k] == -1) continue;
    if (k <= arch.code_layer || tied_to[k] != L - 1 - k)
      throw Error(name + ": layer " + std::to_string(k) + " is tied to layer " + std::to_string(tied_to[k]) +
                  ", but a decoder layer k can only be tied to its mirror, layer " + std::to_string(L - 1 - k));
    arch.tied_weights = true;
  }
  if (arch.tied_weights)
    for (int k = arch.code_layer + 1; k < L; ++k)
      if (tied_to[k] == -1) throw Error(name + ": either every decoder layer is tied or none is");
  try {
    validate(arch);
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }

  // Payload length from the architecture, in checked 64-bit arithmetic (sizes are ≤ 65536).
  uint64_t values = 0;
  int n_in = arch.input_size;
  for (int k = 0; k < L; ++k) {
    if (tied_to[k] < 0) values += uint64_t(arch.layers[k].size) * uint64_t(n_in);
    values += uint64_t(arch.layers[k].size);
    n_in = arch.layers[k].size;
  }
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

  Autoencoder<T> model;
  model.code_layer = arch.code_layer;
  n_in = arch.input_size;
  size_t offset = 0;
  auto read_values = [&](T* out, Eigen::Index count) {
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
      out[i] = T(v);
    }
  };
  for (int k = 0; k < L; ++k) {
    DenseLayer<T> layer;
    layer.activation = arch.layers[k].activation;
    layer.tied_to = tied_to[k];
    layer.W.resize(arch.layers[k].size, n_in);
    layer.b.resize(arch.layers[k].size);
    if (layer.tied_to < 0) read_values(layer.W.data(), layer.W.size());
    read_values(layer.b.data(), layer.b.size());
    model.layers.push_back(std::move(layer));
    n_in = arch.layers[k].size;
  }
  sync_tied_weights(model);

  if (info) {
    ModelInfo out;
    if (header.contains("loss")) {
      const json& loss = header["loss"];
      try {
        out.loss.kind = loss_from_name(field<std::string>(loss, "kind", name + " (loss)"));
        out.loss.half = field_or<bool>(loss, "half", true, name + " (loss)");
        out.loss.units = reduction_from_name(field_or<std::string>(loss, "units", "sum", name + " (loss)"));
        out.loss.batch = reduction_from_name(field_or<std::string>(loss, "batch", "mean", name + " (loss)"));
      } catch (const Error& e) {
        throw Error(std::string(e.what()).rfind(name, 0) == 0 ? e.what() : name + ": " + e.what());
      }
    }
    out.dataset = field_or<std::string>(header, "dataset", "", name);
    out.image_width = field_or<int>(header, "image_width", 0, name);
    out.image_height = field_or<int>(header, "image_height", 0, name);
    if (out.image_width < 0 || out.image_height < 0 ||
        (out.image_width > 0 && int64_t(out.image_width) * out.image_height != arch.input_size))
      throw Error(name + ": image size " + std::to_string(out.image_width) + "×" + std::to_string(out.image_height) +
                  " does not match the input size " + std::to_string(arch.input_size));
    *info = out;
  }
  return model;
}

template <typename T>
void save_model(const std::string& path, const Autoencoder<T>& model, const ModelInfo& info) {
  const std::string bytes = serialize_model(model, info);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("cannot write '" + path + "': " + std::strerror(errno));
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw Error("writing '" + path + "' failed (disk full?)");
}

template <typename T>
Autoencoder<T> load_model(const std::string& path, ModelInfo* info) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  return deserialize_model<T>(std::string(bytes.begin(), bytes.end()), info, path);
}

template std::string serialize_model<float>(const Autoencoder<float>&, const ModelInfo&);
template std::string serialize_model<double>(const Autoencoder<double>&, const ModelInfo&);
template Autoencoder<float> deserialize_model<float>(const std::string&, ModelInfo*, const std::string&);
template Autoencoder<double> deserialize_model<double>(const std::string&, ModelInfo*, const std::string&);
template void save_model<float>(const std::string&, const Autoencoder<float>&, const ModelInfo&);
template void save_model<double>(const std::string&, const Autoencoder<double>&, const ModelInfo&);
template Autoencoder<float> load_model<float>(const std::string&, ModelInfo*);
template Autoencoder<double> load_model<double>(const std::string&, ModelInfo*);

}  // namespace ae
