// lesson.h — a lesson is a file, not code: its scene, the whole preset of that scene and its text
// in English and Korean (assets/lessons/*.json; the format is described in assets/lessons/README.md).
// The page and the desktop app carry the built-in lessons embedded at build time; a lecturer's own
// file opens with `aelab-desktop --lesson-file F`, by dropping it on the page, and is checked with
// `aelab lessons --check`.
//
// Reading is strict: an unknown field, a value of the wrong type or outside its slider's range is
// an error that names the field and what was expected ("training.learning_rate: expected a number
// from 1e-05 to 1, got 5"), so a typo never silently falls back to a default. A field that is left
// out takes the scene's default. No ImGui here (the CLI links it).
#pragma once

#include "app/i18n.h"
#include "app/scene_settings.h"

#include <string>
#include <vector>

namespace app {

// What the main area shows. The order is part of the page's state hook: append, never reorder.
enum class Scene { toy, step_through, mnist, stacked, descent };
// "toy", "step_through", "mnist", "stacked", "descent".
const char* scene_key(Scene scene);

// View options a lesson switches on.
struct LessonView {
  // Toy scenes.
  bool reconstruction_field = false;  // r(p) − p on a grid over the plane (2-D data)
  bool jacobian = false;              // the encoder Jacobian's singular directions at the data
  bool lecture_map = false;           // the four keywords of the lecture over the live autoencoder
  // MNIST scenes.
  bool likelihood = false;            // the loss as −log-likelihood: curves, NLL in nats, samples of p(x|z)
  bool manifolds = false;             // distances in high dimensions; nearest neighbours in pixels, PCA, codes
  bool representation = false;        // per-layer ‖δˡ‖ while training; 1-NN on 300 labels: pixels, PCA, code
};

struct Lesson {
  std::string id;               // short, stable name: "spiral", "denoising-digits"
  LocalText title, text;
  Scene scene = Scene::toy;
  std::string worked_example;   // step_through: a file of assets/worked-examples/ (embedded)
  ToySettings toy;              // the preset of the scene in use; the others keep their defaults
  MnistSettings mnist;
  StackedSettings stacked;
  DescentSettings descent;      // the descent scene (its data, network and η, M are in descent.toy)
  LessonView view;
  std::string file;             // where it was read from (for messages)
};

// The current format version, written as "aelab_lesson": 1.
constexpr int kLessonFormatVersion = 1;

// Parses a lesson file. Throws ae::Error "<name>: <field>: <what was expected>, got <value>".
Lesson parse_lesson(const std::string& json_text, const std::string& name);
// The lesson as a file, with every field of its scene's preset written out (a canonical form:
// parse_lesson(lesson_to_json(l)) gives l back).
std::string lesson_to_json(const Lesson& lesson);

// The built-in lessons, in menu order (the embedded files sorted by name). A malformed built-in
// file is a build defect: it is reported in built_in_lesson_errors() and left out.
const std::vector<Lesson>& built_in_lessons();
const std::vector<std::string>& built_in_lesson_errors();

// Problems that do not stop a lesson from opening but that its author should fix (no Korean
// text, a worked example that is not built in); `aelab lessons --check` prints them.
std::vector<std::string> lesson_warnings(const Lesson& lesson);

}  // namespace app
