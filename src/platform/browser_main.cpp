// browser_main.cpp — AE Lab in the browser: SDL2 + WebGL2 through Emscripten.
//
// The browser owns the loop: emscripten_set_main_loop calls one frame per animation frame.
// The canvas is sized by CSS (web/index.html: it fills the window); SDL follows resizes and
// sets the canvas's pixel size to CSS size × devicePixelRatio. After the first frame we call
// the page's aelabReady() (hides the loading screen); aelab_state_json() is exported so the page
// and the browser tests can read the app's state.
//
// Two builds of this file and the app (src/platform/CMakeLists.txt): app.js, one thread, training
// in a slice of each frame; app-mt.js, compiled again with pthreads in build/web/mt, training on a
// thread of its own (app::TrainingThread) while the page draws. web/index.html loads app-mt.js where the page is
// cross-origin isolated (it needs SharedArrayBuffer), else app.js, which then says why in its help.
// With the thread, the UI thread holds the App only while it builds a frame and inside the page's
// calls (each takes an app::UiTurn), so the worker trains while GL draws the frame and between
// frames, while the browser composites: one hand-off a frame.
//
// Benchmark hooks (web/index.html calls them when the URL has ?bench):
//   aelab_bench_run(images_path, reps, rep_seconds)   the JSON of src/bench/bench.h, measured here
//   aelab_bench_table()                               its training figures as a table
//   aelab_bench_frames_start(images_path, seconds)    frames/s while M2 (784-128-2-128-784, batch
//   aelab_bench_frames_result()                       64) trains on MNIST as the app trains
// The frames measurement runs inside the real main loop and trains as the app does: on the
// training thread, in slices that hold the App (the hand-offs the scenes had before they trained as
// copies: the comparison), or (app.js) in a slice of each frame after the whole UI is drawn, adapted
// as the app adapts its own (next_train_budget_ms). With the thread, two more phases: M2 trained as a
// copy of its own that gives its weights to the App once a frame (as every scene trains:
// app::CopyTraining), and M2 trained without the App (nothing handed off), to tell the hand-offs'
// cost from the cores'.
#include "sdl_gl_app.h"

#include "app/i18n.h"
#include "bench/bench.h"

#include <emscripten.h>
#include <emscripten/html5.h>
#include <emscripten/threading.h>
#include <emscripten/wget.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

platform::GlWindow g_window;
std::unique_ptr<app::TrainingThread> g_training;  // app-mt.js: the thread that trains
std::string g_state;
std::string g_bench_table;  // the last benchmark's table

// ---- Frames/s while training (benchmark mode) -------------------------------------------------
// Phases of `phase_seconds` each: the UI alone (idle); M2 training in slices, on the training
// thread, which takes the App for each slice, or in a slice of each frame (training);
// and, with a thread, M2 training as the scenes train, a copy that gives its weights
// to the App once a frame (training_copy), and M2 training on the thread without the App, so that
// nothing is handed off and the UI and training share only the cores (training_alone). Side by
// side they say how much of what training while drawing lacks is the hand-offs and how much the
// cores.
struct FramesBench {
  enum Phase { off, idle, training, training_copy, training_alone, done };
  // What one training phase counted: the UI's frames (the UI thread) and the slices (the thread
  // that trains).
  struct Counts {
    std::vector<double> frame_ms, slice_ms;
    long long samples = 0, steps = 0;
    double train_seconds = 0;  // time spent inside training slices
    app::TrainingThread::Tally tally_start;  // the training thread's tally when the phase began
  };
  Phase phase = off;  // written by the UI thread holding the App and g_frames_mutex
  double phase_seconds = 5, t_phase = 0, t_last = 0;
  std::vector<double> idle_frame_ms;
  Counts shared, copy, alone;  // the training, training_copy and training_alone phases
  double budget_ms = 8, last_slice_ms = 0;  // as App::train_budget_ms, last_slice_ms (frame slices)
  std::unique_ptr<ae::Trainer<float>> trainer;
  ae::Autoencoder<float> given;  // training_copy: the weights given to the App at each sync (the UI's to read)
  long long syncs = 0;           // … how many times
  float loss_first = 0, loss_last = 0;
  std::string phases_json;  // the training phases measured so far, as JSON members
  std::string result;
};
FramesBench g_frames;
// Guards g_frames's model and the slices' counts against the thread that trains; the UI thread
// takes it only when a phase changes. Order: the App's mutex (where held) before this one.
std::mutex g_frames_mutex;

double fps_of(const std::vector<double>& intervals_ms) {
  double sum = 0;
  for (double v : intervals_ms) sum += v;
  return intervals_ms.empty() ? 0.0 : 1000.0 * double(intervals_ms.size()) / sum;
}
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

// One slice of the benchmark's training in phase `when`: M2's steps until `budget_ms` has passed.
// On the training thread (holding the App in the training phase, which it calls instead of the
// App's slice; without it in training_copy and training_alone) or, without a thread, in the frame.
// Returns whether it trained (false outside `when`).
bool frames_bench_slice(FramesBench::Phase when, double budget_ms) {
  std::lock_guard<std::mutex> hold(g_frames_mutex);
  FramesBench& f = g_frames;
  if (f.phase != when || !f.trainer || !f.trainer->failure.empty()) return false;
  FramesBench::Counts& c = when == FramesBench::training_alone ? f.alone : when == FramesBench::training_copy ? f.copy : f.shared;
  const double t0 = emscripten_get_now();
  while (emscripten_get_now() - t0 < budget_ms && f.trainer->failure.empty()) {
    const float loss = f.trainer->step();
    if (f.shared.steps + f.alone.steps == 0) f.loss_first = loss;
    f.loss_last = loss;
    ++c.steps;
    c.samples += f.trainer->config.batch_size;
  }
  const double t1 = emscripten_get_now();
  c.train_seconds += (t1 - t0) / 1000;
  c.slice_ms.push_back(t1 - t0);
  f.last_slice_ms = t1 - t0;
  return true;
}

// training_copy's sync, holding the App: the App gets the copy's weights (what the UI reads of a
// model; the scenes give it the optimizer's state and the curves too). False outside the phase.
bool frames_bench_give_weights() {
  std::lock_guard<std::mutex> hold(g_frames_mutex);
  FramesBench& f = g_frames;
  if (f.phase != FramesBench::training_copy || !f.trainer || !f.trainer->failure.empty()) return false;
  f.given = f.trainer->model;
  ++f.syncs;
  return true;
}

// One training phase's figures as JSON: frames, training speed and, with a training thread, where
// the phase's time went: what the UI thread held (its turns: frames built, the page's calls) and
// waited for, per frame and as a share of the phase, and the worker's slices and its waits for the
// UI before them. What the UI holds, training cannot use; the rest of what training lacks is the
// cores it shares with drawing.
// `more`: further members (",\"name\":value…").
std::string phase_json(const FramesBench::Counts& c, double elapsed, const std::string& more = "") {
  using bench::num;
  std::string json = "{\"frames\":" + std::to_string(c.frame_ms.size()) + ",\"fps\":" + num(fps_of(c.frame_ms)) +
                     ",\"frame_ms_median\":" + num(quantile(c.frame_ms, 0.5)) + ",\"frame_ms_p95\":" + num(quantile(c.frame_ms, 0.95)) +
                     ",\"slice_ms_median\":" + num(quantile(c.slice_ms, 0.5)) +
                     ",\"slice_ms_p90\":" + num(quantile(c.slice_ms, 0.9)) + ",\"slice_ms_p99\":" + num(quantile(c.slice_ms, 0.99)) +
                     ",\"steps\":" + std::to_string(c.steps) +
                     ",\"samples_per_s\":" + num(double(c.samples) / elapsed, 5) +
                     ",\"samples_per_s_inside_slices\":" + num(double(c.samples) / std::max(c.train_seconds, 1e-9), 5);
  if (g_training) {
    const app::TrainingThread::Tally a = c.tally_start, b = g_training->tally();
    const double frames = std::max<double>(1.0, double(c.frame_ms.size()));
    json += ",\"thread\":{\"ui_turns\":" + std::to_string(b.ui_turns - a.ui_turns) +
            ",\"ui_held_ms_per_frame\":" + num(1000 * (b.ui_held_s - a.ui_held_s) / frames) +
            ",\"ui_waited_ms_per_frame\":" + num(1000 * (b.ui_waited_s - a.ui_waited_s) / frames) +
            ",\"ui_held_share\":" + num((b.ui_held_s - a.ui_held_s) / elapsed) +
            ",\"worker_slices\":" + std::to_string(b.slices - a.slices) +
            ",\"worker_trained_share\":" + num((b.worker_trained_s - a.worker_trained_s) / elapsed) +
            ",\"worker_waited_share\":" + num((b.worker_waited_s - a.worker_waited_s) / elapsed) + "}";
  }
  return json + more + "}";
}

// Each frame (the UI thread holds the App): counts the frame; without a training thread, trains a
// slice; moves to the next phase when this one has lasted its time, and after the last writes the
// result.
void frames_bench_tick() {
  FramesBench& f = g_frames;
  if (f.phase == FramesBench::off || f.phase == FramesBench::done) return;
  const double now = emscripten_get_now();
  const double frame_ms = f.t_last > 0 ? now - f.t_last : 0;
  if (f.t_last > 0)
    (f.phase == FramesBench::idle       ? f.idle_frame_ms
     : f.phase == FramesBench::training ? f.shared.frame_ms
     : f.phase == FramesBench::training_copy ? f.copy.frame_ms
                                             : f.alone.frame_ms)
        .push_back(frame_ms);
  f.t_last = now;
  const bool threaded = g_window.app.training_thread != nullptr;
  if (f.phase == FramesBench::training && !threaded) {
    // One slice of training, adapted as the app adapts its own (next_train_budget_ms).
    if (frame_ms > 0) f.budget_ms = app::next_train_budget_ms(f.budget_ms, frame_ms, f.last_slice_ms);
    frames_bench_slice(FramesBench::training, f.budget_ms);
  }
  const double t1 = emscripten_get_now();
  const double elapsed = (t1 - f.t_phase) / 1000;
  if (elapsed < f.phase_seconds) return;

  std::lock_guard<std::mutex> hold(g_frames_mutex);  // the thread's slice in progress ends first
  const auto next_phase = [&](FramesBench::Phase phase, FramesBench::Counts* counts) {
    f.phase = phase;
    f.t_phase = t1;
    f.t_last = 0;
    if (counts && g_training) counts->tally_start = g_training->tally();
  };
  if (f.phase == FramesBench::idle) return next_phase(FramesBench::training, &f.shared);
  if (f.phase == FramesBench::training) {
    f.phases_json = ",\"training\":" + phase_json(f.shared, elapsed);
    if (threaded) return next_phase(FramesBench::training_copy, &f.copy);
  } else if (f.phase == FramesBench::training_copy) {
    // … and how often the App was given the weights.
    const std::string syncs = ",\"syncs\":" + std::to_string(f.syncs) + ",\"syncs_per_frame\":" +
                              bench::num(double(f.syncs) / std::max<double>(1.0, double(f.copy.frame_ms.size())));
    f.phases_json += ",\"training_copy\":" + phase_json(f.copy, elapsed, syncs);
    return next_phase(FramesBench::training_alone, &f.alone);
  } else {
    f.phases_json += ",\"training_alone\":" + phase_json(f.alone, elapsed);
  }
  using bench::num;
  const auto& I = f.idle_frame_ms;
  f.result = std::string("{\"model\":\"M2\",\"layers\":\"784-128-2-128-784\",\"batch\":64,\"optimizer\":\"sgd\",") +
             "\"training_runs\":\"" + (threaded ? "on a thread of its own" : "in a slice of each frame") +
             "\",\"train_budget_ms\":" + num(threaded ? app::TrainingThread::kSliceMs : f.budget_ms) +
             ",\"seconds_per_phase\":" + num(f.phase_seconds) + ",\"idle\":{\"frames\":" + std::to_string(I.size()) +
             ",\"fps\":" + num(fps_of(I)) + ",\"frame_ms_median\":" + num(quantile(I, 0.5)) +
             ",\"frame_ms_p95\":" + num(quantile(I, 0.95)) + "}" + f.phases_json + ",\"loss_first\":" + num(f.loss_first) +
             ",\"loss_last\":" + num(f.loss_last) + ",\"wasm_memory_mb\":" + num(bench::memory_bytes() / 1048576.0) + "}";
  f.trainer.reset();
  f.given = ae::Autoencoder<float>();
  f.phase = FramesBench::done;
}

void main_loop() {
  {
    app::UiTurn turn(g_window.app);  // the App is the UI's while this frame is built
    // Follow the canvas's CSS size (the page resizes it with the window) and the pixel ratio.
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    int ww = 0, wh = 0;
    SDL_GetWindowSize(g_window.window, &ww, &wh);
    if (css_w >= 1 && css_h >= 1 && (int(css_w) != ww || int(css_h) != wh)) SDL_SetWindowSize(g_window.window, int(css_w), int(css_h));

    platform::gl_window_build(g_window);
    frames_bench_tick();
    if (g_window.app.frame_count == 1) {
      EM_ASM({
        if (typeof aelabReady === 'function') aelabReady();
      });
    }
  }
  // Built: the training thread trains again while GL draws it and the browser composites.
  platform::gl_window_draw(g_window);
}

}  // namespace

// A lesson file dropped on the page or picked with its file dialog (web/index.html reads the file
// and calls this). Returns 1 when it opened; otherwise the app shows the reader's message.
extern "C" EMSCRIPTEN_KEEPALIVE int aelab_open_lesson_text(const char* name, const char* text) {
  app::UiTurn turn(g_window.app);
  return app::app_open_lesson_file(g_window.app, text ? text : "", name ? name : "lesson.json") ? 1 : 0;
}

// Files dropped on the page or picked with its file dialog, one drop at a time: web/index.html
// writes each into the in-memory file system and adds it here, then opens them together.
namespace {
std::vector<ae::NamedBytes> g_dropped;
bool g_drop_failed = false;  // a file of this drop could not be had: the drop opens nothing
}
extern "C" EMSCRIPTEN_KEEPALIVE void aelab_files_begin() {
  app::UiTurn turn(g_window.app);
  g_dropped.clear();
  g_drop_failed = false;
}
extern "C" EMSCRIPTEN_KEEPALIVE void aelab_files_add(const char* name, const char* path) {
  app::UiTurn turn(g_window.app);
  ae::NamedBytes file;
  file.name = name ? name : "file";
  try {
    file.bytes = ae::read_file_bytes(path ? path : "", app::own_limits::max_file_bytes);
  } catch (const std::exception& e) {  // ae::Error, or std::bad_alloc
    g_window.app.error = std::string(app::tr("This file cannot be opened: ")) + app::failure_text(e);
    g_drop_failed = true;
  }
  if (path) std::remove(path);
  if (!g_drop_failed) g_dropped.push_back(std::move(file));
}
// A file over the limit is not even read by the page: it says so here.
extern "C" EMSCRIPTEN_KEEPALIVE void aelab_files_refuse(const char* name, double size) {
  app::UiTurn turn(g_window.app);
  char text[512];
  std::snprintf(text, sizeof text, app::tr("%s is %.0f MB; the lab takes %s."), name ? name : "?", size / 1048576.0,
                app::own_limits_text().c_str());
  g_window.app.error = std::string(app::tr("This file cannot be opened: ")) + text;
  g_dropped.clear();
  g_drop_failed = true;
}
extern "C" EMSCRIPTEN_KEEPALIVE void aelab_files_open() {
  app::UiTurn turn(g_window.app);
  if (!g_drop_failed) app::app_open_files(g_window.app, std::move(g_dropped));
  g_dropped.clear();
}

// File ▸ Save the model, for the browser tests (the download lands in window.aelab.lastDownload).
extern "C" EMSCRIPTEN_KEEPALIVE int aelab_save_model() {
  app::UiTurn turn(g_window.app);
  std::string name;
  const std::string bytes = app::app_model_file(g_window.app, &name);
  if (bytes.empty() || !app::host().save_file) return 0;
  app::host().save_file(name, bytes);
  return 1;
}

// File ▸ Save the window as PNG, for the browser tests (the download lands in window.aelab.lastDownload
// two frames later).
// (x, y, w, h) in UI pixels: one view, as its right-click menu does; w = 0: the whole window.
extern "C" EMSCRIPTEN_KEEPALIVE void aelab_save_picture(float x, float y, float w, float h) {
  app::UiTurn turn(g_window.app);
  app::app_request_picture(g_window.app, w > 0 ? "aelab-view.png" : "aelab-window.png", app::WidgetRect{x, y, w, h});
}

// The current scene as a lesson file (tests: file → scene → file).
extern "C" EMSCRIPTEN_KEEPALIVE const char* aelab_scene_lesson_json() {
  app::UiTurn turn(g_window.app);
  static std::string out;
  out = app::lesson_to_json(app::app_scene_as_lesson(g_window.app));
  return out.c_str();
}

extern "C" EMSCRIPTEN_KEEPALIVE const char* aelab_state_json() {
  app::UiTurn turn(g_window.app);
  g_state = app::app_state_json(g_window.app);
  return g_state.c_str();
}

// The benchmark of bench.h, in the page (blocks the page while it runs). Returns the JSON, or
// {"error": "..."}.
extern "C" EMSCRIPTEN_KEEPALIVE const char* aelab_bench_run(const char* images_path, int reps, double rep_seconds) {
  app::UiTurn turn(g_window.app);
  static std::string out;
  try {
    bench::Options o;
    o.platform = "browser";
    o.mnist_images = images_path;
    o.reps = std::max(1, reps);
    o.rep_seconds = rep_seconds > 0 ? rep_seconds : o.rep_seconds;
    o.progress = [](const std::string& line) { emscripten_log(EM_LOG_CONSOLE, "bench: %s", line.c_str()); };
    out = bench::run(o, &g_bench_table);
  } catch (const std::exception& e) {
    out = std::string("{\"error\":\"") + e.what() + "\"}";
    g_bench_table.clear();
  }
  return out.c_str();
}

// The training figures of the last aelab_bench_run as a table (bench::train_table).
extern "C" EMSCRIPTEN_KEEPALIVE const char* aelab_bench_table() { return g_bench_table.c_str(); }

// Starts the frames/s measurement: `seconds` of the idle UI, then `seconds` of the UI while M2
// trains on the first 10,000 images of `images_path` as the app trains (on the training thread or
// in per-frame slices), then, with the thread, `seconds` as a copy of its own and `seconds` more
// with no hand-off. 0 on success.
extern "C" EMSCRIPTEN_KEEPALIVE int aelab_bench_frames_start(const char* images_path, double seconds) {
  app::UiTurn turn(g_window.app);
  try {
    auto trainer = std::make_unique<ae::Trainer<float>>();
    const bench::Model m2 = bench::models()[1];
    ae::Rng rng(1);
    trainer->model = ae::make_autoencoder<float>(bench::architecture(m2), ae::Init::he_normal, rng);
    trainer->data = bench::load_mnist_prefix(images_path, 10000);
    trainer->config.batch_size = m2.batch;
    trainer->config.loss.kind = ae::LossKind::binary_cross_entropy;
    trainer->config.loss.units = ae::Reduction::mean;
    trainer->config.optimizer.kind = ae::OptimizerKind::sgd;
    trainer->config.optimizer.learning_rate = 0.5;
    trainer->reset_progress();
    std::lock_guard<std::mutex> hold(g_frames_mutex);
    g_frames = FramesBench();
    g_frames.trainer = std::move(trainer);
    g_frames.phase_seconds = seconds > 0 ? seconds : 5;
    g_frames.phase = FramesBench::idle;
    g_frames.t_phase = emscripten_get_now();
    return 0;
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> hold(g_frames_mutex);
    g_frames.result = std::string("{\"error\":\"") + e.what() + "\"}";
    g_frames.phase = FramesBench::done;
    return 1;
  }
}

// "" while the measurement runs, then its JSON.
extern "C" EMSCRIPTEN_KEEPALIVE const char* aelab_bench_frames_result() {
  app::UiTurn turn(g_window.app);
  return g_frames.phase == FramesBench::done ? g_frames.result.c_str() : "";
}

namespace {

// The page as the app's host (app/host.h): the address bar, the browser's language, downloads.
void install_browser_host() {
  app::Host& h = app::host();
  h.read_query = [] {
    char query[2048] = {};
    EM_ASM({ stringToUTF8(window.location.search.substring(1), $0, $1); }, query, int(sizeof query));
    return std::string(query);
  };
  h.publish_query = [](const std::string& query) {
    EM_ASM({ window.history.replaceState(null, document.title, '?' + UTF8ToString($0)); }, query.c_str());
  };
  h.copy_link = [](const std::string& query) -> std::string {
    // The click was a moment ago (this frame), so the browser still allows writing the clipboard.
    static char address[4096];
    address[0] = 0;
    EM_ASM({
      const url = location.origin + location.pathname + '?' + UTF8ToString($0);
      window.history.replaceState(null, document.title, '?' + UTF8ToString($0));
      window.aelab.lastCopied = url;
      if (navigator.clipboard) navigator.clipboard.writeText(url).catch((e) => console.warn('AE Lab: the link is in the address bar (' + e + ')'));
      stringToUTF8(url, $1, $2);
    }, query.c_str(), address, int(sizeof address));
    return address;
  };
  // The language chosen on an earlier visit, else the browser's (navigator.language).
  h.preferred_language = [] {
    char language[64] = {};
    EM_ASM({
      let lang = "";
      try { lang = window.localStorage.getItem("aelab.lang") || ""; } catch (e) {}
      stringToUTF8(lang || navigator.language || "", $0, $1);
    }, language, int(sizeof language));
    return std::string(language);
  };
  h.remember_language = [](const std::string& language) {
    EM_ASM({ try { window.localStorage.setItem('aelab.lang', UTF8ToString($0)); } catch (e) {} }, language.c_str());
  };
  h.fetch_data_files = [](const std::vector<std::string>& names, auto done, auto failed, auto progress) {
    // One request per file (emscripten_async_wget2_data, with progress); the last one in calls `done`.
    // The callbacks come between frames: each takes the App from the training thread (UiTurn).
    struct Fetch {
      std::vector<std::string> names;
      std::vector<std::vector<uint8_t>> files;
      std::vector<uint64_t> loaded, total;  // per file, from the progress events
      int pending;
      bool failed = false;
      std::function<void(const std::vector<std::vector<uint8_t>>&)> done;
      std::function<void(const std::string&)> on_failure;
      std::function<void(uint64_t, uint64_t)> on_progress;
      void report() {
        uint64_t l = 0, t = 0;
        bool known = true;
        for (size_t i = 0; i < loaded.size(); ++i) {
          l += loaded[i];
          t += total[i];
          known &= total[i] > 0;
        }
        if (on_progress) on_progress(l, known ? t : 0);
      }
    };
    struct Request {
      std::shared_ptr<Fetch> fetch;
      size_t index;
    };
    const size_t n = names.size();
    auto fetch = std::make_shared<Fetch>(Fetch{names, std::vector<std::vector<uint8_t>>(n), std::vector<uint64_t>(n, 0),
                                               std::vector<uint64_t>(n, 0), int(n), false, done, failed, progress});
    for (size_t i = 0; i < n; ++i)
      emscripten_async_wget2_data(
          ("data/" + names[i]).c_str(), "GET", "", new Request{fetch, i}, 1,
          [](unsigned, void* arg, void* data, unsigned size) {
            app::UiTurn turn(g_window.app);  // the page calls these between frames
            std::unique_ptr<Request> r(static_cast<Request*>(arg));
            const uint8_t* bytes = static_cast<const uint8_t*>(data);
            r->fetch->files[r->index].assign(bytes, bytes + size);
            r->fetch->loaded[r->index] = r->fetch->total[r->index] = std::max<uint64_t>(size, r->fetch->total[r->index]);
            r->fetch->report();
            if (--r->fetch->pending == 0 && !r->fetch->failed) r->fetch->done(r->fetch->files);
          },
          [](unsigned, void* arg, int, const char*) {
            app::UiTurn turn(g_window.app);  // the page calls these between frames
            std::unique_ptr<Request> r(static_cast<Request*>(arg));
            if (!r->fetch->failed) r->fetch->on_failure(r->fetch->names[r->index]);
            r->fetch->failed = true;
          },
          [](unsigned, void* arg, int loaded, int total) {
            app::UiTurn turn(g_window.app);  // the page calls these between frames
            const Request* r = static_cast<const Request*>(arg);
            r->fetch->loaded[r->index] = uint64_t(std::max(0, loaded));
            r->fetch->total[r->index] = uint64_t(std::max(0, total));
            r->fetch->report();
          });
  };
  h.choose_files = [] {
    EM_ASM({ if (typeof aelabChooseFiles === 'function') aelabChooseFiles(); });
  };
  h.save_file = [](const std::string& name, const std::string& bytes) -> std::string {
    EM_ASM({ if (typeof aelabDownloadBytes === 'function') aelabDownloadBytes(UTF8ToString($0), $1, $2); }, name.c_str(), bytes.data(),
           int(bytes.size()));
    return name + app::tr(" (a download)");
  };
}

// app-mt.js: training on a thread of its own from here on, the UI thread holding the App only in
// its turns. app.js, or a thread that cannot start: training in the frames' slices, and the help
// says why.
void start_training_thread() {
  app::App& app = g_window.app;
  if (!emscripten_has_threading_support()) {
    const bool asked = EM_ASM_INT({ return new URLSearchParams(location.search).get('threads') === '0' ? 1 : 0; });
    const bool isolated = EM_ASM_INT({ return self.crossOriginIsolated ? 1 : 0; });
    app.no_thread_reason = asked      ? app::tr_noop("No thread for training here: the address asks for none (threads=0).")
                           : isolated ? app::tr_noop("No thread for training here: this browser gives WebAssembly no shared memory.")
                                      : app::tr_noop("No thread for training here: the page is not cross-origin isolated (served without the "
                                                     "COOP and COEP headers of scripts/serve.sh, or over http:// from another machine).");
    return;
  }
  try {
    // The benchmark's model in its phases, else the App's scenes.
    const app::CopyTraining toy = app::app_copy_training();
    app::CopyTraining copy{[toy](app::App& a) { return frames_bench_give_weights() || toy.sync(a); },
                           [toy](double budget_ms) {
                             return g_frames.phase == FramesBench::training_copy ? frames_bench_slice(FramesBench::training_copy, budget_ms)
                                                                                 : toy.train(budget_ms);
                           }};
    g_training = std::make_unique<app::TrainingThread>(
        app,
        [&app](double budget_ms) {
          return g_frames.phase == FramesBench::training ? frames_bench_slice(FramesBench::training, budget_ms)
                                                         : app::app_train_slice(app, budget_ms);
        },
        // The benchmark's model in its phase with no hand-off, without the App.
        [](double budget_ms) { return frames_bench_slice(FramesBench::training_alone, budget_ms); }, copy);
    g_training->ui_let_go();  // the first frame takes the App (main_loop's UiTurn)
  } catch (const std::exception& e) {
    std::fprintf(stderr, "AE Lab: no training thread (%s): training runs in the frames' slices\n", e.what());
    app.no_thread_reason = app::tr_noop("No thread for training here: the browser could not start one.");
  }
}

}  // namespace

int main(int, char**) {
  install_browser_host();
  // Cut from Debian's fonts at build time and preloaded (app.data).
  g_window.app.font_path = "/assets/DejaVuSans.ttf";
  g_window.app.korean_font_path = "/assets/NanumGothic.ttf";
  double css_w = 1280, css_h = 800;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  if (!platform::gl_window_create(g_window, "AE Lab", int(css_w), int(css_h))) {
    EM_ASM({
      if (typeof aelabFatal === 'function') aelabFatal('The app could not create its WebGL2 context.');
    });
    return 1;
  }
  start_training_thread();
  emscripten_set_main_loop(main_loop, 0, true);
  return 0;
}
