// training_thread.h — training off the UI thread.
//
// The scenes train in slices: app_train_slice runs the current scene's steps for a few
// milliseconds. Without threads (the page today), app_frame runs one slice per frame, so training
// waits while the UI draws and the UI waits while training runs. With a TrainingThread (the desktop
// app), a worker runs the slices back to back and app_frame runs none.
//
// One mechanism keeps that correct: the App has one owner at a time, by one mutex. The UI thread
// holds it whenever it reads events or builds its frame (everything that reads or changes the App,
// also the platform's own calls into it) and lets go only while it draws what it built and waits
// for the screen, inside a TrainingWindow (platform::gl_window_draw reads nothing of the App).
// The worker trains every scene (toy, MNIST, stacked) as a copy of its own (CopyTraining), and every
// frame shows the model between two steps, exactly as with time slices (pause, step, reset, the live
// settings and the step-through mean what they did): the worker steps the copy without the App and
// takes the App only for a moment once a frame, to give it the copy's progress (or to take the App's
// state where the UI changed it), and only when the UI is not holding it. So neither waits for the
// other. A Pause keeps the model the UI showed: the steps of the copy not yet given to the App are
// dropped. What follows steps is done at that moment, holding the App, on the model just given to
// it, as a slice does: the MNIST scene's codes, validation point and pictures; the stacked scene's
// test accuracy, filters and next stage (the copy stops where its stage ends and waits for it).
// Where no copy trains (the scene paused, its data loading), the worker takes the App for a slice
// (app_train_slice: the MNIST scene redraws its pictures, the stacked scene sets itself up when the
// digits arrive); the UI, asking for the App back, waits for the slice to end.
// Textures are GL objects of the UI thread: an upload asked for on the worker waits until the UI's
// next frame (textures_upload_pending).
//
// The desktop's loop lets go of the App only inside its TrainingWindows. The page's loop cannot
// wrap the browser's wait for the screen in a scope (the browser calls one frame per animation
// frame and returns): there the UI thread lets go when a frame ends and takes the App back with a
// UiTurn for each frame and for each call from the page's script in between (UiTurn does nothing
// where the UI thread holds the App already, or where no thread trains).
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

namespace app {

struct App;

// Seconds on a steady clock: the slices' budgets and the curves' and pictures' refresh times.
double now_seconds();

// One slice of the current scene's training (toy, MNIST or stacked): steps until `budget_ms` has
// passed (at least one when the scene runs), with the curves and pictures that follow them.
// Returns whether a step was taken.
bool app_train_slice(App& app, double budget_ms);

// The slice of the next frame when training shares the UI thread (App::train_budget_ms), from this
// frame's: it grows (up to 16 ms) while frames keep near 60 a second and shrinks when they fall
// below 55, but never below half of what the last frame spent outside training (`frame_ms` minus
// `slice_ms`: events, the UI, drawing, the wait for the screen) nor below 2 ms. So a fast machine
// trains in the time the frame has left, and a device that cannot draw 60 frames a second anyway
// (a phone, software rendering) still trains a third of each frame (16 ms at most), where
// shrinking to the floor alone left it a few per cent (MNIST at 14–17 steps a second in headless
// Chromium).
inline double next_train_budget_ms(double budget_ms, double frame_ms, double slice_ms) {
  constexpr double kMinMs = 2.0, kMaxMs = 16.0;
  if (frame_ms > 1000.0 / 55.0) budget_ms *= 0.85;        // frames too slow: give the UI time back
  else if (frame_ms < 1000.0 / 62.0) budget_ms += 0.25;   // time to spare: train more
  const double outside_ms = std::max(0.0, frame_ms - slice_ms);
  const double floor_ms = std::clamp(outside_ms / 2.0, kMinMs, kMaxMs);  // training keeps ≥ 1/3
  return std::clamp(budget_ms, floor_ms, kMaxMs);
}

// A scene that a TrainingThread trains as a copy of its own: the worker steps the copy without the
// App and takes the App only for `sync`, a moment once a frame, when the UI is not holding it. So the
// UI never waits for a step and the worker never waits for a frame.
struct CopyTraining {
  // Holding the App: the App takes the copy's progress, or the copy the App's state where the UI
  // changed it; returns whether the copy trains (false: paused, stopped, another scene).
  std::function<bool(App&)> sync;
  // Without the App: steps of the copy until `budget_ms` has passed or a step fails (NaN/Inf);
  // returns whether a step was taken.
  std::function<bool(double budget_ms)> train;
};
// The App's: its toy, MNIST and stacked scenes (app.cpp).
CopyTraining app_copy_training();

// For a sync: `to` becomes `from` (an ae::Trainer or ae::VaeTrainer: model, optimizer, random
// states, progress) but keeps its own data and its scratch of a step (`ws`, `batch`: the next step
// rebuilds them, and nothing reads them between steps). Not copied: the data are the same points
// in both (toy) or moved into the copy while it trains (MNIST), and a second workspace would not fit
// the page's memory with the largest networks. `from`'s are set aside while it is copied.
template <typename Trainer>
void copy_training_state(Trainer& from, Trainer& to) {
  auto to_data = std::move(to.data), from_data = std::move(from.data);
  auto to_ws = std::move(to.ws), from_ws = std::move(from.ws);
  auto to_batch = std::move(to.batch), from_batch = std::move(from.batch);
  to = from;
  from.data = std::move(from_data);
  from.ws = std::move(from_ws);
  from.batch = std::move(from_batch);
  to.data = std::move(to_data);
  to.ws = std::move(to_ws);
  to.batch = std::move(to_batch);
}

// The same, but `to` keeps its own `live` members (the UI's live settings: η, M, the penalties, β),
// which `from` takes as well: the App takes the copy's progress, the copy the App's live settings.
// For example copy_training_state_keeping(copy.trainer, app.trainer, &ae::Trainer<float>::config).
template <typename Trainer, typename... Live>
void copy_training_state_keeping(Trainer& from, Trainer& to, Live Trainer::*... live) {
  std::tuple<Live...> kept(std::move(to.*live)...);
  copy_training_state(from, to);
  std::apply([&](auto&... value) { ((from.*live = value, to.*live = std::move(value)), ...); }, kept);
}

// A sync of a scene's copy (CopyTraining::sync), holding the App; the same for every scene:
//  - the scene does not train (another scene shown, paused, stopped, finished): the copy is dropped,
//    so the scene keeps the model it shows (the copy's steps not yet given to it are lost), and a
//    restart takes the scene's state;
//  - the UI changed the scene's state (`scene_edits` moved: a reset, a model opened, a Step, the next
//    stage): the copy takes the scene's;
//  - else the scene takes the copy's progress (and the copy the scene's live settings) and does what
//    follows steps, as a slice does; give() says whether the copy trains on (not after a failed step:
//    the scene stops with its last good weights).
// `Copy` has `long long edits` (the scene's when the copy was taken; −1: none) and drop(scene),
// take(scene) (which sets `edits`) and give(scene, what_follows_needs...) (the stacked scene's next
// stage needs the digits). Returns whether the copy trains.
template <typename Scene, typename Copy, typename... Context>
bool sync_scene_copy(Scene& scene, Copy& copy, bool scene_trains, long long scene_edits, Context&... context) {
  if (!scene_trains) {
    copy.drop(scene);
    return false;
  }
  if (copy.edits != scene_edits) {
    copy.drop(scene);
    copy.take(scene);
    return true;
  }
  return copy.give(scene, context...);
}

class TrainingThread {
 public:
  // One slice of training of `budget_ms`; returns whether a step was taken. By default the App's
  // (app_train_slice); the page's benchmark trains its own model through the same thread.
  using Slice = std::function<bool(double budget_ms)>;

  // Starts the worker; the calling (UI) thread holds the App from here on, except in a
  // TrainingWindow or after ui_let_go(). Sets app.training_thread.
  //
  // `alone`, where given, is a slice that touches nothing of the App (the page's benchmark trains a
  // model the UI never reads, to measure training with no hand-off): the worker tries it first,
  // without taking the App, and takes the App for `slice` only when it returns false (nothing to
  // train alone). It guards what it shares with the UI thread itself.
  //
  // `copy` trains a scene as a copy of its own where `copy.sync` says so (by default the App's toy
  // scene); `slice` runs only where it does not.
  explicit TrainingThread(App& app, Slice slice = {}, Slice alone = {}, CopyTraining copy = app_copy_training());
  // Stops and joins the worker (the UI thread keeps the App).
  ~TrainingThread();
  TrainingThread(const TrainingThread&) = delete;
  TrainingThread& operator=(const TrainingThread&) = delete;

  // The worker's slices: a few toy steps or one MNIST step, short enough that the UI, asking for
  // the App back, waits at most this (or one step of a larger network).
  static constexpr double kSliceMs = 2.0;

  // The UI thread lets go of the App (the worker may train) and takes it back (waiting for the
  // worker's slice to end). Only the UI thread calls them; ui_holds() says which it did last.
  void ui_let_go();
  void ui_take_back();
  bool ui_holds() const { return ui_hold_.owns_lock(); }

  // Where the time goes, in seconds since the thread started (the page's benchmark reports the
  // differences over its training phase): how long the UI thread held the App and waited to take
  // it back, and how long the worker trained and, before those slices, waited for the UI. Each is
  // added by one thread and may be read by any.
  struct Tally {
    double ui_held_s = 0, ui_waited_s = 0, worker_trained_s = 0, worker_waited_s = 0;
    long long ui_turns = 0, slices = 0;
  };
  Tally tally() const;

 private:
  void run();

  App& app_;
  Slice slice_, alone_;
  CopyTraining copy_;
  std::mutex app_mutex_;
  std::unique_lock<std::mutex> ui_hold_;   // the UI thread's hold, released in a TrainingWindow
  std::atomic<bool> ui_waiting_{false};     // the UI wants the App back: the worker lets it go first
  std::atomic<bool> quit_{false};
  std::thread worker_;
  // Tally, in nanoseconds; ui_since_ is when the UI thread last took the App.
  std::atomic<long long> ui_held_ns_{0}, ui_waited_ns_{0}, worker_trained_ns_{0}, worker_waited_ns_{0};
  std::atomic<long long> ui_turns_{0}, slices_{0};
  double ui_since_ = 0;
};

// While it lives, the UI thread has let go of the App and the training thread runs (the UI draws or
// waits for the screen meanwhile and must not touch the App). Nothing when no thread trains.
class TrainingWindow {
 public:
  explicit TrainingWindow(App& app);
  ~TrainingWindow();
  TrainingWindow(const TrainingWindow&) = delete;
  TrainingWindow& operator=(const TrainingWindow&) = delete;

 private:
  TrainingThread* thread_;
};

// The opposite: while it lives, the UI thread holds the App (taking it back from the training
// thread if it had let go: the page between two frames); it lets go again at the end only if it
// took it here. Nothing when no thread trains.
class UiTurn {
 public:
  explicit UiTurn(App& app);
  ~UiTurn();
  UiTurn(const UiTurn&) = delete;
  UiTurn& operator=(const UiTurn&) = delete;

 private:
  TrainingThread* took_ = nullptr;  // the thread it took the App from, to give it back to
};

}  // namespace app
