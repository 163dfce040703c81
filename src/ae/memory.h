// memory.h — how much memory training a network needs, computed from its shape BEFORE anything is
// allocated, so that a network, batch or data set too big for the machine is refused with a message
// naming what to shrink, instead of an out-of-memory abort (or, on Linux, the kernel's OOM killer:
// with overcommit a huge allocation "succeeds" and the process dies when it first touches it).
//
// The estimate counts what the trainer keeps (trainer.h, autoencoder.h, optimizer.h), in elements
// of the scalar type, for a chain of dense layers n₀ → n₁ → … → n_L trained on minibatches of M:
//   parameters   P = Σₗ (nₗ₋₁·nₗ + nₗ)                W and b of every layer
//   weights      P, gradients P, last good weights P   (kept to restore after NaN/Inf)
//   optimizer    P per state slot: SGD 0, momentum 1, Adam 2
//   activations  per layer z, a and δ: 3·M·nₗ; the batch, its corrupted copy and the loss's
//                scratch: 3·M·n₀
//   evaluation   the same activations for a chunk of 1,024 samples (2·chunk·nₗ, no δ)
//   data         N·n₀ for the training set as the engine holds it (the caller adds it when the
//                data is not loaded yet)
// It is an upper-bound estimate of the engine's own arrays (Eigen's temporaries come and go within
// these sizes), not of the allocator's overhead: limits leave a margin for that.
#pragma once

#include "core.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ae {

struct TrainingMemory {
  uint64_t parameters = 0;   // P
  uint64_t bytes = 0;        // the estimate in bytes (saturates at UINT64_MAX, never wraps)
};

// `sizes` = {n₀, n₁, …, n_L} (the input first); `optimizer_slots` 0 (SGD), 1 (momentum), 2 (Adam).
TrainingMemory training_memory(const std::vector<int>& sizes, int batch, int optimizer_slots, int scalar_bytes);

// The memory this process may use: the physical memory, or less when a cgroup (a container) or
// `ulimit -v` caps it. 0 when it cannot be found out (then nothing is refused).
uint64_t available_memory_bytes();

// "1.5 GB", "640 MB", "12 KB" (powers of 1,000, as `free -h --si` and the browser show).
std::string memory_text(uint64_t bytes);

// Throws ae::Error when `need` (plus the data, `data_bytes`) exceeds `limit` (0: no limit):
//   "<what> needs about 41 GB to train (1,234,567 parameters, batch 128) but <where> has 23 GB:
//    use fewer or smaller layers or a smaller batch"
void require_memory(const TrainingMemory& need, uint64_t data_bytes, uint64_t limit, const std::string& what,
                    const std::string& where, int batch);

}  // namespace ae
