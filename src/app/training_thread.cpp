// training_thread.cpp — the worker that trains while the UI draws (see training_thread.h).
#include "training_thread.h"

#include "app.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>

namespace app {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

namespace {
long long nanoseconds(double seconds) { return static_cast<long long>(seconds * 1e9); }
}  // namespace

TrainingThread::TrainingThread(App& app, Slice slice, Slice alone, CopyTraining copy)
    : app_(app), slice_(std::move(slice)), alone_(std::move(alone)), copy_(std::move(copy)), ui_hold_(app_mutex_),
      ui_since_(now_seconds()) {
  if (!slice_) slice_ = [this](double budget_ms) { return app_train_slice(app_, budget_ms); };
  app_.training_thread = this;
  worker_ = std::thread([this] { run(); });
}

TrainingThread::~TrainingThread() {
  quit_ = true;
  if (ui_hold_.owns_lock()) ui_hold_.unlock();  // the worker may be waiting for the App: let it see quit_
  worker_.join();
  ui_hold_.lock();
  app_.training_thread = nullptr;
}

void TrainingThread::run() {
  bool copy_trains = false;     // the last sync said the scene's copy trains
  std::string copy_failure;     // what an exception out of the copy's steps said
  long long synced_turns = -1;  // the UI's turns at that sync
  // Holding the App: the copy's sync (an exception stops the scene, as in a slice).
  auto sync_copy = [&] {
    synced_turns = ui_turns_.load();
    try {
      copy_trains = copy_.sync && copy_.sync(app_);
    } catch (const std::exception& e) {
      copy_trains = false;
      app_stop_training(app_, failure_text(e));
    }
  };
  while (!quit_) {
    // A slice that needs nothing of the App: no hand-off, nothing to wait for.
    if (alone_) {
      const double t0 = now_seconds();
      bool trained_alone = false;
      try {
        trained_alone = alone_(kSliceMs);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "AE Lab: the training thread's own slice failed: %s\n", e.what());
      }
      if (trained_alone) {
        worker_trained_ns_ += nanoseconds(now_seconds() - t0);
        ++slices_;
        continue;
      }
    }
    // The scene's own copy: synced once the UI has had a turn since the last sync (it has drawn
    // what the App got then) and only when the App is free, else trained on.
    if (copy_trains) {
      if (ui_turns_.load() != synced_turns && !ui_waiting_ && app_mutex_.try_lock()) {
        std::lock_guard<std::mutex> hold(app_mutex_, std::adopt_lock);
        if (quit_) break;
        sync_copy();
      }
      if (copy_trains) {
        const double t0 = now_seconds();
        bool stepped = false;
        try {
          stepped = copy_.train(kSliceMs);
        } catch (const std::exception& e) {
          copy_failure = failure_text(e);
        }
        if (stepped) {
          worker_trained_ns_ += nanoseconds(now_seconds() - t0);
          ++slices_;
          continue;
        }
        // No step: one failed (NaN/Inf) or threw. The sync below, waiting for the App, stops the
        // scene and shows why.
      }
    }
    const double t_want = now_seconds();
    // The UI asked for the App back: it goes first (a mutex alone is not fair to it).
    while (ui_waiting_ && !quit_) std::this_thread::yield();
    bool trained = false;
    {
      std::lock_guard<std::mutex> hold(app_mutex_);
      if (quit_) break;
      if (!copy_failure.empty()) app_stop_training(app_, copy_failure);
      copy_failure.clear();
      sync_copy();
      if (copy_trains) continue;  // trained above from the next turn on, without the App
      const double t_got = now_seconds();
      try {
        trained = slice_(kSliceMs);
      } catch (const std::exception& e) {
        // As a slice on the UI thread would end: the scene stops and says why; nothing escapes.
        app_stop_training(app_, failure_text(e));
      }
      if (trained) {  // the wait counts only before a slice that trained (not while paused)
        worker_waited_ns_ += nanoseconds(t_got - t_want);
        worker_trained_ns_ += nanoseconds(now_seconds() - t_got);
        ++slices_;
      }
    }
    // Nothing to train (paused, no data yet): look again in 10 ms (a Start waits at most that)
    // without waking hundreds of times a second.
    if (!trained) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void TrainingThread::ui_let_go() {
  ui_held_ns_ += nanoseconds(now_seconds() - ui_since_);
  ui_hold_.unlock();
}

void TrainingThread::ui_take_back() {
  const double t_want = now_seconds();
  ui_waiting_ = true;
  ui_hold_.lock();
  ui_waiting_ = false;
  ui_since_ = now_seconds();
  ui_waited_ns_ += nanoseconds(ui_since_ - t_want);
  ++ui_turns_;
}

TrainingThread::Tally TrainingThread::tally() const {
  Tally t;
  t.ui_held_s = double(ui_held_ns_.load()) * 1e-9;
  t.ui_waited_s = double(ui_waited_ns_.load()) * 1e-9;
  t.worker_trained_s = double(worker_trained_ns_.load()) * 1e-9;
  t.worker_waited_s = double(worker_waited_ns_.load()) * 1e-9;
  t.ui_turns = ui_turns_.load();
  t.slices = slices_.load();
  return t;
}

TrainingWindow::TrainingWindow(App& app) : thread_(app.training_thread) {
  if (thread_) thread_->ui_let_go();
}

TrainingWindow::~TrainingWindow() {
  if (thread_) thread_->ui_take_back();
}

UiTurn::UiTurn(App& app) {
  if (app.training_thread && !app.training_thread->ui_holds()) {
    took_ = app.training_thread;
    took_->ui_take_back();
  }
}

UiTurn::~UiTurn() {
  if (took_) took_->ui_let_go();
}

}  // namespace app
