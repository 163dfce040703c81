// The products on threads give the numbers of one thread, bit for bit (kernels/kernels.cpp: each
// thread computes a block of C's rows or columns as the whole product computes them).
//
// This file needs only the kernels, so it is compiled twice natively: into aelab_tests, with the
// engine at the build's ISA, and into aelab_kernel_threads_native with the kernels compiled for the
// building machine's CPU (-march=native, as the native-release preset), where Eigen's register
// blocks are other sizes (24 rows with AVX2, 48 with AVX-512, 12 with SSE). A block boundary that
// cut one of them summed some rows by another micro-kernel: a difference that only the AVX2 build
// showed.
#include "ae/kernels/kernels.h"
#include "ae/kernels/parallel.h"
#include "ae/rng.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using ae::Rng;
using ae::kernels::Trans;
namespace kernels = ae::kernels;

TEST_SUITE("kernel_threads") {
  TEST_CASE("products on 2, 3 and 4 threads give the numbers of one thread") {
    kernels::set_threads(3);
    if (kernels::threads() < 3) {
      MESSAGE("this build has no threads; nothing to compare");
      kernels::set_threads(1);
      return;
    }
    const Trans forms[3][2] = {{Trans::no, Trans::no}, {Trans::no, Trans::yes}, {Trans::yes, Trans::no}};
    const char* form_names[3] = {"NN", "NT", "TN"};
    Rng rng(5);
    // {m, n, k}: past the threshold for splitting, by rows (m ≥ n) and by columns, odd sizes, and
    // the products of a training step of M1 (784-256-64-256-784, batch 128).
    const std::vector<std::vector<int>> shapes = {{100, 333, 64},  {784, 67, 129},  {33, 1000, 40},  {250, 300, 200},
                                                  {1000, 500, 97}, {256, 128, 784}, {64, 128, 256},  {256, 128, 64},
                                                  {784, 128, 256}, {784, 256, 128}, {256, 64, 128},  {64, 256, 128},
                                                  {256, 784, 128}};
    for (const auto& shape : shapes)
      for (int f = 0; f < 3; ++f) {
        const int m = shape[0], n = shape[1], k = shape[2];
        const std::string form = form_names[f];
        CAPTURE(form);
        CAPTURE(m);
        CAPTURE(n);
        CAPTURE(k);
        const Trans ta = forms[f][0], tb = forms[f][1];
        std::vector<float> A(size_t(m) * k), B(size_t(k) * n);
        for (auto& v : A) v = float(rng.uniform(-1, 1));
        for (auto& v : B) v = float(rng.uniform(-1, 1));
        const int lda = ta == Trans::no ? m : k, ldb = tb == Trans::no ? k : n;
        std::vector<float> one(size_t(m) * n, 0.5f);
        kernels::set_threads(1);
        kernels::gemm(ta, tb, m, n, k, 0.7f, A.data(), lda, B.data(), ldb, 0.3f, one.data(), m);
        for (int threads = 2; threads <= 4; ++threads) {
          CAPTURE(threads);
          std::vector<float> many(size_t(m) * n, 0.5f);
          kernels::set_threads(threads);
          kernels::gemm(ta, tb, m, n, k, 0.7f, A.data(), lda, B.data(), ldb, 0.3f, many.data(), m);
          CHECK(many == one);
        }
      }
    kernels::set_threads(1);
  }

  // Eigen's GEMM behind the kernels packs into buffers that each thread keeps (kernels.cpp), where
  // Eigen's own product expression allocates them for every product: glibc gave blocks that large
  // back to the kernel, and every product faulted their pages in again. Once the buffers have grown,
  // a training step's products allocate nothing. Where the kernels are compiled with
  // EIGEN_RUNTIME_NO_MALLOC (aelab_kernel_threads_native) and assertions are on, an allocation
  // while it is forbidden stops the test at Eigen's assertion ("heap allocation is forbidden").
  TEST_CASE("products allocate nothing once each thread's packing buffers have grown") {
#if defined(EIGEN_RUNTIME_NO_MALLOC) && !defined(NDEBUG)
    const int shapes[][3] = {{256, 128, 784}, {784, 128, 256}, {64, 128, 256}, {256, 128, 64}};  // M1's, batch 128
    const Trans forms[3][2] = {{Trans::no, Trans::no}, {Trans::no, Trans::yes}, {Trans::yes, Trans::no}};
    std::vector<float> A(784 * 256, 0.25f), B(784 * 256, 0.5f), C(784 * 256);
    auto every_product = [&] {
      for (const auto& s : shapes)
        for (const auto& f : forms) {
          const int m = s[0], n = s[1], k = s[2];
          kernels::gemm(f[0], f[1], m, n, k, 1.0f, A.data(), f[0] == Trans::no ? m : k, B.data(),
                        f[1] == Trans::no ? k : n, 0.0f, C.data(), m);
        }
    };
    for (int threads : {1, 2}) {
      CAPTURE(threads);
      kernels::set_threads(threads);
      every_product();  // the buffers grow
      Eigen::internal::set_is_malloc_allowed(false);
      every_product();
      Eigen::internal::set_is_malloc_allowed(true);
      CHECK(C[0] == doctest::Approx(0.25 * 0.5 * 64));  // the last product: Aᵀ B, k = 64
    }
    kernels::set_threads(1);
#else
    MESSAGE("built without EIGEN_RUNTIME_NO_MALLOC or with NDEBUG: allocations are not watched here");
#endif
  }
}
