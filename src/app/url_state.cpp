// url_state.cpp — scene ↔ URL (see url_state.h).
#include "url_state.h"

#include "app.h"
#include "url_query.h"

#include <cstdio>
#include <sstream>

namespace app {

std::string url_state_parse(App& app, const std::string& query) {
  const UrlRequest request = read_url_query(query);
  std::string problems = request.problems;
  if (request.language >= 0) app_set_language(app, Language(request.language));
  if (request.scale > 0) {
    app.ui_scale = float(request.scale);
    app.fonts_dirty = true;
  }
  if (!request.theme.empty()) {
    app.dark_theme = request.theme == "dark";
    app.fonts_dirty = true;  // re-applies the style as well
  }
  if (request.presenter >= 0) app_set_presenter(app, request.presenter == 1);
  if (request.caption >= 0) app.presenter_caption = request.caption == 1;
  const long lesson = request.lesson + 1;  // 1-based in the notice, as in the menu
  if (request.lesson >= 0) app_open_lesson(app, request.lesson);
  if (request.legacy_number > 0 && request.lesson >= 0) {  // say where the lesson went
    char text[400];
    std::snprintf(text, sizeof text,
                  tr("lesson=%ld is a number from an older link: it opened “%s”, now lesson %ld in the menu. New links name it "
                     "lesson=%s."),
                  request.legacy_number, app.lessons[size_t(lesson - 1)].title().c_str(), lesson, app.lessons[size_t(lesson - 1)].id.c_str());
    app.notice = text;
  }
  // The lesson sets its own defaults; the link's seed, variant and corruption win.
  const long seed = request.seed;
  const int variant = request.variant;
  const double corruption = request.corruption;
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
  const float scale = app.presenter ? app.scale_before_presenter : app.ui_scale;  // presenter mode restores its own
  if (scale != 1.0f) q << "&scale=" << scale;
  if (app.presenter) q << "&presenter=1";
  if (app.presenter_caption) q << "&caption=1";
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
