// Model files: exact round trips of every kind (autoencoder with its regularization, VAE,
// classifier), old version-1 files, and a clear error (never a crash) for every kind of damage.
#include "ae/ae.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>

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

template <typename T>
void check_same_layers(const std::vector<DenseLayer<T>>& a, const std::vector<DenseLayer<T>>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t l = 0; l < a.size(); ++l) {
    CAPTURE(l);
    REQUIRE(a[l].W.rows() == b[l].W.rows());
    REQUIRE(a[l].W.cols() == b[l].W.cols());
    REQUIRE(a[l].b.size() == b[l].b.size());
    CHECK(std::memcmp(a[l].W.data(), b[l].W.data(), sizeof(T) * size_t(a[l].W.size())) == 0);  // bit-exact
    CHECK(std::memcmp(a[l].b.data(), b[l].b.data(), sizeof(T) * size_t(a[l].b.size())) == 0);
    CHECK(a[l].activation == b[l].activation);
    CHECK(a[l].tied_to == b[l].tied_to);
  }
}

Vae<float> small_vae(int encoder_layers, VaeLikelihood likelihood) {
  VaeArchitecture arch;
  arch.input_size = 6;
  arch.encoder_hidden.assign(size_t(encoder_layers), {5, Activation::tanh});
  arch.latent_size = 3;
  arch.decoder_hidden = {{4, Activation::relu}};
  arch.likelihood = likelihood;
  Rng rng(11);
  return make_vae<float>(arch, rng);
}

Classifier<float> small_classifier() {
  Rng rng(5);
  return make_classifier(random_encoders<float>(6, {{5, Activation::sigmoid}, {3, Activation::relu}}, rng), 4, rng);
}

// The header of a serialized model as JSON, and the file with a changed header (the payload and
// its checksum untouched): how the damage cases below reach each field.
nlohmann::json header_of(const std::string& bytes) {
  const size_t start = bytes.find('\n') + 1;
  return nlohmann::json::parse(bytes.substr(start, bytes.find('\n', start) - start));
}
std::string with_header(const std::string& bytes, const nlohmann::json& header) {
  const size_t start = bytes.find('\n') + 1, end = bytes.find('\n', start);
  return bytes.substr(0, start) + header.dump() + bytes.substr(end);
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
        {replace_once(good, "\"format_version\":2", "\"format_version\":7"), "format version 7 is not supported"},
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
        // Found by fuzz_model (and by hand, issue 13): a number too large for a double used to escape
        // as nlohmann's out_of_range.406 (std::terminate); a float where a whole number belongs
        // was converted to int with undefined behaviour.
        {replace_once(good, "\"input_size\":6", "\"input_size\":1e30805"), "not valid JSON"},
        {replace_once(good, "\"tied_to\":-1}]", "\"tied_to\":-33333333333333333331}]"), "\"tied_to\" must be a whole number"},
        {replace_once(good, "\"input_size\":6", "\"input_size\":-3.3e19"), "\"input_size\" must be a whole number"},
        {replace_once(good, "\"code_layer\":1", "\"code_layer\":1.5"), "\"code_layer\" must be a whole number"},
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

  TEST_CASE("an autoencoder keeps the regularization it was trained with; k-sparse gets its k back") {
    Autoencoder<float> m = small_model<float>(false);
    ModelInfo info;
    info.regularization.corruption = {CorruptionKind::salt_and_pepper, 0.125, -0.5, 1.5};
    info.regularization.sparsity.kind = SparsityKind::top_k;
    info.regularization.sparsity.k = 1;
    info.regularization.sparsity.l1_weight = 0.25;
    info.regularization.sparsity.kl_weight = 0.375;
    info.regularization.sparsity.target = 0.0625;
    info.regularization.contractive = {0.5, ContractiveForm::stochastic, 0.03125};
    CHECK_THROWS_WITH_AS(serialize_model(m, info), doctest::Contains("apply_model_settings"), Error);  // k not in the model
    apply_model_settings(m, info.regularization);
    ModelInfo back;
    const Autoencoder<float> loaded = deserialize_model<float>(serialize_model(m, info), &back, "m");
    check_same_layers(loaded.layers, m.layers);
    CHECK(loaded.code_top_k == 1);
    CHECK(back.kind == ModelKind::autoencoder);
    CHECK(back.format_version == 2);
    const Regularization& r = back.regularization;
    CHECK(r.corruption.kind == CorruptionKind::salt_and_pepper);
    CHECK(r.corruption.level == 0.125);
    CHECK(r.corruption.min_value == -0.5);
    CHECK(r.corruption.max_value == 1.5);
    CHECK(r.sparsity.kind == SparsityKind::top_k);
    CHECK(r.sparsity.k == 1);
    CHECK(r.sparsity.l1_weight == 0.25);
    CHECK(r.sparsity.kl_weight == 0.375);
    CHECK(r.sparsity.target == 0.0625);
    CHECK(r.contractive.weight == 0.5);
    CHECK(r.contractive.form == ContractiveForm::stochastic);
    CHECK(r.contractive.noise == 0.03125);
    // The loaded model computes what the saved one does, top-k included.
    Rng rng(4);
    Matrix<float> x(6, 5);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng.uniform());
    CHECK((encode(loaded, x).array() == encode(m, x).array()).all());
    CHECK((encode(loaded, x).array() != 0.0f).colwise().count().maxCoeff() <= 1);
    // A KL-sparse sigmoid code round-trips too (validate() accepts it against the model).
    Autoencoder<double> kl = small_model<double>(false);
    kl.layers[1].activation = Activation::sigmoid;
    ModelInfo kl_info;
    kl_info.regularization.sparsity.kind = SparsityKind::kl;
    kl_info.regularization.sparsity.target = 0.1;
    ModelInfo kl_back;
    const Autoencoder<double> kl_loaded = deserialize_model<double>(serialize_model(kl, kl_info), &kl_back, "kl");
    check_same_layers(kl_loaded.layers, kl.layers);
    CHECK(kl_back.regularization.sparsity.kind == SparsityKind::kl);
    CHECK(kl_back.regularization.sparsity.target == 0.1);
    CHECK(kl_loaded.code_top_k == 0);
  }

  TEST_CASE("a VAE round-trips bit-exactly, with and without encoder hidden layers, both likelihoods") {
    for (int E : {0, 1, 2})
      for (VaeLikelihood lk : {VaeLikelihood::bernoulli, VaeLikelihood::gaussian}) {
        CAPTURE(E);
        CAPTURE(int(lk));
        const Vae<float> v = small_vae(E, lk);
        ModelInfo info;
        info.vae.beta = 4.5;
        info.vae.decoder_variance = 0.25;
        info.dataset = "toy:s_curve";
        const std::string path = "/tmp/aelab-test-vae.aelab";
        save_model(path, v, info);
        const SavedModel<float> back = load_any_model<float>(path);
        std::remove(path.c_str());
        REQUIRE(back.info.kind == ModelKind::vae);
        check_same_layers(back.vae.net.layers, v.net.layers);
        CHECK(back.vae.encoder_layers == E);
        CHECK(back.vae.net.code_layer == v.net.code_layer);
        CHECK(back.vae.likelihood == lk);
        CHECK(back.vae.latent_size() == 3);
        CHECK(back.info.vae.beta == 4.5);
        CHECK(back.info.vae.decoder_variance == 0.25);
        CHECK(back.info.dataset == "toy:s_curve");
        // The same ELBO from the same ε.
        Matrix<float> x = Matrix<float>::Constant(6, 3, 0.5f);
        Rng r1(9), r2(9);
        CHECK(vae_evaluate(back.vae, back.info.vae, x, r1).elbo == vae_evaluate(v, info.vae, x, r2).elbo);
        // Not an autoencoder: the autoencoder loader says what it is.
        CHECK_THROWS_WITH_AS(deserialize_model<float>(serialize_model(v, info), nullptr, "v.aelab"),
                             doctest::Contains("v.aelab: holds a vae, not an autoencoder"), Error);
      }
  }

  TEST_CASE("a classifier round-trips bit-exactly and predicts the same") {
    const Classifier<float> c = small_classifier();
    ModelInfo info;
    info.pretrained = true;
    const SavedModel<double> back = deserialize_any_model<double>(serialize_model(c, info), "c");
    REQUIRE(back.info.kind == ModelKind::classifier);
    CHECK(back.info.pretrained);
    CHECK(back.classifier.num_classes() == 4);
    CHECK(back.classifier.net.code_layer == c.net.code_layer);
    const SavedModel<float> same = deserialize_any_model<float>(serialize_model(c, info), "c");
    check_same_layers(same.classifier.net.layers, c.net.layers);
    Matrix<float> x = Matrix<float>::Identity(6, 6);
    CHECK(classifier_predict(same.classifier, x) == classifier_predict(c, x));
  }

  TEST_CASE("version 1 files (no kind, no regularization) still load as plain autoencoders") {
    const Autoencoder<float> m = small_model<float>(true);
    ModelInfo info;
    info.loss.kind = LossKind::binary_cross_entropy;
    nlohmann::json h = header_of(serialize_model(m, info));
    h["format_version"] = 1;
    h.erase("kind");
    h.erase("regularization");
    ModelInfo back;
    const Autoencoder<float> loaded = deserialize_model<float>(with_header(serialize_model(m, info), h), &back, "old");
    check_same_layers(loaded.layers, m.layers);
    CHECK(back.format_version == 1);
    CHECK(back.kind == ModelKind::autoencoder);
    CHECK(back.loss.kind == LossKind::binary_cross_entropy);
    CHECK(back.regularization.sparsity.kind == SparsityKind::none);
    CHECK(back.load_note.find("version 1") != std::string::npos);
    // …but a version 2 file must say what it is.
    h["format_version"] = 2;
    CHECK_THROWS_WITH_AS(deserialize_model<float>(with_header(serialize_model(m, info), h), nullptr, "m"),
                         doctest::Contains("the header has no \"kind\" field"), Error);
  }

  TEST_CASE("damaged kinds, shapes and settings are refused with a message naming the problem") {
    using json = nlohmann::json;
    Autoencoder<double> ae_model = small_model<double>(false);
    const std::string ae_bytes = serialize_model(ae_model, ModelInfo());
    const std::string vae_bytes = serialize_model(small_vae(1, VaeLikelihood::bernoulli), ModelInfo());
    const std::string clf_bytes = serialize_model(small_classifier(), ModelInfo());
    struct Case {
      const std::string* bytes;
      std::function<void(json&)> damage;
      const char* message;
    };
    const Case cases[] = {
        // kinds
        {&ae_bytes, [](json& h) { h["kind"] = "gan"; }, "unknown model kind \"gan\""},
        {&ae_bytes, [](json& h) { h["kind"] = 3; }, "\"kind\" has the wrong type"},
        {&ae_bytes, [](json& h) { h["kind"] = "vae"; }, "the header has no \"vae\" field"},
        {&ae_bytes, [](json& h) { h["kind"] = "classifier"; }, "the header has no \"classifier\" field"},
        {&vae_bytes, [](json& h) { h["kind"] = "autoencoder"; }, "architecture"},
        {&clf_bytes, [](json& h) { h["kind"] = "autoencoder"; }, "the header has no \"loss\" field"},
        // the autoencoder's regularization
        {&ae_bytes, [](json& h) { h.erase("regularization"); }, "the header has no \"regularization\" field"},
        {&ae_bytes, [](json& h) { h["regularization"] = 1; }, "\"regularization\" is not an object"},
        {&ae_bytes, [](json& h) { h["regularization"].erase("sparsity"); }, "(regularization): the header has no \"sparsity\""},
        {&ae_bytes, [](json& h) { h["regularization"]["sparsity"].erase("k"); }, "(regularization.sparsity): the header has no \"k\""},
        {&ae_bytes, [](json& h) { h["regularization"]["sparsity"]["kind"] = "dense"; }, "unknown sparsity 'dense'"},
        {&ae_bytes, [](json& h) { h["regularization"]["sparsity"]["kind"] = "top_k"; }, "k-sparse: k must be in 1..2"},
        {&ae_bytes, [](json& h) { h["regularization"]["sparsity"]["k"] = 70000; }, "\"k\" = 70000 is out of range"},
        {&ae_bytes, [](json& h) { h["regularization"]["sparsity"]["kind"] = "kl"; }, "needs a sigmoid code"},
        {&ae_bytes, [](json& h) { h["regularization"]["sparsity"]["target"] = "low"; }, "\"target\" has the wrong type"},
        {&ae_bytes, [](json& h) { h["regularization"]["corruption"]["kind"] = "fog"; }, "unknown corruption 'fog'"},
        {&ae_bytes, [](json& h) {
           h["regularization"]["corruption"]["kind"] = "masking";
           h["regularization"]["corruption"]["level"] = 2;
         }, "the level ν is a fraction"},
        {&ae_bytes, [](json& h) { h["regularization"]["contractive"]["weight"] = -1; }, "\"weight\" = -1 is out of range"},
        {&ae_bytes, [](json& h) { h["regularization"]["contractive"]["form"] = "sideways"; }, "unknown contractive form"},
        {&ae_bytes, [](json& h) {
           h["regularization"]["contractive"]["weight"] = 0.1;
           h["regularization"]["contractive"]["form"] = "exact";
         }, "the exact penalty is implemented for a one-layer encoder"},
        {&ae_bytes, [](json& h) { h.erase("loss"); }, "the header has no \"loss\" field"},
        {&ae_bytes, [](json& h) { h["loss"]["kind"] = "hinge"; }, "(loss): unknown loss"},
        // the VAE's fields and shapes
        {&vae_bytes, [](json& h) { h.erase("vae"); }, "the header has no \"vae\" field"},
        {&vae_bytes, [](json& h) { h["vae"].erase("beta"); }, "(vae): the header has no \"beta\" field"},
        {&vae_bytes, [](json& h) { h["vae"]["beta"] = -1; }, "\"beta\" = -1 is out of range"},
        {&vae_bytes, [](json& h) { h["vae"]["decoder_variance"] = 0; }, "\"decoder_variance\" = 0 is out of range"},
        {&vae_bytes, [](json& h) { h["vae"]["likelihood"] = "poisson"; }, "unknown VAE decoder 'poisson'"},
        {&vae_bytes, [](json& h) { h["vae"]["likelihood"] = "gaussian"; }, "a gaussian decoder needs a linear output layer"},
        {&vae_bytes, [](json& h) { h["vae"]["latent_size"] = 4; }, "the μ head has 3 units, the latent size is 4"},
        {&vae_bytes, [](json& h) { h["vae"]["encoder_layers"] = 3; }, "cannot hold 3 encoder layers"},
        {&vae_bytes, [](json& h) { h["code_layer"] = 0; }, "the code layer must be the μ head"},
        {&vae_bytes, [](json& h) { h["layers"][2]["size"] = 2; }, "the log σ² head has 2 units"},
        {&vae_bytes, [](json& h) { h["layers"][1]["activation"] = "relu"; }, "heads must be linear"},
        {&vae_bytes, [](json& h) { h["layers"][4]["size"] = 7; }, "the decoder's output has 7 units, the input 6"},
        {&vae_bytes, [](json& h) { h["layers"][3]["tied_to"] = 0; }, "a VAE has no tied layers"},
        // the classifier's
        {&clf_bytes, [](json& h) { h["classifier"].erase("pretrained"); }, "(classifier): the header has no \"pretrained\""},
        {&clf_bytes, [](json& h) { h["classifier"]["classes"] = 5; }, "the last layer has 4 units for 5 classes"},
        {&clf_bytes, [](json& h) { h["classifier"]["classes"] = 1; }, "\"classes\" = 1 is out of range"},
        {&clf_bytes, [](json& h) { h["layers"][2]["activation"] = "sigmoid"; }, "it must be linear"},
        {&clf_bytes, [](json& h) { h["code_layer"] = 0; }, "the code layer must be the top encoder layer, layer 1"},
        {&clf_bytes, [](json& h) { h["layers"][1]["size"] = 4; }, "payload bytes, the architecture needs"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.message);
      json h = header_of(*c.bytes);
      c.damage(h);
      CHECK_THROWS_WITH_AS(deserialize_any_model<float>(with_header(*c.bytes, h), "model.aelab"),
                           doctest::Contains(c.message), Error);
    }
  }
}
