// toy_data.h — small generated data sets that lie near a low-dimensional manifold.
//
// Each generator returns the points (d, N) and, per point, its intrinsic coordinate t (where on
// the manifold it was drawn), which the UI uses for colouring. Gaussian noise of standard
// deviation `noise` is added to every coordinate. Same seed, same points.
//
//   name        d  intrinsic dim  what                                      intrinsic / intrinsic2
//   circle      2  1              the unit circle                           angle / —
//   spiral      2  1              an Archimedean spiral, 1.5 turns          along the curve / —
//   two_moons   2  1              two interleaved half circles              t < ½ upper moon / —
//   swiss_roll  3  2              a rolled-up sheet, 1.5 turns              along the roll / height
//   s_curve     3  2              a sheet bent into an S                    along the S / height
//   helix       3  1              a coil of 3 turns around the z axis       along the coil / —
//   sphere      3  2              the surface of the unit sphere (uniform)  height (south→north) / longitude
//
// Every manifold is first drawn in the box [−1, 1]^d, then mapped by 0.5 + 0.4 (p + noise): the
// noiseless points lie in [0.1, 0.9]^d, well inside [0.05, 0.95]^d, so a sigmoid decoder can
// reach them. The noise σ is in the units of the [−1, 1] box (σ = 0.05 is 2.5% of its width).
#pragma once

#include "core.h"
#include "rng.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace ae {

// The order is part of the app's settings (a combo box index): append, never reorder.
enum class ToyManifold { circle, spiral, two_moons, swiss_roll, s_curve, helix, sphere };

constexpr ToyManifold kToyManifolds[] = {ToyManifold::circle,     ToyManifold::spiral,  ToyManifold::two_moons,
                                         ToyManifold::swiss_roll, ToyManifold::s_curve, ToyManifold::helix,
                                         ToyManifold::sphere};
constexpr int kToyManifoldCount = int(sizeof kToyManifolds / sizeof kToyManifolds[0]);

inline const char* toy_name(ToyManifold m) {
  switch (m) {
    case ToyManifold::circle: return "circle";
    case ToyManifold::spiral: return "spiral";
    case ToyManifold::two_moons: return "two_moons";
    case ToyManifold::swiss_roll: return "swiss_roll";
    case ToyManifold::s_curve: return "s_curve";
    case ToyManifold::helix: return "helix";
    case ToyManifold::sphere: return "sphere";
  }
  return "?";
}

// d, the dimension of the space the points live in: 2 or 3.
inline int toy_dimension(ToyManifold m) {
  switch (m) {
    case ToyManifold::circle:
    case ToyManifold::spiral:
    case ToyManifold::two_moons: return 2;
    case ToyManifold::swiss_roll:
    case ToyManifold::s_curve:
    case ToyManifold::helix:
    case ToyManifold::sphere: return 3;
  }
  return 2;
}

// The dimension of the manifold itself: 1 for curves, 2 for surfaces (the smallest code size
// that can unroll it).
inline int toy_intrinsic_dimension(ToyManifold m) {
  switch (m) {
    case ToyManifold::swiss_roll:
    case ToyManifold::s_curve:
    case ToyManifold::sphere: return 2;
    default: return 1;
  }
}

// "swiss_roll", "Swiss roll", "swiss-roll" and "swissroll" all name the same manifold: case,
// spaces, '-' and '_' are ignored.
inline ToyManifold toy_from_name(const std::string& name) {
  auto squash = [](const std::string& s) {
    std::string out;
    for (char c : s)
      if (c != '_' && c != '-' && c != ' ') out += char(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string wanted = squash(name);
  std::string valid;
  for (ToyManifold m : kToyManifolds) {
    if (!wanted.empty() && squash(toy_name(m)) == wanted) return m;
    valid += std::string(valid.empty() ? "" : ", ") + toy_name(m);
  }
  throw Error("unknown toy data set \"" + name + "\"; valid names: " + valid);
}

template <typename T>
struct ToyData {
  Matrix<T> points;      // (d, N)
  Vector<T> intrinsic;   // (N) the manifold coordinate, in [0, 1] (for surfaces: the main one)
  Vector<T> intrinsic2;  // (N) a surface's second coordinate, in [0, 1]; empty for curves
};

namespace toy_detail {
template <typename T>
ToyData<T> make_toy_3d(ToyManifold kind, int n, double noise, Rng& rng);  // below; use make_toy
}

// Any toy manifold, 2-D or 3-D (see the table at the top). Each point draws t (and, for a
// surface, a second coordinate), then d Gaussian noise values, from `rng`: the same seed gives the
// same points on every build.
template <typename T>
ToyData<T> make_toy(ToyManifold kind, int n, double noise, Rng& rng) {
  if (n <= 0 || n > 10'000'000) throw Error("toy data: the number of points must be in 1..10^7");
  if (!(noise >= 0.0) || noise > 10.0) throw Error("toy data: noise must be in [0, 10]");
  if (toy_dimension(kind) == 3) return toy_detail::make_toy_3d<T>(kind, n, noise, rng);
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
      default: break;  // 3-D kinds: make_toy_3d above
    }
    out.points(0, i) = T(0.5 + 0.4 * (px + rng.normal(0.0, noise)));
    out.points(1, i) = T(0.5 + 0.4 * (py + rng.normal(0.0, noise)));
    out.intrinsic(i) = T(t);
  }
  return out;
}

// 3-D toy manifolds. u, v ~ U[0, 1) are the intrinsic coordinates; p ∈ [−1, 1]³ the point.
namespace toy_detail {
template <typename T>
ToyData<T> make_toy_3d(ToyManifold kind, int n, double noise, Rng& rng) {
  const double pi = 3.141592653589793;
  const bool surface = toy_intrinsic_dimension(kind) == 2;
  ToyData<T> out;
  out.points.resize(3, n);
  out.intrinsic.resize(n);
  if (surface) out.intrinsic2.resize(n);
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    const double v = surface ? rng.uniform() : 0.0;
    double p[3] = {0, 0, 0};
    switch (kind) {
      case ToyManifold::swiss_roll: {  // θ ∈ [1.5π, 4.5π], radius ∝ θ: 1.5 turns rolled around y
        const double theta = 1.5 * pi * (1 + 2 * u);
        const double r = theta / (4.5 * pi);  // in [1/3, 1]; successive turns are 4/9 apart
        p[0] = r * std::cos(theta);
        p[1] = 2 * v - 1;
        p[2] = r * std::sin(theta);
        break;
      }
      case ToyManifold::s_curve: {  // θ ∈ [−1.5π, 1.5π]: two three-quarter circles of radius ½
        const double theta = 3 * pi * (u - 0.5);  // joined into an S, standing in the x–z plane
        p[0] = std::sin(theta) / 2;
        p[1] = 2 * v - 1;
        p[2] = (theta < 0 ? -1.0 : 1.0) * (std::cos(theta) - 1) / 2;
        break;
      }
      case ToyManifold::helix: {  // 3 turns of radius 1 rising from z = −1 to z = 1
        const double theta = 2 * pi * 3 * u;
        p[0] = std::cos(theta);
        p[1] = std::sin(theta);
        p[2] = 2 * u - 1;
        break;
      }
      case ToyManifold::sphere: {  // z uniform in [−1, 1] and longitude uniform: uniform on the
                                   // surface (Archimedes' hat-box theorem)
        const double z = 2 * u - 1;
        const double rho = std::sqrt(std::max(0.0, 1 - z * z));
        p[0] = rho * std::cos(2 * pi * v);
        p[1] = rho * std::sin(2 * pi * v);
        p[2] = z;
        break;
      }
      default: throw Error(std::string("toy data: ") + toy_name(kind) + " is not a 3-D manifold");
    }
    for (int k = 0; k < 3; ++k) out.points(k, i) = T(0.5 + 0.4 * (p[k] + rng.normal(0.0, noise)));
    out.intrinsic(i) = T(u);
    if (surface) out.intrinsic2(i) = T(v);
  }
  return out;
}
}  // namespace toy_detail

// Compiled once, for float and double, in toy_data.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_TOY_DATA_INSTANCES(EXTERN, T) \
  EXTERN template ToyData<T> make_toy<T>(ToyManifold, int, double, Rng&); \
  EXTERN template ToyData<T> toy_detail::make_toy_3d<T>(ToyManifold, int, double, Rng&);
AE_TOY_DATA_INSTANCES(extern, float)
AE_TOY_DATA_INSTANCES(extern, double)

}  // namespace ae
