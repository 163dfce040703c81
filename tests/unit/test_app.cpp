// The app's own arithmetic that needs no window: how much of each frame training gets when it
// shares the UI thread (the page).
#include "app/training_thread.h"

#include <doctest/doctest.h>

#include <cmath>

using app::next_train_budget_ms;

namespace {
// Frames of a machine whose UI takes `outside_ms` a frame, paced by a 60 Hz screen when it can keep
// up: the slice each frame settles at after `frames` frames.
double settled_budget(double outside_ms, bool vsync, int frames = 300) {
  double budget = 8.0, slice = 0.0;
  for (int i = 0; i < frames; ++i) {
    double frame = outside_ms + slice;
    if (vsync) frame = 1000.0 / 60.0 * std::ceil(frame / (1000.0 / 60.0));
    budget = next_train_budget_ms(budget, frame, slice);
    slice = budget;  // the slice lasts its budget (steps far shorter than it)
  }
  return budget;
}
}  // namespace

TEST_SUITE("app") {
  TEST_CASE("a fast machine trains in what is left of a 60 Hz frame and keeps 60 frames a second") {
    const double budget = settled_budget(3.0, true);
    CAPTURE(budget);
    CHECK(budget >= 2.0);
    CHECK(3.0 + budget <= 1000.0 / 60.0);
  }
  TEST_CASE("a device too slow for 60 frames a second still trains a third of the time") {
    // A device whose UI takes 32 ms a frame without training (software rendering, a phone).
    const double budget = settled_budget(32.0, false);
    CAPTURE(budget);
    CHECK(budget == doctest::Approx(16.0));
    CHECK(budget / (32.0 + budget) == doctest::Approx(1.0 / 3.0));
    // A slower one: the slice stops at 16 ms (the frame rate does not fall without bound).
    CHECK(settled_budget(80.0, false) == doctest::Approx(16.0));
  }
  TEST_CASE("frames slower than 1/55 s shrink the slice toward the floor, faster than 1/62 s grow it") {
    CHECK(next_train_budget_ms(10.0, 20.0, 10.0) == doctest::Approx(8.5));   // 10 ms drawing: floor 5
    CHECK(next_train_budget_ms(10.0, 14.0, 10.0) == doctest::Approx(10.25));
    CHECK(next_train_budget_ms(10.0, 17.0, 10.0) == doctest::Approx(10.0));  // between: kept
    CHECK(next_train_budget_ms(2.0, 40.0, 2.0) == doctest::Approx(16.0));    // 38 ms drawing: floor 16
    CHECK(next_train_budget_ms(16.0, 10.0, 8.0) == doctest::Approx(16.0));   // never above 16 ms
    CHECK(next_train_budget_ms(2.0, 3.0, 0.0) == doctest::Approx(2.25));     // nor below 2 ms
  }
}
