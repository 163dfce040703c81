// parallel.h — the engine's worker threads: a fixed pool that runs the parts of one job at a time,
// the calling thread taking part 0 and returning when every part is done. The products of a
// training step use it (kernels.cpp: gemm splits the columns of C), so a step is as deterministic
// with threads as without: each column of the result is computed by one thread, in the same order.
//
// Natively the pool is std::thread; in WebAssembly built without pthreads there are no threads and
// set_threads() keeps 1. The default is 1 thread (the caller only); `aelab train --threads N` and
// the benchmark ask for more. The page's pthreads build (app-mt.js) keeps 1 as well: a thread started
// from the browser's main thread runs only once that thread returns to the browser, so a job that
// waited for it there would never end (its one worker is the training thread's).
#pragma once

#include <type_traits>
#include <utility>

namespace ae::kernels {

constexpr int kMaxThreads = 64;

// Sets the number of threads the kernels may use (the caller included), clamped to
// [1, kMaxThreads] (1 where the build has no threads). Starts or stops workers; call it between
// steps, not from inside a parallel job.
void set_threads(int n);
int threads();
// The hardware's threads (std::thread::hardware_concurrency, 1 when unknown or without threads).
int hardware_threads();

// Runs fn(part, context) for part = 0 … parts − 1 (parts ≤ threads()), part 0 on the calling
// thread; returns when all parts have finished.
void parallel_run(int parts, void (*fn)(int part, void* context), void* context);

// The same with any callable: parallel_for(parts, [&](int part) { … }).
template <typename F>
void parallel_for(int parts, F&& f) {
  using Fn = std::remove_reference_t<F>;
  parallel_run(parts, [](int part, void* context) { (*static_cast<Fn*>(context))(part); }, const_cast<void*>(static_cast<const void*>(&f)));
}

}  // namespace ae::kernels
