// url_state.cpp — scene ↔ URL (see url_state.h).
#include "url_state.h"

#include "app.h"

#include <cstdlib>
#include <cstring>
#include <sstream>

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
#endif

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

// The short names of the variants in links (the order of enum Variant).
const char* const kVariantNames[] = {"plain", "l1", "kl", "k-sparse", "denoising", "contractive", "vae"};
constexpr int kVariantCount = 7;

}  // namespace

std::string url_state_parse(App& app, const std::string& query) {
  std::string problems;
  auto reject = [&](const std::string& key, const std::string& value, const std::string& why) {
    problems += (problems.empty() ? "" : "; ") + key + "=" + value.substr(0, 40) + " ignored: " + why;
  };
  long lesson = 0, seed = -1;
  int variant = -1;
  double scale = 0, corruption = -1;
  std::string theme;
  std::stringstream pairs(query);
  std::string pair;
  while (std::getline(pairs, pair, '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string key = pair.substr(0, eq), value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (key == "lesson") {
      if (!parse_int(value, 1, long(lessons().size()), lesson))
        reject(key, value, "there are lessons 1 to " + std::to_string(lessons().size()));
    } else if (key == "seed") {
      if (!parse_int(value, 0, 1 << 30, seed)) reject(key, value, "a seed is a whole number from 0 to 1073741824");
    } else if (key == "scale") {
      if (!parse_float(value, 0.75, 2.5, scale)) reject(key, value, "the UI scale is between 0.75 and 2.5");
    } else if (key == "variant") {
      for (int v = 0; v < kVariantCount; ++v)
        if (value == kVariantNames[v]) variant = v;
      if (variant < 0) reject(key, value, "use plain, l1, kl, k-sparse, denoising, contractive or vae");
    } else if (key == "corruption") {
      if (!parse_float(value, 0.0, 1.0, corruption)) reject(key, value, "the corruption level ν (or σ) is between 0 and 1");
    } else if (key == "theme") {
      if (value == "dark" || value == "light") theme = value;
      else reject(key, value, "use theme=dark or theme=light");
    } else if (key == "bench" || key == "reps" || key == "rep_seconds" || key == "frames_seconds" || key == "mnist") {
      // the benchmark's parameters: read by the page's bench mode (browser_main.cpp)
    } else {
      reject(key, value, "unknown parameter");
    }
  }
  if (scale > 0) {
    app.ui_scale = float(scale);
    app.fonts_dirty = true;
  }
  if (!theme.empty()) {
    app.dark_theme = theme == "dark";
    app.fonts_dirty = true;  // re-applies the style as well
  }
  if (lesson > 0) app_open_lesson(app, int(lesson - 1));
  // The lesson sets its own defaults; the link's seed, variant and corruption win.
  const bool mnist = app.mode == Mode::mnist;
  TrainingSpec& training = mnist ? app.mnist.settings.training : app.settings.training;
  bool changed = false;
  if (seed >= 0) {
    training.seed = int(seed);
    app.stacked.settings.seed = int(seed);
    changed = true;
  }
  if (variant >= 0) {
    if (Variant(variant) == Variant::vae && !mnist) {
      problems += std::string(problems.empty() ? "" : "; ") + "variant=vae ignored: the VAE is in the MNIST scenes";
    } else {
      choose_variant(training, mnist ? app.mnist.settings.net : app.settings.net, Variant(variant));
      changed = true;
    }
  }
  if (corruption >= 0) {
    auto& c = training.regularization.corruption;
    if (c.kind == ae::CorruptionKind::none) c.kind = mnist ? ae::CorruptionKind::masking : ae::CorruptionKind::gaussian;
    c.level = corruption;
    changed = true;
  }
  if (changed) {
    if (app.mode == Mode::toy_manifold) app_reset(app);
    if (mnist) mnist_reset(app.mnist);  // (a no-op until the digits are in: the reset then uses these settings)
    if (app.mode == Mode::stacked && app.mnist.status == MnistScene::Status::ready) stacked_reset(app.stacked, app.mnist);
  }
  return problems;
}

std::string url_state_query(const App& app) {
  std::ostringstream q;
  if (app.lesson >= 0) q << "lesson=" << app.lesson + 1 << "&";
  const TrainingSpec& training = app.mode == Mode::mnist ? app.mnist.settings.training : app.settings.training;
  q << "seed=" << (app.mode == Mode::stacked ? app.stacked.settings.seed : training.seed);
  if (app.mode == Mode::mnist || app.mode == Mode::toy_manifold) {
    if (training.variant != Variant::plain) q << "&variant=" << kVariantNames[int(training.variant)];
    if (training.regularization.corruption.active()) q << "&corruption=" << training.regularization.corruption.level;
  }
  if (app.ui_scale != 1.0f) q << "&scale=" << app.ui_scale;
  if (!app.dark_theme) q << "&theme=light";
  return q.str();
}

void url_state_apply(App& app) {
#if defined(__EMSCRIPTEN__)
  char query[2048] = {};
  EM_ASM({ stringToUTF8(window.location.search.substring(1), $0, $1); }, query, int(sizeof query));
  std::string decoded;
  for (const char* c = query; *c; ++c) decoded += (*c == '+') ? ' ' : *c;
  const std::string problems = url_state_parse(app, decoded);
  if (!problems.empty()) app.error = "Link: " + problems;
#else
  (void)app;
#endif
}

void url_state_publish(const App& app) {
#if defined(__EMSCRIPTEN__)
  const std::string query = "?" + url_state_query(app);
  EM_ASM({ window.history.replaceState(null, document.title, UTF8ToString($0)); }, query.c_str());
#else
  (void)app;
#endif
}

}  // namespace app
