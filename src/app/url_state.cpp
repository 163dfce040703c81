// url_state.cpp — scene ↔ URL (see url_state.h).
#include "url_state.h"

#include "app.h"

#include <cstdlib>
#include <cstring>
#include <cstdio>
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

}  // namespace

std::string url_state_parse(App& app, const std::string& query) {
  std::string problems;
  auto reject = [&](const std::string& key, const std::string& value, const std::string& why) {
    problems += (problems.empty() ? "" : "; ") + key + "=" + value.substr(0, 40) + tr(" ignored: ") + why;
  };
  long lesson = 0, seed = -1, legacy_number = 0;
  int variant = -1;
  int language = -1;
  double scale = 0, corruption = -1;
  std::string theme;
  std::stringstream pairs(query);
  std::string pair;
  while (std::getline(pairs, pair, '&')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string key = pair.substr(0, eq), value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (key == "lesson") {
      // An id names the lesson wherever it is in the menu; a number is a place in the old menu.
      const auto& built_in = built_in_lessons();
      std::string id = value;
      if (parse_int(value, 1, kLegacyLessonCount, legacy_number)) id = kLegacyLessonNumbers[legacy_number - 1];
      for (size_t i = 0; i < built_in.size(); ++i)
        if (built_in[i].id == id) lesson = long(i + 1);
      if (lesson == 0) {
        legacy_number = 0;
        reject(key, value, tr("name a lesson by its id (Lessons menu, or the link of an open lesson)"));
      }
    } else if (key == "lang") {
      Language l;
      if (parse_language(value, l)) language = int(l);
      else reject(key, value, tr("use lang=en or lang=ko"));
    } else if (key == "seed") {
      if (!parse_int(value, 0, 1 << 30, seed)) reject(key, value, tr("a seed is a whole number from 0 to 1073741824"));
    } else if (key == "scale") {
      if (!parse_float(value, 0.75, 2.5, scale)) reject(key, value, tr("the UI scale is between 0.75 and 2.5"));
    } else if (key == "variant") {
      Variant v;
      if (variant_from_key(value, v)) variant = int(v);
      else reject(key, value, tr("use plain, l1, kl, k-sparse, denoising, contractive or vae"));
    } else if (key == "corruption") {
      if (!parse_float(value, 0.0, 1.0, corruption)) reject(key, value, tr("the corruption level ν (or σ) is between 0 and 1"));
    } else if (key == "theme") {
      if (value == "dark" || value == "light") theme = value;
      else reject(key, value, tr("use theme=dark or theme=light"));
    } else if (key == "bench" || key == "reps" || key == "rep_seconds" || key == "frames_seconds" || key == "mnist") {
      // the benchmark's parameters: read by the page's bench mode (browser_main.cpp)
    } else {
      reject(key, value, tr("unknown parameter"));
    }
  }
  if (language >= 0) app_set_language(app, Language(language));
  if (scale > 0) {
    app.ui_scale = float(scale);
    app.fonts_dirty = true;
  }
  if (!theme.empty()) {
    app.dark_theme = theme == "dark";
    app.fonts_dirty = true;  // re-applies the style as well
  }
  if (lesson > 0) app_open_lesson(app, int(lesson - 1));
  if (legacy_number > 0) {  // say where the lesson went
    char text[400];
    std::snprintf(text, sizeof text,
                  tr("lesson=%ld is a number from an older link: it opened “%s”, now lesson %ld in the menu. New links name it "
                     "lesson=%s."),
                  legacy_number, app.lessons[size_t(lesson - 1)].title().c_str(), lesson, app.lessons[size_t(lesson - 1)].id.c_str());
    app.notice = text;
  }
  // The lesson sets its own defaults; the link's seed, variant and corruption win.
  const bool mnist = app.mode == Scene::mnist;
  TrainingSpec& training = mnist ? app.mnist.settings.training : app.settings.training;
  bool changed = false;
  if (seed >= 0) {
    training.seed = int(seed);
    app.stacked.settings.seed = int(seed);
    changed = true;
  }
  if (variant >= 0) {
    if (Variant(variant) == Variant::vae && !mnist) {
      problems += std::string(problems.empty() ? "" : "; ") + tr("variant=vae ignored: the VAE is in the MNIST scenes");
    } else {
      choose_variant(training, mnist ? app.mnist.settings.net : app.settings.net, Variant(variant), mnist);
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
    if (app.mode == Scene::toy) app_reset(app);
    if (mnist) mnist_reset(app.mnist);  // (a no-op until the digits are in: the reset then uses these settings)
    if (app.mode == Scene::stacked && app.mnist.status == MnistScene::Status::ready) stacked_reset(app.stacked, app.mnist);
  }
  return problems;
}

std::string url_state_query(const App& app) {
  std::ostringstream q;
  // Built-in lessons by id (their place in the menu may change); a lesson opened from a file cannot
  // travel in a link.
  if (app.lesson >= 0 && app.lesson < int(built_in_lessons().size())) q << "lesson=" << app.lessons[size_t(app.lesson)].id << "&";
  const TrainingSpec& training = app.mode == Scene::mnist ? app.mnist.settings.training : app.settings.training;
  q << "seed=" << (app.mode == Scene::stacked ? app.stacked.settings.seed : training.seed);
  if (app.mode == Scene::mnist || app.mode == Scene::toy) {
    if (training.variant != Variant::plain) q << "&variant=" << variant_key(training.variant);
    if (training.regularization.corruption.active()) q << "&corruption=" << training.regularization.corruption.level;
  }
  if (app.ui_scale != 1.0f) q << "&scale=" << app.ui_scale;
  if (!app.dark_theme) q << "&theme=light";
  if (ui_language() != Language::en) q << "&lang=" << language_code(ui_language());
  return q.str();
}

void url_state_apply(App& app) {
  // Without a ?lang= the language of the last visit, or on a first visit the browser's.
  Language preferred;
  if (host().preferred_language && parse_language(host().preferred_language(), preferred)) app_set_language(app, preferred);
  if (!host().read_query) return;
  std::string decoded;
  for (char c : host().read_query()) decoded += (c == '+') ? ' ' : c;
  const std::string problems = url_state_parse(app, decoded);
  if (!problems.empty()) app.error = tr("Link: ") + problems;
}

void url_state_publish(const App& app) {
  if (host().publish_query) host().publish_query(url_state_query(app));
}

}  // namespace app
