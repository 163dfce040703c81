// desktop_main.cpp — AE Lab as a desktop app: SDL2 + OpenGL 3.3, the same UI as the page.
//
//   aelab-desktop [--scale S] [--lang en|ko] [--lesson N | --lesson-file F | --worked-example FILE.json] [--phases K] [--open FILE]…
//                 [--frames N] [--train] [--time-slices] [--screenshot out.png]
// --frames N exits after N frames (used by the smoke test under Xvfb); with --train, training
// starts at once and the exit status says whether the loss fell (--until-stopped: the run ends when
// the scene stops training); --screenshot saves the last frame as a PNG.
#include "sdl_gl_app.h"

#include <SDL_opengl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

// The fonts the build cut from Debian's packages (cmake: AELAB_FONT_DIR), as the page uses them.
const std::string kFontDir = AELAB_FONT_DIR;

void usage() {
  std::puts(
      "aelab-desktop — AE Lab, an autoencoder laboratory for teaching (desktop app)\n"
      "usage: aelab-desktop [--scale S] [--lang en|ko] [--lesson N | --lesson-file F | --worked-example FILE] [--phases K]\n"
      "                     [--open FILE]… [--frames N] [--train [--until-stopped]] [--time-slices] [--screenshot FILE.png]\n"
      "  --scale S          UI scale, 0.75 … 2.5 (default 1)\n"
      "  --lang L           the UI language: en or ko (default: from $LANG, else English)\n"
      "  --lesson N         open built-in lesson N (1 = backprop by hand, …) or name it by its id\n"
      "  --lesson-file F    open a lesson file (assets/lessons/README.md; check it with `aelab lessons --check F`)\n"
      "  --open FILE        open files as if dropped on the window (repeat it for several): data (CSV,\n"
      "                     IDX raw or .gz, PNG/JPEG/BMP pictures, a .zip of them), a model (.aelab, e.g.\n"
      "                     from `aelab train --save`) or a lesson (.json)\n"
      "  --worked-example FILE\n"
      "                     open any worked example (JSON, see src/ae/worked_example.h) in the step-through view\n"
      "  --every-lesson DIR open every built-in lesson in English and Korean, screenshot each into DIR, and\n"
      "                     exit 1 if a character has no glyph or a string no Korean (a check for lesson authors)\n"
      "  --phases K         in a step-through lesson, advance K phases (as if → was pressed K times)\n"
      "  --frames N         quit after N frames (for automated runs)\n"
      "  --train            start training at once; with --frames, exit 1 unless the loss fell\n"
      "  --until-stopped    with --train, quit once the scene stops training (paused, failed or finished:\n"
      "                     the stacked scene's whole run), or after --frames N if that comes first\n"
      "  --time-slices      train in a slice of each frame on the UI thread, as the page does, instead of\n"
      "                     on a thread of its own while the window draws (for comparing the two)\n"
      "  --screenshot FILE  save the last frame as a PNG\n"
      "  --help             this text\n"
      "The fonts are DejaVu Sans and NanumGothic (Debian fonts-dejavu-core, fonts-nanum), cut by the build;\n"
      "AELAB_FONT and AELAB_KOREAN_FONT override their paths.");
}

// The last frame (before the swap) as a PNG file. Returns false on failure; `pixel_stddev` is the
// spread of its grey levels (a blank, single-colour frame means nothing was drawn).
bool save_screenshot(const platform::GlWindow& window, const std::string& path, double* pixel_stddev) {
  const platform::FramePixels frame = platform::read_frame(window);
  double sum = 0, sum2 = 0;
  for (size_t i = 0; i < frame.rgba.size(); i += 4) {
    const double v = 0.299 * frame.rgba[i] + 0.587 * frame.rgba[i + 1] + 0.114 * frame.rgba[i + 2];
    sum += v;
    sum2 += v * v;
  }
  const double n = double(std::max<size_t>(1, frame.rgba.size() / 4));
  *pixel_stddev = std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n)));
  const std::string png = platform::png_bytes(frame);
  std::ofstream out(path, std::ios::binary);
  out << png;
  return !png.empty() && bool(out);
}

// --every-lesson DIR: each built-in lesson from its file, in English and in Korean, a few frames
// each; a screenshot of each in DIR (lesson-NN-LANG.png). Exit 1 if any text in use has a
// character the font atlas lacks, a string lacks its Korean, a lesson reports an error, or a frame
// is blank.
int run_every_lesson(platform::GlWindow& w, const std::string& dir) {
  int problems = 0;
  const auto& lessons = app::built_in_lessons();
  for (app::Language language : app::kLanguages) {
    app::app_set_language(w.app, language);
    for (size_t i = 0; i < lessons.size(); ++i) {
      app::app_open_lesson(w.app, int(i));
      for (int f = 0; f < 4; ++f) {
        platform::gl_window_frame(w);
        if (f < 3) SDL_GL_SwapWindow(w.window);
      }
      char name[64];
      std::snprintf(name, sizeof name, "/lesson-%02zu-%s.png", i + 1, app::language_code(language));
      double spread = 0;
      const bool saved = save_screenshot(w, dir + name, &spread);
      SDL_GL_SwapWindow(w.window);
      const app::GlyphReport glyphs = app::app_check_glyphs(w.app);
      const auto untranslated = app::missing_translations();
      const bool ok = saved && spread >= 5.0 && glyphs.missing.empty() && untranslated.empty() && w.app.error.empty() &&
                      w.app.lesson == int(i);
      std::printf("%s lesson %2zu (%s) %-22s %d characters checked, %zu missing, atlas %d×%d%s%s\n", ok ? "ok  " : "FAIL", i + 1,
                  app::language_code(language), lessons[i].id.c_str(), glyphs.checked, glyphs.missing.size(), w.app.atlas_width,
                  w.app.atlas_height, w.app.error.empty() ? "" : ", error: ", w.app.error.c_str());
      for (unsigned c : glyphs.missing) std::printf("     no glyph for U+%04X\n", c);
      for (const auto& text : untranslated) std::printf("     no Korean for \"%s\"\n", text.c_str());
      problems += ok ? 0 : 1;
    }
  }
  std::printf("aelab-desktop: every lesson in both languages: %d problem%s\n", problems, problems == 1 ? "" : "s");
  return problems ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  long max_frames = -1;
  bool train = false;
  bool time_slices = false;
  bool until_stopped = false;
  float scale = 1.0f;
  int phases = 0;
  std::string lesson, lesson_file, language, screenshot, worked_example, every_lesson_dir;
  std::vector<std::string> open_files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "aelab-desktop: %s needs a value (see --help)\n", what);
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      usage();
      return 0;
    } else if (arg == "--frames") {
      char* end = nullptr;
      max_frames = std::strtol(value("--frames"), &end, 10);
      if (*end || max_frames <= 0 || max_frames > 100000000) {
        std::fprintf(stderr, "aelab-desktop: --frames must be a positive integer\n");
        return 2;
      }
    } else if (arg == "--train") {
      train = true;
    } else if (arg == "--until-stopped") {
      until_stopped = true;
    } else if (arg == "--time-slices") {
      time_slices = true;
    } else if (arg == "--scale") {
      char* end = nullptr;
      scale = std::strtof(value("--scale"), &end);
      if (*end || !(scale >= 0.75f && scale <= 2.5f)) {
        std::fprintf(stderr, "aelab-desktop: --scale must be a number in 0.75 … 2.5\n");
        return 2;
      }
    } else if (arg == "--phases") {
      char* end = nullptr;
      const long v = std::strtol(value(arg.c_str()), &end, 10);
      if (*end || v < 0 || v > 1000) {
        std::fprintf(stderr, "aelab-desktop: %s must be an integer in 0..1000\n", arg.c_str());
        return 2;
      }
      phases = int(v);
    } else if (arg == "--lesson") {
      lesson = value("--lesson");
    } else if (arg == "--every-lesson") {
      every_lesson_dir = value("--every-lesson");
    } else if (arg == "--lesson-file") {
      lesson_file = value("--lesson-file");
    } else if (arg == "--lang") {
      language = value("--lang");
      app::Language l;
      if (!app::parse_language(language, l)) {
        std::fprintf(stderr, "aelab-desktop: --lang must be en or ko\n");
        return 2;
      }
    } else if (arg == "--worked-example") {
      worked_example = value("--worked-example");
    } else if (arg == "--screenshot") {
      screenshot = value("--screenshot");
    } else if (arg == "--open") {
      open_files.push_back(value("--open"));
    } else {
      std::fprintf(stderr, "aelab-desktop: unknown option '%s' (see --help)\n", arg.c_str());
      return 2;
    }
  }

  platform::GlWindow w;
  const char* font = std::getenv("AELAB_FONT");
  const char* korean_font = std::getenv("AELAB_KOREAN_FONT");
  w.app.font_path = font ? font : kFontDir + "/DejaVuSans.ttf";
  w.app.korean_font_path = korean_font ? korean_font : kFontDir + "/NanumGothic.ttf";
  w.app.ui_scale = scale;
  // The desktop's host: no address bar; files are saved in the working folder; the language
  // follows --lang, else the environment's ($LANG=ko_KR.UTF-8 gives Korean).
  app::host().preferred_language = [language] {
    if (!language.empty()) return language;
    const char* env = std::getenv("LANG");
    return std::string(env ? env : "");
  };
  app::host().save_file = [](const std::string& name, const std::string& bytes) -> std::string {
    std::ofstream out(name, std::ios::binary);
    out << bytes;
    return out ? name : std::string();
  };
  if (!platform::gl_window_create(w, "AE Lab", int(1280 * scale), int(800 * scale))) return 1;
  for (const auto& e : app::built_in_lesson_errors()) std::fprintf(stderr, "aelab-desktop: built-in lesson: %s\n", e.c_str());
  if (!lesson.empty()) {
    const auto& lessons = app::built_in_lessons();
    int index = -1;
    for (size_t i = 0; i < lessons.size(); ++i)
      if (lessons[i].id == lesson || std::to_string(i + 1) == lesson) index = int(i);
    if (index < 0) {
      std::fprintf(stderr, "aelab-desktop: --lesson: there are lessons 1 to %d (or name one by its id; `aelab lessons --list`)\n",
                   int(lessons.size()));
      return 2;
    }
    app::app_open_lesson(w.app, index);
  }
  if (!lesson_file.empty()) {
    std::ifstream in(lesson_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "aelab-desktop: %s: cannot read the file\n", lesson_file.c_str());
      return 2;
    }
    if (!app::app_open_lesson_file(w.app, text.str(), lesson_file)) {
      // The page keeps running with a message; the command line says it and stops.
      std::fprintf(stderr, "aelab-desktop: %s\n", w.app.error.c_str());
      return 2;
    }
  }
  if (!worked_example.empty()) {
    // A lecturer's own example: the step-through view without a lesson around it.
    std::ifstream in(worked_example, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    app::stepper_load(w.app.stepper, text.str(), worked_example);
    if (!in || !w.app.stepper.loaded) {
      std::fprintf(stderr, "aelab-desktop: %s: %s\n", worked_example.c_str(),
                   in ? w.app.stepper.error.c_str() : "cannot read the file");
      return 2;
    }
    w.app.lesson = -1;
    w.app.mode = app::Scene::step_through;
    w.app.worked_example_file = worked_example;
  }
  if (!open_files.empty()) {
    // As if dropped on the window together: data, a model, lessons.
    std::vector<ae::NamedBytes> files;
    for (const std::string& path : open_files) {
      try {
        files.push_back({path, ae::read_file_bytes(path, app::own_limits::max_file_bytes)});
      } catch (const ae::Error& e) {
        std::fprintf(stderr, "aelab-desktop: %s\n", e.what());
        return 2;
      }
    }
    app::app_open_files(w.app, std::move(files));
    if (!w.app.error.empty()) {
      std::fprintf(stderr, "aelab-desktop: %s\n", w.app.error.c_str());
      return 2;
    }
  }
  for (int i = 0; i < phases; ++i) app::stepper_next_phase(w.app.stepper);
  if (train) app::app_start_training(w.app);

  if (!every_lesson_dir.empty()) {
    const int status = run_every_lesson(w, every_lesson_dir);
    platform::gl_window_destroy(w);
    return status;
  }

  // Training on its own thread while the window draws (training_thread.h); this thread holds the
  // App from here on except while GL draws and the swap waits for the screen: one hand-off a frame.
  std::unique_ptr<app::TrainingThread> training;
  if (!time_slices) training = std::make_unique<app::TrainingThread>(w.app);
  long frame = 0;
  int status = 0;
  const double t0 = app::now_seconds();
  while (!w.quit) {
    platform::gl_window_build(w);
    ++frame;
    // The frame just built shows the scene stopped (with --until-stopped): the last one.
    const bool last = (max_frames > 0 && frame >= max_frames) || (until_stopped && !app::app_training(w.app));
    {
      // The frame is built: the worker trains while GL draws it and the swap waits for the screen.
      app::TrainingWindow training_window(w.app);
      platform::gl_window_draw(w);
      if (last && !screenshot.empty()) {
        double spread = 0;
        if (!save_screenshot(w, screenshot, &spread)) {
          std::fprintf(stderr, "aelab-desktop: could not write %s\n", screenshot.c_str());
          status = 1;
        } else if (spread < 5.0) {
          std::fprintf(stderr, "aelab-desktop: the frame saved to %s is blank (pixel spread %.2f)\n", screenshot.c_str(), spread);
          status = 1;
        } else {
          std::printf("aelab-desktop: screenshot %s (pixel spread %.1f)\n", screenshot.c_str(), spread);
        }
      }
      SDL_GL_SwapWindow(w.window);
    }
    if (last) w.quit = true;
  }
  const double seconds = app::now_seconds() - t0;
  training.reset();  // joined: nothing trains from here on
  const std::string state = app::app_state_json(w.app);
  std::printf("aelab-desktop: state %s\n", state.c_str());
  {
    float first = 0, last = 0;
    long long steps = 0;
    app::app_training_progress(w.app, first, last, steps);
    std::printf("aelab-desktop: %ld frames in %.2f s (%.1f frames/s), %lld steps (%.1f steps/s), training %s\n", frame, seconds,
                double(frame) / std::max(seconds, 1e-9), steps, double(steps) / std::max(seconds, 1e-9),
                time_slices ? "in the frames' time slices" : "on its own thread");
  }
  if (train && max_frames > 0) {
    float first = 0, last = 0;
    long long steps = 0;
    app::app_training_progress(w.app, first, last, steps);
    const bool fell = steps > 0 && last < 0.8f * first;
    if (!fell) {
      std::fprintf(stderr, "aelab-desktop: training did not lower the loss (steps %lld, %g → %g)\n", steps, first, last);
      status = 1;
    }
  }
  platform::gl_window_destroy(w);
  return status;
}
