// lesson.cpp — lesson files: strict reading, canonical writing (see lesson.h).
#include "lesson.h"

#include "embedded.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace app {

using Json = nlohmann::json;

namespace {

// ---- Reading: a field at a time, each error naming its path -----------------------------------

std::string shown(const Json& v) {
  std::string text = v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

// One JSON object being read: every key it has must be read (else: unknown field).
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path, std::string file) : object_(object), path_(std::move(path)), file_(std::move(file)) {
    if (!object_.is_object()) fail(path_.empty() ? "the file" : path_, "expected an object { … }, got " + shown(object_));
  }

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw ae::Error(file_ + ": " + field + ": " + what);
  }
  std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& file() const { return file_; }

  const Json* get(const std::string& key) {
    known_.push_back(key);
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  bool has(const std::string& key) const { return object_.contains(key); }

  void number(const std::string& key, double& out, double lo, double hi) {
    const Json* v = get(key);
    if (!v) return;
    if (!v->is_number() || !(v->get<double>() >= lo && v->get<double>() <= hi))
      fail(field(key), "expected a number from " + number_text(lo) + " to " + number_text(hi) + ", got " + shown(*v));
    out = v->get<double>();
  }
  void number(const std::string& key, float& out, double lo, double hi) {
    double d = out;
    number(key, d, lo, hi);
    out = float(d);
  }
  void integer(const std::string& key, int& out, int lo, int hi) {
    const Json* v = get(key);
    if (!v) return;
    const bool whole = v->is_number_integer() || (v->is_number_float() && std::floor(v->get<double>()) == v->get<double>());
    if (!whole || !(v->get<double>() >= lo && v->get<double>() <= hi))
      fail(field(key), "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " + shown(*v));
    out = int(v->get<double>());
  }
  void boolean(const std::string& key, bool& out) {
    const Json* v = get(key);
    if (!v) return;
    if (!v->is_boolean()) fail(field(key), "expected true or false, got " + shown(*v));
    out = v->get<bool>();
  }
  void text(const std::string& key, std::string& out) {
    const Json* v = get(key);
    if (!v) return;
    if (!v->is_string()) fail(field(key), "expected a string, got " + shown(*v));
    out = v->get<std::string>();
  }
  // A name from a fixed list; `parse` throws ae::Error for an unknown one.
  template <typename E, typename Parse>
  void name(const std::string& key, E& out, const std::string& expected, Parse parse) {
    const Json* v = get(key);
    if (!v) return;
    if (!v->is_string()) fail(field(key), "expected " + expected + ", got " + shown(*v));
    try {
      out = parse(v->get<std::string>());
    } catch (const ae::Error&) {
      fail(field(key), "expected " + expected + ", got " + shown(*v));
    }
  }
  // After reading: any key not asked for is a typo or a field of another version.
  void finish() const {
    for (const auto& [key, value] : object_.items())
      if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
        std::string expected;
        for (const auto& k : known_) expected += (expected.empty() ? "" : ", ") + k;
        fail(field(key), "unknown field (expected one of: " + expected + ")");
      }
  }
  ObjectReader child(const std::string& key) const { return ObjectReader(object_.at(key), field(key), file_); }

 private:
  const Json& object_;
  std::string path_, file_;
  std::vector<std::string> known_;
};

const char* const kActivations = "linear, sigmoid, tanh, relu, leaky_relu or softplus";

void read_text(ObjectReader& r, const std::string& key, LocalText& out, bool required) {
  const Json* v = r.get(key);
  if (!v) {
    if (required) r.fail(r.field(key), "missing (expected {\"en\": \"…\", \"ko\": \"…\"})");
    return;
  }
  ObjectReader t(*v, r.field(key), r.file());
  t.text("en", out.en);
  t.text("ko", out.ko);
  t.finish();
  if (out.en.empty()) t.fail(t.field("en"), "missing (the English text is required; Korean falls back to it)");
}

void read_layer(const Json& v, const std::string& path, const std::string& file, ae::LayerSpec& layer, int max_size) {
  ObjectReader l(v, path, file);
  if (!l.has("size")) l.fail(l.field("size"), "missing (expected a whole number from 1 to " + std::to_string(max_size) + ")");
  l.integer("size", layer.size, 1, max_size);
  l.name("activation", layer.activation, kActivations, ae::activation_from_name);
  l.finish();
}

void read_layers(ObjectReader& r, const std::string& key, std::vector<ae::LayerSpec>& layers, int max_layers, int max_size) {
  const Json* v = r.get(key);
  if (!v) return;
  if (!v->is_array() || v->size() > size_t(max_layers))
    r.fail(r.field(key), "expected a list of at most " + std::to_string(max_layers) + " layers [{\"size\": …, \"activation\": …}], got " + shown(*v));
  layers.assign(v->size(), ae::LayerSpec{32, ae::Activation::relu});
  for (size_t i = 0; i < v->size(); ++i) read_layer((*v)[i], r.field(key) + "[" + std::to_string(i) + "]", r.file(), layers[i], max_size);
}

void read_network(ObjectReader& r, NetworkSpec& net, int max_layer_size, int max_code_size) {
  if (!r.get("network")) return;
  ObjectReader n = r.child("network");
  read_layers(n, "hidden", net.encoder_hidden, limits::max_hidden_layers, max_layer_size);
  if (n.get("code")) {
    ObjectReader c = n.child("code");
    c.integer("size", net.code_size, 1, max_code_size);
    c.name("activation", net.code_activation, kActivations, ae::activation_from_name);
    c.finish();
  }
  n.name("output_activation", net.output_activation, kActivations, ae::activation_from_name);
  n.boolean("tied_weights", net.tied_weights);
  n.finish();
}

void read_corruption(ObjectReader& r, ae::CorruptionConfig& c) {
  if (!r.get("corruption")) return;
  ObjectReader k = r.child("corruption");
  k.name("kind", c.kind, "none, masking, gaussian or salt_and_pepper", ae::corruption_from_name);
  k.number("level", c.level, 0.0, limits::max_corruption);
  k.finish();
}

void read_training(ObjectReader& r, TrainingSpec& t, bool allow_vae, int code_size) {
  if (!r.get("training")) return;
  ObjectReader k = r.child("training");
  const std::string variants = allow_vae ? "plain, l1, kl, k-sparse, denoising, contractive or vae"
                                         : "plain, l1, kl, k-sparse, denoising or contractive (the VAE is in MNIST scenes)";
  k.name("variant", t.variant, variants, [&](const std::string& key) {
    Variant v;
    if (!variant_from_key(key, v) || (v == Variant::vae && !allow_vae)) throw ae::Error("variant");
    return v;
  });
  k.name("optimizer", t.optimizer, "sgd, momentum or adam", ae::optimizer_from_name);
  k.number("learning_rate", t.learning_rate, limits::min_learning_rate, limits::max_learning_rate);
  k.integer("batch_size", t.batch_size, 1, limits::max_batch_size);
  k.name("loss", t.loss, "squared_error, binary_cross_entropy or gaussian", ae::loss_from_name);
  k.number("decoder_sigma", t.decoder_sigma, limits::min_decoder_sigma, limits::max_decoder_sigma);
  k.integer("seed", t.seed, 0, limits::max_seed);
  ae::Regularization& reg = t.regularization;
  read_corruption(k, reg.corruption);
  if (k.get("sparsity")) {
    ObjectReader s = k.child("sparsity");
    s.number("l1_weight", reg.sparsity.l1_weight, 0.0, limits::max_l1_weight);
    s.number("kl_weight", reg.sparsity.kl_weight, 0.0, limits::max_kl_weight);
    s.number("target", reg.sparsity.target, limits::min_sparsity_target, limits::max_sparsity_target);
    s.integer("k", reg.sparsity.k, 0, code_size);
    s.finish();
  }
  if (k.get("contractive")) {
    ObjectReader c = k.child("contractive");
    c.number("weight", reg.contractive.weight, 0.0, limits::max_contractive_weight);
    c.name("form", reg.contractive.form, "auto, exact or stochastic", ae::contractive_form_from_name);
    c.number("noise", reg.contractive.noise, limits::min_contractive_noise, limits::max_contractive_noise);
    c.finish();
  }
  k.number("vae_beta", t.vae_beta, 0.0, limits::max_vae_beta);
  k.finish();
}

// The code size must be known before the sparsity's k can be checked against it.
int code_size_in(const Json& root, int fallback) {
  const auto n = root.find("network");
  if (n == root.end() || !n->is_object()) return fallback;
  const auto c = n->find("code");
  if (c == n->end() || !c->is_object()) return fallback;
  const auto s = c->find("size");
  return s != c->end() && s->is_number_integer() ? std::max(fallback, int(s->get<int>())) : fallback;
}

// ---- Writing -------------------------------------------------------------------------------------

// Objects keep the order a reader expects (nlohmann's default object sorts its keys).
using Out = nlohmann::ordered_json;

// A float as the shortest decimal that reads back as the same float: 0.01f is written 0.01,
// not 0.009999999776482582.
double float_json(float v) {
  for (int digits = 6; digits < 10; ++digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*g", digits, double(v));
    const double d = std::strtod(text, nullptr);
    if (float(d) == v) return d;
  }
  return double(v);
}


Out text_json(const LocalText& t) { return Out{{"en", t.en}, {"ko", t.ko}}; }
Out layer_json(const ae::LayerSpec& l) { return Out{{"size", l.size}, {"activation", ae::activation_name(l.activation)}}; }
Out layers_json(const std::vector<ae::LayerSpec>& layers) {
  Out list = Out::array();
  for (const auto& l : layers) list.push_back(layer_json(l));
  return list;
}
Out network_json(const NetworkSpec& n) {
  return Out{{"hidden", layers_json(n.encoder_hidden)},
              {"code", {{"size", n.code_size}, {"activation", ae::activation_name(n.code_activation)}}},
              {"output_activation", ae::activation_name(n.output_activation)},
              {"tied_weights", n.tied_weights}};
}
Out corruption_json(const ae::CorruptionConfig& c) { return Out{{"kind", ae::corruption_name(c.kind)}, {"level", c.level}}; }
Out training_json(const TrainingSpec& t) {
  const ae::Regularization& r = t.regularization;
  Out j{{"variant", variant_key(t.variant)},
        {"optimizer", ae::optimizer_name(t.optimizer)},
        {"learning_rate", float_json(t.learning_rate)},
        {"batch_size", t.batch_size},
        {"loss", ae::loss_name(t.loss)}};
  if (t.loss == ae::LossKind::gaussian) j["decoder_sigma"] = float_json(t.decoder_sigma);
  j.update(Out{{"seed", t.seed},
              {"corruption", corruption_json(r.corruption)},
              {"sparsity", {{"l1_weight", r.sparsity.l1_weight}, {"kl_weight", r.sparsity.kl_weight}, {"target", r.sparsity.target}, {"k", r.sparsity.k}}},
              {"contractive", {{"weight", r.contractive.weight}, {"form", ae::contractive_form_name(r.contractive.form)}, {"noise", r.contractive.noise}}},
              {"vae_beta", t.vae_beta}});
  return j;
}

}  // namespace

const char* scene_key(Scene scene) {
  switch (scene) {
    case Scene::toy: return "toy";
    case Scene::step_through: return "step_through";
    case Scene::mnist: return "mnist";
    case Scene::stacked: return "stacked";
    case Scene::descent: return "descent";
  }
  return "?";
}

namespace {
// The toy scene's data, network and training (also the descent scene's).
void read_toy(ObjectReader& r, const Json& root, ToySettings& t) {
  if (r.get("data")) {
    ObjectReader d = r.child("data");
    d.name("manifold", t.manifold, "circle, spiral, two_moons, swiss_roll, s_curve, helix or sphere", ae::toy_from_name);
    d.integer("points", t.n_points, limits::min_toy_points, limits::max_toy_points);
    d.number("noise", t.noise, 0.0, limits::max_toy_noise);
    d.finish();
  }
  read_network(r, t.net, limits::toy_max_layer_size, limits::toy_max_code_size);
  read_training(r, t.training, false, code_size_in(root, t.net.code_size));
}
void write_toy(Out& j, const ToySettings& t) {
  j["data"] = {{"manifold", ae::toy_name(t.manifold)}, {"points", t.n_points}, {"noise", float_json(t.noise)}};
  j["network"] = network_json(t.net);
  j["training"] = training_json(t.training);
}
}  // namespace

Lesson parse_lesson(const std::string& json_text, const std::string& name) {
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    // nlohmann's parse errors give the byte offset ("at line 3, column 5").
    throw ae::Error(name + ": not valid JSON: " + e.what());
  }
  ObjectReader r(root, "", name);
  Lesson lesson;
  lesson.file = name;
  int version = 0;
  if (!r.has("aelab_lesson")) r.fail("aelab_lesson", "missing (expected \"aelab_lesson\": 1, the format version)");
  r.integer("aelab_lesson", version, 1, kLessonFormatVersion);
  if (!r.has("id")) r.fail("id", "missing (expected a short name such as \"spiral\")");
  r.text("id", lesson.id);
  if (lesson.id.empty() || lesson.id.size() > 64 ||
      !std::all_of(lesson.id.begin(), lesson.id.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '-' || c == '_'; }))
    r.fail("id", "expected 1 to 64 letters, digits, '-' or '_', got \"" + lesson.id.substr(0, 60) + "\"");
  read_text(r, "title", lesson.title, true);
  read_text(r, "text", lesson.text, true);
  if (!r.has("scene")) r.fail("scene", "missing (expected toy, step_through, mnist, stacked or descent)");
  r.name("scene", lesson.scene, "toy, step_through, mnist, stacked or descent", [](const std::string& key) {
    for (Scene s : {Scene::toy, Scene::step_through, Scene::mnist, Scene::stacked, Scene::descent})
      if (key == scene_key(s)) return s;
    throw ae::Error("scene");
  });

  switch (lesson.scene) {
    case Scene::step_through:
      if (!r.has("worked_example")) r.fail("worked_example", "missing (expected the name of a worked example, e.g. \"backprop-2-2-2.json\")");
      r.text("worked_example", lesson.worked_example);
      break;
    case Scene::toy:
      read_toy(r, root, lesson.toy);
      if (r.get("view")) {
        ObjectReader v = r.child("view");
        v.boolean("reconstruction_field", lesson.view.reconstruction_field);
        v.boolean("jacobian", lesson.view.jacobian);
        v.boolean("lecture_map", lesson.view.lecture_map);
        v.finish();
      }
      break;
    case Scene::descent: {
      read_toy(r, root, lesson.descent.toy);
      if (lesson.descent.toy.net.tied_weights)
        r.fail("network.tied_weights", "expected false (the two weights that learn must be different ones)");
      if (r.get("descent")) {
        ObjectReader d = r.child("descent");
        const double e = limits::max_descent_extent;
        d.number("extent", lesson.descent.extent, limits::min_descent_extent, e);
        d.number("start_a", lesson.descent.start_a, -e, e);
        d.number("start_b", lesson.descent.start_b, -e, e);
        d.finish();
      }
      break;
    }
    case Scene::mnist:
      read_network(r, lesson.mnist.net, limits::mnist_max_layer_size, limits::mnist_max_code_size);
      read_training(r, lesson.mnist.training, true, code_size_in(root, lesson.mnist.net.code_size));
      if (r.get("view")) {
        ObjectReader v = r.child("view");
        v.boolean("likelihood", lesson.view.likelihood);
        v.boolean("manifolds", lesson.view.manifolds);
        v.boolean("representation", lesson.view.representation);
        v.finish();
      }
      break;
    case Scene::stacked: {
      if (!r.get("stacked")) break;
      ObjectReader s = r.child("stacked");
      StackedSettings& st = lesson.stacked;
      read_layers(s, "layers", st.layers, 4, limits::mnist_max_layer_size);
      if (st.layers.empty()) s.fail(s.field("layers"), "expected at least one layer");
      read_corruption(s, st.corruption);
      s.integer("pretrain_epochs", st.pretrain_epochs, 0, 50);
      s.number("learning_rate", st.learning_rate, limits::min_learning_rate, limits::max_learning_rate);
      s.integer("batch_size", st.batch_size, 1, limits::max_batch_size);
      s.integer("unrolled_epochs", st.unrolled_epochs, 0, 20);
      s.integer("labels", st.labels, 10, 12000);
      s.integer("finetune_epochs", st.finetune_epochs, 1, 500);
      // Files written before fine-tuning had its own settings meant Adam at the pretraining's η and batch.
      st.finetune_learning_rate = st.learning_rate;
      st.finetune_batch_size = st.batch_size;
      s.name("finetune_optimizer", st.finetune_optimizer, "sgd, momentum or adam", ae::optimizer_from_name);
      s.number("finetune_learning_rate", st.finetune_learning_rate, limits::min_learning_rate, limits::max_learning_rate);
      s.integer("finetune_batch_size", st.finetune_batch_size, 1, limits::max_batch_size);
      s.integer("seed", st.seed, 0, limits::max_seed);
      s.finish();
      break;
    }
  }
  r.finish();
  // The k of k-sparse needs a code to choose from.
  if (lesson.scene == Scene::toy || lesson.scene == Scene::mnist) {
    const NetworkSpec& net = lesson.scene == Scene::toy ? lesson.toy.net : lesson.mnist.net;
    const TrainingSpec& t = lesson.scene == Scene::toy ? lesson.toy.training : lesson.mnist.training;
    if (t.variant == Variant::k_sparse && t.regularization.sparsity.k < 1)
      r.fail("training.sparsity.k", "expected the number of code units kept (1 to the code size " + std::to_string(net.code_size) + ") for the k-sparse variant, got " + std::to_string(t.regularization.sparsity.k));
    if (t.regularization.sparsity.k > net.code_size)
      r.fail("training.sparsity.k", "expected at most the code size " + std::to_string(net.code_size) + ", got " + std::to_string(t.regularization.sparsity.k));
  }
  return lesson;
}

std::string lesson_to_json(const Lesson& l) {
  // nlohmann's default object sorts its keys; ordered_json keeps the order a reader expects.
  Out j;
  j["aelab_lesson"] = kLessonFormatVersion;
  j["id"] = l.id;
  j["scene"] = scene_key(l.scene);
  j["title"] = text_json(l.title);
  j["text"] = text_json(l.text);
  switch (l.scene) {
    case Scene::step_through: j["worked_example"] = l.worked_example; break;
    case Scene::toy:
      write_toy(j, l.toy);
      j["view"] = {{"reconstruction_field", l.view.reconstruction_field}, {"jacobian", l.view.jacobian}};
      if (l.view.lecture_map) j["view"]["lecture_map"] = true;
      break;
    case Scene::descent:
      write_toy(j, l.descent.toy);
      j["descent"] = {{"extent", float_json(l.descent.extent)},
                      {"start_a", float_json(l.descent.start_a)},
                      {"start_b", float_json(l.descent.start_b)}};
      break;
    case Scene::mnist:
      j["network"] = network_json(l.mnist.net);
      j["training"] = training_json(l.mnist.training);
      if (l.view.likelihood || l.view.manifolds || l.view.representation)
        j["view"] = {{"likelihood", l.view.likelihood}, {"manifolds", l.view.manifolds}, {"representation", l.view.representation}};
      break;
    case Scene::stacked: {
      const StackedSettings& s = l.stacked;
      j["stacked"] = {{"layers", layers_json(s.layers)},
                      {"corruption", corruption_json(s.corruption)},
                      {"pretrain_epochs", s.pretrain_epochs},
                      {"learning_rate", float_json(s.learning_rate)},
                      {"batch_size", s.batch_size},
                      {"unrolled_epochs", s.unrolled_epochs},
                      {"labels", s.labels},
                      {"finetune_epochs", s.finetune_epochs},
                      {"finetune_optimizer", ae::optimizer_name(s.finetune_optimizer)},
                      {"finetune_learning_rate", float_json(s.finetune_learning_rate)},
                      {"finetune_batch_size", s.finetune_batch_size},
                      {"seed", s.seed}};
      break;
    }
  }
  return j.dump(2) + "\n";
}

namespace {
struct BuiltIn {
  std::vector<Lesson> lessons;
  std::vector<std::string> errors;
};
const BuiltIn& built_in() {
  static const BuiltIn b = [] {
    BuiltIn out;
    for (int i = 0; i < kLessonFilesCount; ++i) {
      try {
        out.lessons.push_back(parse_lesson(kLessonFiles[i].text, kLessonFiles[i].name));
      } catch (const ae::Error& e) {
        out.errors.push_back(e.what());
      }
    }
    return out;
  }();
  return b;
}
}  // namespace

const std::vector<Lesson>& built_in_lessons() { return built_in().lessons; }
const std::vector<std::string>& built_in_lesson_errors() { return built_in().errors; }

std::vector<std::string> lesson_warnings(const Lesson& l) {
  std::vector<std::string> warnings;
  if (l.title.ko.empty()) warnings.push_back(l.file + ": title.ko: no Korean title (the English one is shown)");
  if (l.text.ko.empty()) warnings.push_back(l.file + ": text.ko: no Korean text (the English one is shown)");
  if (l.scene == Scene::step_through && !find_embedded(kWorkedExampleFiles, kWorkedExampleFilesCount, l.worked_example.c_str()))
    warnings.push_back(l.file + ": worked_example: \"" + l.worked_example + "\" is not one of the built-in worked examples in assets/worked-examples/");
  return warnings;
}

}  // namespace app
