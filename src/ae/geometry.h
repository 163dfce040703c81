// geometry.h — why manifolds: how distances behave in high dimensions, and whether a point's
// nearest neighbour shares its label in a given representation (pixels, PCA codes, an
// autoencoder's codes).
//
// The curse of dimensionality, measured: for N points drawn uniformly from the unit cube [0, 1]^d
// and a query point drawn the same way, the ratio
//     ρ(d) = min_i ‖q − pᵢ‖ / max_i ‖q − pᵢ‖
// goes to 1 as d grows (Beyer et al. 1999, "When is nearest neighbor meaningful?"): in high
// dimensions the nearest and the farthest point are almost equally far, so a plain distance says
// little. Real images are not uniform in [0, 1]^784: they lie near a low-dimensional manifold,
// where neighbours in a good representation share their meaning (the label).
#pragma once

#include "core.h"
#include "rng.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace ae {

// ρ(d), the mean over `queries` query points of nearest over farthest distance to `points` points,
// all uniform in [0, 1]^d (a fresh set of points for each query).
inline double nearest_over_farthest(int dimension, int points, int queries, Rng& rng) {
  if (dimension < 1 || points < 2 || queries < 1) throw Error("nearest_over_farthest: needs d ≥ 1, N ≥ 2, a query");
  std::vector<double> q(size_t(dimension), 0.0);
  double total = 0;
  for (int k = 0; k < queries; ++k) {
    for (double& v : q) v = rng.uniform();
    double nearest = std::numeric_limits<double>::infinity(), farthest = 0;
    for (int i = 0; i < points; ++i) {
      double d2 = 0;
      for (int j = 0; j < dimension; ++j) {
        const double diff = rng.uniform() - q[size_t(j)];
        d2 += diff * diff;
      }
      nearest = std::min(nearest, d2);
      farthest = std::max(farthest, d2);
    }
    total += farthest > 0 ? std::sqrt(nearest / farthest) : 1.0;
  }
  return total / double(queries);
}

// Squared Euclidean distances between the columns of A (d, m) and of B (d, n): D (m, n) with
//   Dᵢⱼ = ‖aᵢ − bⱼ‖² = ‖aᵢ‖² + ‖bⱼ‖² − 2 aᵢᵀ bⱼ     (one matrix product; clamped at 0 against rounding)
template <typename T>
Matrix<T> squared_distances(const Matrix<T>& A, const Matrix<T>& B) {
  if (A.rows() != B.rows()) throw Error("squared_distances: the two sets have different dimensions");
  const Vector<T> a2 = A.colwise().squaredNorm().transpose();  // (m)
  const Vector<T> b2 = B.colwise().squaredNorm().transpose();  // (n)
  Matrix<T> D = T(-2) * (A.transpose() * B);
  D.colwise() += a2;
  D.rowwise() += b2.transpose();
  return D.cwiseMax(T(0));
}

// For each query column, the label of its nearest reference column (1-nearest neighbour); returns
// the fraction of queries whose neighbour has the query's own label. Queries are taken in chunks
// so the distance matrix stays small.
template <typename T>
double nearest_neighbour_agreement(const Matrix<T>& reference, const std::vector<int>& reference_labels,
                                   const Matrix<T>& queries, const std::vector<int>& query_labels, int chunk = 256) {
  if (reference.cols() == 0 || queries.cols() == 0) throw Error("nearest_neighbour_agreement: an empty set");
  if (Eigen::Index(reference_labels.size()) != reference.cols() || Eigen::Index(query_labels.size()) != queries.cols())
    throw Error("nearest_neighbour_agreement: one label per column is needed");
  long long agree = 0;
  for (Eigen::Index start = 0; start < queries.cols(); start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, queries.cols() - start);
    const Matrix<T> D = squared_distances<T>(Matrix<T>(queries.middleCols(start, count)), reference);  // (count, N)
    for (Eigen::Index i = 0; i < count; ++i) {
      Eigen::Index nearest = 0;
      D.row(i).minCoeff(&nearest);
      agree += reference_labels[size_t(nearest)] == query_labels[size_t(start + i)];
    }
  }
  return double(agree) / double(queries.cols());
}

// Compiled once, for float and double, in geometry.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_GEOMETRY_INSTANCES(EXTERN, T) \
  EXTERN template Matrix<T> squared_distances<T>(const Matrix<T>&, const Matrix<T>&); \
  EXTERN template double nearest_neighbour_agreement<T>(const Matrix<T>&, const std::vector<int>&, \
      const Matrix<T>&, const std::vector<int>&, int);
AE_GEOMETRY_INSTANCES(extern, float)
AE_GEOMETRY_INSTANCES(extern, double)

}  // namespace ae
