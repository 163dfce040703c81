// toy_data.h — small generated data sets that lie near a low-dimensional manifold.
//
// Each generator returns the points (d, N) and, per point, its intrinsic coordinate t (where on
// the manifold it was drawn), which the UI uses for colouring. Gaussian noise of standard
// deviation `noise` is added to every coordinate. Same seed, same points.
#pragma once

#include "core.h"
#include "rng.h"

#include <cmath>
#include <string>

namespace ae {

enum class ToyManifold { circle, spiral, two_moons };

inline const char* toy_name(ToyManifold m) {
  switch (m) {
    case ToyManifold::circle: return "circle";
    case ToyManifold::spiral: return "spiral";
    case ToyManifold::two_moons: return "two_moons";
  }
  return "?";
}

template <typename T>
struct ToyData {
  Matrix<T> points;     // (d, N)
  Vector<T> intrinsic;  // (N) the manifold coordinate, in [0, 1]
};

// 2-D toy manifolds, scaled to fit in [0.05, 0.95]² so sigmoid outputs can reach them.
template <typename T>
ToyData<T> make_toy(ToyManifold kind, int n, double noise, Rng& rng) {
  if (n <= 0 || n > 10'000'000) throw Error("toy data: the number of points must be in 1..10^7");
  if (!(noise >= 0.0) || noise > 10.0) throw Error("toy data: noise must be in [0, 10]");
  const double pi = 3.141592653589793;
  ToyData<T> out;
  out.points.resize(2, n);
  out.intrinsic.resize(n);
  for (int i = 0; i < n; ++i) {
    const double t = rng.uniform();
    double px = 0, py = 0;
    switch (kind) {
      case ToyManifold::circle:  // the unit circle, one intrinsic dimension: the angle
        px = std::cos(2 * pi * t);
        py = std::sin(2 * pi * t);
        break;
      case ToyManifold::spiral: {  // an Archimedean spiral, 1.5 turns
        const double angle = 3 * pi * t + 0.5;
        const double r = 0.15 + 0.85 * t;
        px = r * std::cos(angle);
        py = r * std::sin(angle);
        break;
      }
      case ToyManifold::two_moons: {  // two interleaved half circles; t < ½ upper, t ≥ ½ lower
        const double u = t < 0.5 ? 2 * t : 2 * t - 1;
        if (t < 0.5) {
          px = std::cos(pi * u) - 0.5;
          py = std::sin(pi * u) - 0.25;
        } else {
          px = 0.5 - std::cos(pi * u);
          py = 0.25 - std::sin(pi * u);
        }
        px /= 1.5;
        py /= 1.5;
        break;
      }
    }
    out.points(0, i) = T(0.5 + 0.4 * (px + rng.normal(0.0, noise)));
    out.points(1, i) = T(0.5 + 0.4 * (py + rng.normal(0.0, noise)));
    out.intrinsic(i) = T(t);
  }
  return out;
}

}  // namespace ae
