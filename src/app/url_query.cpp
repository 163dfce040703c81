// url_query.cpp — the link's values, checked (see url_query.h).
#include "url_query.h"

#include "app/i18n.h"
#include "app/lesson.h"
#include "app/scene_settings.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <sstream>

namespace app {

namespace {

bool parse_int(const std::string& text, long lo, long hi, long& out) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end || v < lo || v > hi) return false;
  out = v;
  return true;
}
bool parse_float(const std::string& text, double lo, double hi, double& out) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end || !(v >= lo && v <= hi)) return false;
  out = v;
  return true;
}


// Links made before the lessons followed the lecture named them by their place in the menu then.
// Links now name lessons by id; a number is read as one of these old places, so old links keep working.
constexpr const char* kLegacyLessonNumbers[] = {
    "backprop-2-2-2", "spiral",         "circle",         "mnist-2d-code", "linear-ae-pca",         "swiss-roll",
    "denoising-digits", "denoising-field", "sparse-codes", "contractive",   "vae",                   "deep-8-4-2-4-8",
    "bars-16-8-16",   "stacked",        "stochastic-contraction", "overcomplete"};
constexpr long kLegacyLessonCount = long(std::size(kLegacyLessonNumbers));

// "128relu-2linear" → layers; false for anything else (sizes 1..512, at most 3 hidden layers + the code).
bool parse_arch(const std::string& text, std::vector<ae::LayerSpec>& out) {
  std::vector<ae::LayerSpec> layers;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, '-')) {
    size_t digits = 0;
    while (digits < part.size() && std::isdigit(static_cast<unsigned char>(part[digits]))) ++digits;
    long size = 0;
    if (digits == 0 || digits > 4 || !parse_int(part.substr(0, digits), 1, limits::mnist_max_layer_size, size)) return false;
    try {
      layers.push_back({int(size), ae::activation_from_name(part.substr(digits))});
    } catch (const ae::Error&) {
      return false;
    }
  }
  if (layers.empty() || layers.size() > size_t(limits::max_hidden_layers) + 1 || layers.back().size > limits::mnist_max_code_size) return false;
  out = layers;
  return true;
}

}  // namespace

std::string arch_key(const std::vector<ae::LayerSpec>& layers) {
  std::string out;
  for (const auto& l : layers) out += (out.empty() ? "" : "-") + std::to_string(l.size) + ae::activation_name(l.activation);
  return out;
}

UrlRequest read_url_query(const std::string& query) {
  UrlRequest request;
  std::string& problems = request.problems;
  auto reject = [&](const std::string& key, const std::string& value, const std::string& why) {
    problems += (problems.empty() ? "" : "; ") + key + "=" + value.substr(0, 40) + tr(" ignored: ") + why;
  };
  std::stringstream pairs(query);
  std::string pair;
  while (std::getline(pairs, pair, '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string key = pair.substr(0, eq), value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (key == "lesson") {
      // An id names the lesson wherever it is in the menu; a number is a place in the old menu.
      const auto& built_in = built_in_lessons();
      long number = 0;
      std::string id = value;
      if (parse_int(value, 1, kLegacyLessonCount, number)) id = kLegacyLessonNumbers[number - 1];
      int found = -1;
      for (size_t i = 0; i < built_in.size(); ++i)
        if (built_in[i].id == id) found = int(i);
      if (found < 0) {
        reject(key, value, tr("name a lesson by its id (Lessons menu, or the link of an open lesson)"));
      } else {  // the last lesson named wins
        request.lesson = found;
        request.legacy_number = number;
      }
    } else if (key == "lang") {
      Language l;
      if (parse_language(value, l)) request.language = int(l);
      else reject(key, value, tr("use lang=en or lang=ko"));
    } else if (key == "seed") {
      if (!parse_int(value, 0, 1 << 30, request.seed)) reject(key, value, tr("a seed is a whole number from 0 to 1073741824"));
    } else if (key == "scale") {
      if (!parse_float(value, 0.75, 2.5, request.scale)) reject(key, value, tr("the UI scale is between 0.75 and 2.5"));
    } else if (key == "variant") {
      Variant v;
      if (variant_from_key(value, v)) request.variant = int(v);
      else reject(key, value, tr("use plain, l1, kl, k-sparse, denoising, contractive or vae"));
    } else if (key == "corruption") {
      if (!parse_float(value, 0.0, 1.0, request.corruption)) reject(key, value, tr("the corruption level ν (or σ) is between 0 and 1"));
    } else if (key == "theme") {
      if (value == "dark" || value == "light") request.theme = value;
      else reject(key, value, tr("use theme=dark or theme=light"));
    } else if (key == "ckind") {
      try {
        request.corruption_kind = ae::corruption_from_name(value);
      } catch (const ae::Error&) {
        reject(key, value, tr("use none, masking, gaussian or salt_and_pepper"));
      }
    } else if (key == "l1" || key == "kl" || key == "rho" || key == "cae" || key == "cae_sigma" || key == "beta") {
      namespace L = limits;
      const double lo = key == "rho" ? L::min_sparsity_target : key == "cae_sigma" ? L::min_contractive_noise : 0.0;
      const double hi = key == "l1" ? L::max_l1_weight : key == "kl" ? L::max_kl_weight : key == "rho" ? L::max_sparsity_target
                        : key == "cae" ? L::max_contractive_weight : key == "cae_sigma" ? L::max_contractive_noise : L::max_vae_beta;
      double v = 0;
      if (!parse_float(value, lo, hi, v)) {
        char why[128];
        std::snprintf(why, sizeof why, tr("a number from %g to %g"), lo, hi);
        reject(key, value, why);
      } else {
        (key == "l1" ? request.l1 : key == "kl" ? request.kl : key == "rho" ? request.rho : key == "cae" ? request.cae
                     : key == "cae_sigma" ? request.cae_sigma : request.beta) = v;
      }
    } else if (key == "lr" || key == "sigma") {
      const double lo = key == "lr" ? limits::min_learning_rate : limits::min_decoder_sigma;
      const double hi = key == "lr" ? limits::max_learning_rate : limits::max_decoder_sigma;
      double v = 0;
      if (!parse_float(value, lo, hi, v)) {
        char why[128];
        std::snprintf(why, sizeof why, tr("a number from %g to %g"), lo, hi);
        reject(key, value, why);
      } else {
        (key == "lr" ? request.lr : request.sigma) = float(v);
      }
    } else if (key == "k" || key == "batch") {
      const long hi = key == "k" ? limits::mnist_max_code_size : limits::max_batch_size;
      long v = 0;
      if (!parse_int(value, 1, hi, v)) {
        char why[128];
        std::snprintf(why, sizeof why, tr("a whole number from 1 to %ld"), hi);
        reject(key, value, why);
      } else {
        (key == "k" ? request.k : request.batch) = int(v);
      }
    } else if (key == "opt") {
      try {
        request.optimizer = ae::optimizer_from_name(value);
      } catch (const ae::Error&) {
        reject(key, value, tr("use sgd, momentum or adam"));
      }
    } else if (key == "loss") {
      try {
        request.loss = ae::loss_from_name(value);
      } catch (const ae::Error&) {
        reject(key, value, tr("use squared_error, binary_cross_entropy or gaussian"));
      }
    } else if (key == "arch") {
      std::vector<ae::LayerSpec> layers;
      if (parse_arch(value, layers)) request.arch = layers;
      else reject(key, value, tr("the encoder as sizes and activations, e.g. 128relu-2linear (at most 3 hidden layers of 512, a code of 128)"));
    } else if (key == "out") {
      try {
        request.output = ae::activation_from_name(value);
      } catch (const ae::Error&) {
        reject(key, value, tr("an activation: sigmoid, linear, tanh, relu, …"));
      }
    } else if (key == "tied" || key == "field" || key == "jacobian") {
      long on = 0;
      if (parse_int(value, 0, 1, on)) (key == "tied" ? request.tied : key == "field" ? request.field : request.jacobian) = on == 1;
      else reject(key, value, tr("use 1 (on) or 0 (off)"));
    } else if (key == "phase") {
      long phase = 0;
      if (parse_int(value, 0, 999, phase)) request.phase = int(phase);
      else reject(key, value, tr("a phase number from 0 to 999"));
    } else if (key == "presenter" || key == "caption") {
      long on = 0;
      if (parse_int(value, 0, 1, on)) (key == "presenter" ? request.presenter : request.caption) = int(on);
      else reject(key, value, tr("use 1 (on) or 0 (off)"));
    } else if (key == "threads") {
      // the page's choice of build (web/index.html): training on its own thread, or in the frames' slices
      long on = 0;
      if (!parse_int(value, 0, 1, on))
        reject(key, value, tr("use threads=1 (training on a thread of its own, where the page allows one) or threads=0 (in a slice of each frame)"));
    } else if (key == "bench" || key == "reps" || key == "rep_seconds" || key == "frames_seconds" || key == "mnist") {
      // the benchmark's parameters: read by the page's bench mode (browser_main.cpp)
    } else {
      reject(key, value, tr("unknown parameter"));
    }
  }
  return request;
}

}  // namespace app
