// The seeded generator: same seed ⇒ same stream; uniform and normal have the right moments.
#include "ae/rng.h"

#include <doctest/doctest.h>

#include <cmath>

TEST_SUITE("rng") {
  TEST_CASE("the same seed gives the same stream, another seed another one") {
    ae::Rng a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
      const uint64_t va = a.next_u64();
      CHECK(va == b.next_u64());
      differs |= (va != c.next_u64());
    }
    CHECK(differs);
  }

  TEST_CASE("known first outputs (the stream must not change between builds or targets)") {
    // splitmix64(1) seeding then xoshiro256**, computed independently with a 10-line Python
    // transcription of the published reference algorithms. A change here changes every seeded
    // scene a lecturer has bookmarked, and would differ between native and WebAssembly.
    ae::Rng r(1);
    CHECK(r.next_u64() == 0xb3f2af6d0fc710c5ull);
    CHECK(r.next_u64() == 0x853b559647364ceaull);
    CHECK(r.next_u64() == 0x92f89756082a4514ull);
    ae::Rng r2(1);
    CHECK(r2.uniform() == double(0xb3f2af6d0fc710c5ull >> 11) * 0x1.0p-53);  // the top 53 bits
  }

  TEST_CASE("uniform and normal moments") {
    ae::Rng r(7);
    const int n = 200000;
    double su = 0, sn = 0, sn2 = 0;
    for (int i = 0; i < n; ++i) {
      const double u = r.uniform();
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      su += u;
      const double g = r.normal();
      sn += g;
      sn2 += g * g;
    }
    // Standard errors: uniform mean 0.29/√n ≈ 6.5e-4; normal mean 1/√n ≈ 2.2e-3; variance √(2/n) ≈ 3.2e-3.
    CHECK(std::abs(su / n - 0.5) < 4e-3);
    CHECK(std::abs(sn / n) < 1.2e-2);
    CHECK(std::abs(sn2 / n - 1.0) < 1.6e-2);
  }

  TEST_CASE("below(n) stays in range and hits every value") {
    ae::Rng r(3);
    int counts[7] = {};
    for (int i = 0; i < 7000; ++i) {
      const uint64_t v = r.below(7);
      REQUIRE(v < 7);
      ++counts[v];
    }
    for (int c : counts) CHECK(c > 800);  // expected 1000 each, σ ≈ 29
  }
}
