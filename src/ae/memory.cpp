// memory.cpp — the training memory estimate and the machine's limit (see memory.h).
#include "memory.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sys/resource.h>
#include <unistd.h>

namespace ae {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// a·b and a + b that stop at UINT64_MAX instead of wrapping.
uint64_t mul(uint64_t a, uint64_t b) { return a == 0 || b <= kMax / a ? a * b : kMax; }
uint64_t add(uint64_t a, uint64_t b) { return b <= kMax - a ? a + b : kMax; }

#if !defined(__EMSCRIPTEN__)
// The first number in a file such as /sys/fs/cgroup/memory.max ("max" or missing: 0).
uint64_t number_in_file(const char* path) {
  std::ifstream in(path);
  unsigned long long v = 0;
  return in >> v ? uint64_t(v) : 0;
}
#endif

}  // namespace

TrainingMemory training_memory(const std::vector<int>& sizes, int batch, int optimizer_slots, int scalar_bytes) {
  TrainingMemory out;
  if (sizes.empty()) return out;
  constexpr uint64_t kEvaluationChunk = 1024;
  const uint64_t m = uint64_t(std::max(batch, 1));
  uint64_t units = 0;  // Σ nₗ over the layers (not the input)
  for (size_t l = 1; l < sizes.size(); ++l) {
    const uint64_t n_in = uint64_t(std::max(sizes[l - 1], 0)), n_out = uint64_t(std::max(sizes[l], 0));
    out.parameters = add(out.parameters, add(mul(n_in, n_out), n_out));
    units = add(units, n_out);
  }
  const uint64_t n0 = uint64_t(std::max(sizes[0], 0));
  uint64_t elements = mul(out.parameters, uint64_t(3 + std::max(optimizer_slots, 0)));
  elements = add(elements, mul(3 * m, units));
  elements = add(elements, mul(3 * m, n0));
  elements = add(elements, mul(2 * kEvaluationChunk, add(units, n0)));
  out.bytes = mul(elements, uint64_t(std::max(scalar_bytes, 1)));
  return out;
}

uint64_t available_memory_bytes() {
  uint64_t limit = 0;
#if !defined(__EMSCRIPTEN__)
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) limit = mul(uint64_t(pages), uint64_t(page_size));
  for (const char* cgroup : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    const uint64_t c = number_in_file(cgroup);
    if (c > 0 && (limit == 0 || c < limit)) limit = c;
  }
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY && (limit == 0 || as.rlim_cur < limit)) limit = as.rlim_cur;
#endif
  return limit;
}

std::string memory_text(uint64_t bytes) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  double v = double(bytes);
  int u = 0;
  while (v >= 1000 && u < 6) {
    v /= 1000;
    ++u;
  }
  char text[32];
  if (u == 0) std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  else std::snprintf(text, sizeof text, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  return text;
}

void require_memory(const TrainingMemory& need, uint64_t data_bytes, uint64_t limit, const std::string& what,
                    const std::string& where, int batch) {
  const uint64_t total = add(need.bytes, data_bytes);
  if (limit == 0 || total <= limit) return;
  std::string parameters = std::to_string(need.parameters);
  for (int at = int(parameters.size()) - 3; at > 0; at -= 3) parameters.insert(size_t(at), ",");
  throw Error(what + " needs about " + memory_text(total) + " to train (" + parameters + " parameters, batch " +
              std::to_string(batch) + (data_bytes > 0 ? ", data " + memory_text(data_bytes) : std::string()) + ") but " +
              where + " has " + memory_text(limit) + ": use fewer or smaller layers or a smaller batch");
}

}  // namespace ae
