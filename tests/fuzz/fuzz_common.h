// fuzz_common.h — what every fuzz target shares: the one rule they all check.
//
// A reader of outside bytes may refuse its input only with ae::Error (a message naming the
// file and what is wrong). Any other exception escaping it is a defect: in the page and the CLI
// it would reach std::terminate or, worse, a catch-all that hides what was wrong. So each target
// catches ae::Error and lets everything else escape, which libFuzzer reports as a crash
// ("deadly signal" from std::terminate), next to ASan's and UBSan's findings.
#pragma once
#include "ae/core.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace fuzz {

inline std::string text_of(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// Aborts (a finding) when a property the reader promises does not hold.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz: property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace fuzz
