// Model files: exact round trips, and a clear error (never a crash) for every kind of damage.
#include "ae/ae.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace ae;

namespace {

template <typename T>
Autoencoder<T> small_model(bool tied, uint64_t seed = 3) {
  Rng rng(seed);
  Architecture arch;
  arch.input_size = 6;
  arch.layers = {{4, Activation::relu}, {2, Activation::linear}, {4, Activation::tanh}, {6, Activation::sigmoid}};
  arch.code_layer = 1;
  arch.tied_weights = tied;
  Autoencoder<T> m = make_autoencoder<T>(arch, Init::he_normal, rng);
  for (auto& l : m.layers) l.b.setConstant(T(0.25));
  return m;
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_SUITE("model_io") {
  TEST_CASE("save and load give back the same model, float and double, tied and untied") {
    for (bool tied : {false, true}) {
      CAPTURE(tied);
      const Autoencoder<float> m = small_model<float>(tied);
      ModelInfo info;
      info.loss.kind = LossKind::binary_cross_entropy;
      info.loss.units = Reduction::mean;
      info.dataset = "unit-test";
      info.image_width = 3;
      info.image_height = 2;
      const std::string path = "/tmp/aelab-test-model-" + std::to_string(int(tied)) + ".aelab";
      save_model(path, m, info);
      ModelInfo back;
      const Autoencoder<float> loaded = load_model<float>(path, &back);
      std::remove(path.c_str());
      REQUIRE(loaded.layers.size() == m.layers.size());
      CHECK(loaded.code_layer == 1);
      for (size_t l = 0; l < m.layers.size(); ++l) {
        CHECK((loaded.layers[l].W.array() == m.layers[l].W.array()).all());
        CHECK((loaded.layers[l].b.array() == m.layers[l].b.array()).all());
        CHECK(loaded.layers[l].activation == m.layers[l].activation);
        CHECK(loaded.layers[l].tied_to == m.layers[l].tied_to);
      }
      CHECK(back.loss.kind == LossKind::binary_cross_entropy);
      CHECK(back.loss.units == Reduction::mean);
      CHECK(back.dataset == "unit-test");
      CHECK(back.image_width == 3);
      // A float file loads as double with the same values.
      const Autoencoder<double> as_double = deserialize_model<double>(serialize_model(m, info), nullptr, "x");
      CHECK((as_double.layers[0].W.cast<float>().array() == m.layers[0].W.array()).all());
    }
    // Tied models store each shared matrix once.
    CHECK(serialize_model(small_model<float>(true), ModelInfo()).size() <
          serialize_model(small_model<float>(false), ModelInfo()).size() - 4 * (24 + 8) + 1);
  }

  TEST_CASE("damaged or foreign files are refused with a message naming the problem") {
    const std::string good = serialize_model(small_model<double>(false), ModelInfo());
    const size_t header_end = good.find('\n', good.find('\n') + 1);
    struct Case {
      std::string bytes;
      const char* message;
    };
    std::string flipped = good;
    flipped[header_end + 5] ^= 0x10;
    std::string nan_model_bytes;
    {
      Autoencoder<double> m = small_model<double>(false);
      m.layers[2].W(1, 1) = std::numeric_limits<double>::quiet_NaN();
      nan_model_bytes = serialize_model(m, ModelInfo());
    }
    const Case cases[] = {
        {"", "not an AE Lab model file"},
        {"P6\n3 2\n255\n", "not an AE Lab model file"},
        {"AELAB-MODEL\n", "header line is missing"},
        {"AELAB-MODEL\n{\"format_version\": 1,\n", "not valid JSON"},
        {"AELAB-MODEL\n[1,2]\n", "not a JSON object"},
        {replace_once(good, "\"format_version\":1", "\"format_version\":7"), "format version 7 is not supported"},
        {replace_once(good, "\"scalar\":\"float64\"", "\"scalar\":\"int8\""), "unknown scalar type"},
        {replace_once(good, "\"input_size\":6", "\"input_size\":\"six\""), "\"input_size\" has the wrong type"},
        {replace_once(good, "\"activation\":\"relu\"", "\"activation\":\"swish\""), "unknown activation"},
        {replace_once(good, "\"size\":4", "\"size\":400000"), "layer sizes must be in"},
        {replace_once(good, "\"size\":4", "\"size\":-4"), "layer sizes must be in"},
        {replace_once(good, "\"code_layer\":1", "\"code_layer\":3"), "code layer"},
        {replace_once(good, "\"tied_to\":-1}]", "\"tied_to\":1}]"), "can only be tied to its mirror"},
        {good.substr(0, good.size() - 9), "truncated"},
        {good + "x", "1 unexpected bytes after the payload"},
        {flipped, "checksum does not match"},
        {nan_model_bytes, "NaN or infinite weight"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.message);
      CHECK_THROWS_WITH_AS(deserialize_model<float>(c.bytes, nullptr, "model.aelab"), doctest::Contains(c.message), Error);
    }
    // Declared payload size that disagrees with the architecture.
    std::string wrong_size = good;
    const std::string key = "\"payload_bytes\":";
    const size_t at = wrong_size.find(key) + key.size();
    wrong_size.insert(at, "9");
    CHECK_THROWS_WITH_AS(deserialize_model<float>(wrong_size, nullptr, "m"), doctest::Contains("declares"), Error);
    CHECK_THROWS_WITH_AS(load_model<float>("/nonexistent/model.aelab"), doctest::Contains("file not found"), Error);
  }
}
