// rng.h — a small deterministic random number generator.
//
// Why not <random>? std::normal_distribution and friends are implementation-defined: libstdc++
// (native) and libc++ (Emscripten) give different numbers for the same seed. Our own generator
// (xoshiro256** seeded through splitmix64) and our own uniform/normal transforms make a seed mean
// the same thing on every build, so a lecturer's "seed 42" link shows the same scene.
#pragma once

#include <cmath>
#include <cstdint>

namespace ae {

struct Rng {
  uint64_t s[4];

  explicit Rng(uint64_t seed = 1) { reseed(seed); }

  void reseed(uint64_t seed) {
    // splitmix64 expands one 64-bit seed into the 256-bit xoshiro state.
    uint64_t x = seed;
    for (uint64_t& word : s) {
      x += 0x9E3779B97F4A7C15ull;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = z ^ (z >> 31);
    }
  }

  static uint64_t rotl(uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }

  uint64_t next_u64() {  // xoshiro256**
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next_u64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n) without modulo bias (Lemire's method, rejection on the low part).
  uint64_t below(uint64_t n) {
    if (n == 0) return 0;
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const uint64_t r = next_u64();
      if (r >= threshold) return r % n;
    }
  }

  // Standard normal by the Box–Muller transform (one value per call; the pair's twin is cached).
  double normal() {
    if (has_spare) {
      has_spare = false;
      return spare;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 6.283185307179586 * u2;
    spare = radius * std::sin(angle);
    has_spare = true;
    return radius * std::cos(angle);
  }
  double normal(double mean, double stddev) { return mean + stddev * normal(); }

 private:
  double spare = 0.0;
  bool has_spare = false;
};

}  // namespace ae
