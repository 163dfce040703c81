// url_state.cpp — scene ↔ URL (see url_state.h).
#include "url_state.h"

#include "app.h"
#include "url_query.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace app {

namespace {

void add_problem(std::string& problems, const std::string& text) { problems += (problems.empty() ? "" : "; ") + text; }

// The training panel's settings of a link, over the scene's (the lesson's) own; those the scene
// cannot take (a layer wider than the toy scene's sliders, k above the code size) are refused by
// name. The view options and the step-through phase too. Returns whether the network must restart.
bool apply_panel(App& app, const UrlRequest& q, TrainingSpec& t, std::string& problems) {
  const bool mnist = app.mode == Scene::mnist;
  NetworkSpec& net = mnist ? app.mnist.settings.net : app.settings.net;
  auto& r = t.regularization;
  bool changed = false;
  auto set = [&changed](auto& field, const auto& value) {
    if (value) {
      field = *value;
      changed = true;
    }
  };
  set(r.corruption.kind, q.corruption_kind);
  set(r.sparsity.l1_weight, q.l1);
  set(r.sparsity.kl_weight, q.kl);
  set(r.sparsity.target, q.rho);
  set(r.contractive.weight, q.cae);
  set(r.contractive.noise, q.cae_sigma);
  set(t.vae_beta, q.beta);
  set(t.learning_rate, q.lr);
  set(t.decoder_sigma, q.sigma);
  set(t.batch_size, q.batch);
  set(t.optimizer, q.optimizer);
  set(t.loss, q.loss);
  set(net.output_activation, q.output);
  set(net.tied_weights, q.tied);
  if (q.arch) {
    const int max_layer = mnist ? limits::mnist_max_layer_size : limits::toy_max_layer_size;
    const int max_code = mnist ? limits::mnist_max_code_size : limits::toy_max_code_size;
    bool fits = q.arch->back().size <= max_code;
    for (size_t i = 0; i + 1 < q.arch->size(); ++i) fits &= (*q.arch)[i].size <= max_layer;
    if (!fits) {
      char text[256];
      std::snprintf(text, sizeof text, tr("arch=%s ignored: this scene takes layers of at most %d units and a code of at most %d"),
                    arch_key(*q.arch).c_str(), max_layer, max_code);
      add_problem(problems, text);
    } else {
      net.encoder_hidden.assign(q.arch->begin(), q.arch->end() - 1);
      net.code_size = q.arch->back().size;
      net.code_activation = q.arch->back().activation;
      changed = true;
    }
  }
  if (q.k) {
    if (*q.k > net.code_size) {
      char text[160];
      std::snprintf(text, sizeof text, tr("k=%d ignored: k is at most the code size (%d)"), *q.k, net.code_size);
      add_problem(problems, text);
    } else {
      r.sparsity.k = *q.k;
      changed = true;
    }
  }
  if (q.field) app.show_field = *q.field;
  if (q.jacobian) app.show_jacobian = *q.jacobian;
  if (q.phase && app.mode == Scene::step_through)
    for (int guard = 0; app.stepper.phase < *q.phase && guard < 1000; ++guard) stepper_next_phase(app.stepper);
  return changed;
}

// A number as short as it can be written and still read back exactly (as a double, or as a float
// for the settings kept in floats: η, s).
std::string exact(double v) {
  char text[40];
  for (int digits : {6, 9, 17}) {
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    if (std::strtod(text, nullptr) == v) break;
  }
  return text;
}
std::string exact(float v) {
  char text[40];
  for (int digits : {6, 9}) {
    std::snprintf(text, sizeof text, "%.*g", digits, double(v));
    if (float(std::strtod(text, nullptr)) == v) break;
  }
  return text;
}

}  // namespace

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
  changed |= apply_panel(app, request, training, problems);
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
    // Every setting of the training panel that differs from the lesson's (or the scene's defaults).
    const bool mnist = app.mode == Scene::mnist;
    const Lesson* lesson = app.lesson >= 0 ? &app.lessons[size_t(app.lesson)] : nullptr;
    const bool same_scene = lesson && lesson->scene == app.mode;
    const TrainingSpec ref = same_scene ? (mnist ? lesson->mnist.training : lesson->toy.training)
                                        : (mnist ? MnistSettings().training : ToySettings().training);
    const NetworkSpec ref_net = same_scene ? (mnist ? lesson->mnist.net : lesson->toy.net) : (mnist ? MnistSettings().net : ToySettings().net);
    const NetworkSpec& net = mnist ? app.mnist.settings.net : app.settings.net;
    const auto& r = training.regularization;
    const auto& rr = ref.regularization;
    if (training.variant != ref.variant) q << "&variant=" << variant_key(training.variant);
    if (r.corruption.kind != rr.corruption.kind) q << "&ckind=" << ae::corruption_name(r.corruption.kind);
    if (r.corruption.level != rr.corruption.level) q << "&corruption=" << exact(r.corruption.level);
    if (r.sparsity.l1_weight != rr.sparsity.l1_weight) q << "&l1=" << exact(r.sparsity.l1_weight);
    if (r.sparsity.kl_weight != rr.sparsity.kl_weight) q << "&kl=" << exact(r.sparsity.kl_weight);
    if (r.sparsity.target != rr.sparsity.target) q << "&rho=" << exact(r.sparsity.target);
    if (r.contractive.weight != rr.contractive.weight) q << "&cae=" << exact(r.contractive.weight);
    if (r.contractive.noise != rr.contractive.noise) q << "&cae_sigma=" << exact(r.contractive.noise);
    if (training.vae_beta != ref.vae_beta) q << "&beta=" << exact(training.vae_beta);
    if (training.learning_rate != ref.learning_rate) q << "&lr=" << exact(training.learning_rate);
    if (training.optimizer != ref.optimizer) q << "&opt=" << ae::optimizer_name(training.optimizer);
    if (training.batch_size != ref.batch_size) q << "&batch=" << training.batch_size;
    if (training.loss != ref.loss) q << "&loss=" << ae::loss_name(training.loss);
    if (training.decoder_sigma != ref.decoder_sigma) q << "&sigma=" << exact(training.decoder_sigma);
    std::vector<ae::LayerSpec> layers = net.encoder_hidden, ref_layers = ref_net.encoder_hidden;
    layers.push_back({net.code_size, net.code_activation});
    ref_layers.push_back({ref_net.code_size, ref_net.code_activation});
    if (arch_key(layers) != arch_key(ref_layers)) q << "&arch=" << arch_key(layers);
    if (r.sparsity.k != rr.sparsity.k && r.sparsity.k > 0) q << "&k=" << r.sparsity.k;
    if (net.output_activation != ref_net.output_activation) q << "&out=" << ae::activation_name(net.output_activation);
    if (net.tied_weights != ref_net.tied_weights) q << "&tied=" << (net.tied_weights ? 1 : 0);
  }
  if (app.mode == Scene::toy) {
    const bool lesson_field = app.lesson >= 0 && app.lessons[size_t(app.lesson)].view.reconstruction_field;
    const bool lesson_jacobian = app.lesson >= 0 && app.lessons[size_t(app.lesson)].view.jacobian;
    if (app.show_field != lesson_field) q << "&field=" << (app.show_field ? 1 : 0);
    if (app.show_jacobian != lesson_jacobian) q << "&jacobian=" << (app.show_jacobian ? 1 : 0);
  }
  if (app.mode == Scene::step_through && app.stepper.phase >= 0 && app.stepper.steps_done == 0) q << "&phase=" << app.stepper.phase;
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
