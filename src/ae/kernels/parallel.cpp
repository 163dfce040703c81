// parallel.cpp — the worker pool of parallel.h.
//
// A job is published by bumping `generation`; each worker runs its part (its index) when it sees a
// new generation and counts down `remaining`. Workers spin briefly before sleeping on a condition
// variable, since the jobs of a training step (a dozen products) follow each other within
// microseconds; the caller waits busily until the count reaches zero.
#include "parallel.h"

#include <algorithm>
#include <atomic>

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define AELAB_HAVE_THREADS 1
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace ae::kernels {

#if AELAB_HAVE_THREADS
namespace {

// One step of a busy wait: the CPU's pause hint (cheap, no system call), a yield after many.
inline void relax(int& spins) {
  if (++spins < 4000) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();  // the other thread is not running: give it the core
  }
}

class Pool {
 public:
  ~Pool() { resize(1); }

  int size() const { return int(workers_.size()) + 1; }

  void resize(int n) {
    n = std::clamp(n, 1, kMaxThreads);
    if (n == size()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_ = false;
    // Each worker starts from the generation of now: a job published before its thread first
    // runs is then still new to it (reading the generation in the thread would miss that job).
    const unsigned long long now = generation_.load();
    for (int i = 1; i < n; ++i) workers_.emplace_back([this, i, now] { work(i, now); });
  }

  void run(int parts, void (*fn)(int, void*), void* context) {
    parts = std::clamp(parts, 1, size());
    if (parts == 1) {
      fn(0, context);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      fn_ = fn;
      context_ = context;
      parts_ = parts;
      remaining_.store(parts - 1);
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    fn(0, context);
    for (int spins = 0; remaining_.load(std::memory_order_acquire) > 0;) relax(spins);
  }

 private:
  void work(int index, unsigned long long seen) {
    for (;;) {
      // Wait busily a while (the next product of the step comes within microseconds), then sleep.
      for (int spins = 0; spins < 20000 && generation_.load(std::memory_order_acquire) == seen;) relax(spins);
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
      seen = generation_.load();
      if (stop_) return;
      void (*fn)(int, void*) = fn_;
      void* context = context_;
      const bool mine = index < parts_;
      lock.unlock();
      if (mine) {
        fn(index, context);
        remaining_.fetch_sub(1, std::memory_order_release);
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<unsigned long long> generation_{0};
  std::atomic<int> remaining_{0};
  void (*fn_)(int, void*) = nullptr;
  void* context_ = nullptr;
  int parts_ = 1;
  bool stop_ = false;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

void set_threads(int n) { pool().resize(n); }
int threads() { return pool().size(); }
int hardware_threads() { return std::max(1, int(std::thread::hardware_concurrency())); }
void parallel_run(int parts, void (*fn)(int, void*), void* context) { pool().run(parts, fn, context); }

#else  // WebAssembly without pthreads: one thread

void set_threads(int) {}
int threads() { return 1; }
int hardware_threads() { return 1; }
void parallel_run(int parts, void (*fn)(int, void*), void* context) {
  for (int part = 0; part < parts; ++part) fn(part, context);
}

#endif

}  // namespace ae::kernels
