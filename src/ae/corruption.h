// corruption.h — the corruption process C(x̃ | x) of a denoising autoencoder.
//
// A denoising AE sees a corrupted copy x̃ of each input and is trained to reconstruct the CLEAN x:
//   x̃ ~ C(x̃ | x),   h = f(x̃),   y = g(h),   loss L(x, y)      (never L(x̃, y))
// so it cannot learn the identity: it has to learn where the data lie and pull x̃ back there.
//
//   kind             level   what happens to each entry xᵢ of x (independently)
//   masking          ν       with probability ν: x̃ᵢ = 0            ("dropout on the input")
//   gaussian         σ       x̃ᵢ = xᵢ + σ εᵢ,  εᵢ ~ N(0, 1)
//   salt_and_pepper  ν       with probability ν: x̃ᵢ = min or max, each with probability ½
//
// The noise is drawn fresh for every minibatch from the caller's seeded ae::Rng, so the same seed
// gives the same corruptions on every build (rng.h explains why not <random>).
// x and x̃ are (n, B): columns are samples.
#pragma once

#include "core.h"
#include "rng.h"

#include <string>

namespace ae {

// The order is part of the app's settings: append, never reorder.
enum class CorruptionKind { none, masking, gaussian, salt_and_pepper };

struct CorruptionConfig {
  CorruptionKind kind = CorruptionKind::none;
  double level = 0.0;      // ν (masking, salt-and-pepper: a probability in [0, 1]) or σ (gaussian)
  double min_value = 0.0;  // salt-and-pepper: "pepper" (for pixel data in [0, 1]: black)
  double max_value = 1.0;  // salt-and-pepper: "salt"   (white)

  bool active() const { return kind != CorruptionKind::none && level > 0.0; }
};

inline const char* corruption_name(CorruptionKind k) {
  switch (k) {
    case CorruptionKind::none: return "none";
    case CorruptionKind::masking: return "masking";
    case CorruptionKind::gaussian: return "gaussian";
    case CorruptionKind::salt_and_pepper: return "salt_and_pepper";
  }
  return "?";
}

inline CorruptionKind corruption_from_name(const std::string& name) {
  if (name == "none") return CorruptionKind::none;
  if (name == "masking" || name == "mask" || name == "dropout") return CorruptionKind::masking;
  if (name == "gaussian" || name == "normal") return CorruptionKind::gaussian;
  if (name == "salt_and_pepper" || name == "salt-and-pepper" || name == "sp") return CorruptionKind::salt_and_pepper;
  throw Error("unknown corruption '" + name + "' (expected none, masking, gaussian or salt_and_pepper)");
}

inline void validate(const CorruptionConfig& c) {
  if (c.kind == CorruptionKind::gaussian) {
    if (!(c.level >= 0.0 && c.level <= 100.0)) throw Error("Gaussian corruption: σ must be in [0, 100]");
  } else if (c.kind != CorruptionKind::none) {
    if (!(c.level >= 0.0 && c.level <= 1.0))
      throw Error(std::string(corruption_name(c.kind)) + " corruption: the level ν is a fraction, in [0, 1]");
  }
}

// x̃ = a draw from C(x̃ | x). x is (n, B); x_tilde gets the same shape. Entries are visited in
// memory order (sample by sample), one or two Rng draws each, so a seed fixes the corruption.
template <typename T>
void corrupt(const CorruptionConfig& c, const Matrix<T>& x, Matrix<T>& x_tilde, Rng& rng) {
  x_tilde = x;
  if (!c.active()) return;
  T* out = x_tilde.data();
  const Eigen::Index size = x_tilde.size();
  switch (c.kind) {
    case CorruptionKind::none: break;
    case CorruptionKind::masking:
      for (Eigen::Index i = 0; i < size; ++i)
        if (rng.uniform() < c.level) out[i] = T(0);  // x̃ᵢ = 0 with probability ν
      break;
    case CorruptionKind::gaussian:
      for (Eigen::Index i = 0; i < size; ++i) out[i] += T(c.level * rng.normal());  // x̃ᵢ = xᵢ + σ ε
      break;
    case CorruptionKind::salt_and_pepper:
      for (Eigen::Index i = 0; i < size; ++i)
        if (rng.uniform() < c.level) out[i] = T(rng.uniform() < 0.5 ? c.min_value : c.max_value);
      break;
  }
}

// Compiled once, for float and double, in autoencoder.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_CORRUPTION_INSTANCES(EXTERN, T) \
  EXTERN template void corrupt<T>(const CorruptionConfig&, const Matrix<T>&, Matrix<T>&, Rng&);
AE_CORRUPTION_INSTANCES(extern, float)
AE_CORRUPTION_INSTANCES(extern, double)

}  // namespace ae
