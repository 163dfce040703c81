// Why manifolds and the likelihood view of the loss: distance concentration, nearest-neighbour
// label agreement, and the Gaussian decoder's −log-likelihood.
#include "ae/ae.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace ae;

TEST_SUITE("geometry") {
  TEST_CASE("nearest over farthest distance of uniform points rises toward 1 with the dimension") {
    Rng rng(3);
    const double r1 = nearest_over_farthest(1, 200, 20, rng);
    const double r2 = nearest_over_farthest(2, 200, 20, rng);
    const double r10 = nearest_over_farthest(10, 200, 20, rng);
    const double r100 = nearest_over_farthest(100, 200, 20, rng);
    const double r784 = nearest_over_farthest(784, 200, 20, rng);
    CAPTURE(r1);
    CAPTURE(r2);
    CAPTURE(r10);
    CAPTURE(r100);
    CAPTURE(r784);
    CHECK(r1 < 0.05);  // on a line the nearest of 200 points is very close, the farthest far
    CHECK(r1 < r2);
    CHECK(r2 < r10);
    CHECK(r10 < r100);
    CHECK(r100 < r784);
    CHECK(r784 > 0.75);  // in 784 dimensions the nearest is almost as far as the farthest
    CHECK(r784 < 1.0);
    CHECK_THROWS_AS(nearest_over_farthest(0, 10, 1, rng), Error);
  }

  TEST_CASE("squared distances by one matrix product equal the direct ones") {
    Rng rng(5);
    Matrix<double> A(7, 5), B(7, 9);
    for (Eigen::Index i = 0; i < A.size(); ++i) A.data()[i] = rng.normal();
    for (Eigen::Index i = 0; i < B.size(); ++i) B.data()[i] = rng.normal();
    const Matrix<double> D = squared_distances<double>(A, B);
    REQUIRE(D.rows() == 5);
    REQUIRE(D.cols() == 9);
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < 9; ++j) CHECK(D(i, j) == doctest::Approx((A.col(i) - B.col(j)).squaredNorm()).epsilon(1e-12));
    CHECK(squared_distances<double>(A, A).diagonal().cwiseAbs().maxCoeff() < 1e-12);
  }

  TEST_CASE("nearest-neighbour agreement: separated classes agree, a shuffled labelling does not") {
    // Two clusters around (−5, 0) and (5, 0); the queries are fresh points of the same clusters.
    Rng rng(7);
    const int n = 100;
    Matrix<float> ref(2, n), query(2, n);
    std::vector<int> ref_labels(n), query_labels(n), alternating(n);
    for (int i = 0; i < n; ++i) {
      const int label = i % 2;
      ref_labels[size_t(i)] = query_labels[size_t(i)] = label;
      alternating[size_t(i)] = (i / 2) % 2;  // unrelated to the cluster
      ref(0, i) = float((label ? 5 : -5) + rng.normal());
      ref(1, i) = float(rng.normal());
      query(0, i) = float((label ? 5 : -5) + rng.normal());
      query(1, i) = float(rng.normal());
    }
    CHECK(nearest_neighbour_agreement<float>(ref, ref_labels, query, query_labels, 7) == 1.0);
    const double unrelated = nearest_neighbour_agreement<float>(ref, alternating, query, query_labels, 7);
    CHECK(unrelated > 0.2);
    CHECK(unrelated < 0.8);
    CHECK_THROWS_AS(nearest_neighbour_agreement<float>(ref, std::vector<int>(3), query, query_labels), Error);
  }
}

TEST_SUITE("engine") {
  TEST_CASE("the Gaussian loss is −log N(t; y, s²I) in nats, and its minimum over s is at s² = mean squared error") {
    Matrix<double> t(3, 2), y(3, 2);
    t << 0.1, 0.9, 0.5, 0.0, 1.0, 0.3;
    y << 0.2, 0.7, 0.5, 0.1, 0.8, 0.35;
    LossConfig loss;
    loss.kind = LossKind::gaussian;
    loss.units = Reduction::sum;
    loss.batch = Reduction::sum;
    const double pi = 3.14159265358979323846;
    for (double s : {0.05, 0.3, 2.0}) {
      loss.sigma = s;
      double expected = 0;  // −Σ log of the normal density, term by term
      for (Eigen::Index i = 0; i < t.size(); ++i) {
        const double d = t.data()[i] - y.data()[i];
        expected -= std::log(std::exp(-d * d / (2 * s * s)) / std::sqrt(2 * pi * s * s));
      }
      CHECK(loss_value(loss, Activation::linear, y, y, t) == doctest::Approx(expected).epsilon(1e-12));
    }
    // d/ds of the total vanishes at s² = Σ(t − y)²/n: that s gives the lowest value.
    const double best = std::sqrt((t - y).squaredNorm() / double(t.size()));
    loss.sigma = best;
    const double at_best = loss_value(loss, Activation::linear, y, y, t);
    for (double f : {0.8, 0.95, 1.05, 1.25}) {
      loss.sigma = best * f;
      CHECK(loss_value(loss, Activation::linear, y, y, t) > at_best);
    }
    CHECK_THROWS_AS(check_decoder_sigma(0.0), Error);
    CHECK_THROWS_AS(check_decoder_sigma(std::nan("")), Error);
    CHECK_THROWS_AS(loss_from_name("gausian"), Error);
    CHECK(loss_from_name("gaussian") == LossKind::gaussian);
  }
}
