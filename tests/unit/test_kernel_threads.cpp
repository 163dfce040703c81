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
}
