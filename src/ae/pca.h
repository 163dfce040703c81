// pca.h — principal component analysis, the linear baseline every autoencoder is compared with.
//
// A linear autoencoder with squared error and a k-unit code, trained to its optimum, spans the
// same subspace as the top-k principal components (Baldi & Hornik 1989), so PCA's reconstruction
// error is the floor a linear AE can reach and the bar a nonlinear one should beat.
//
//   μ = mean of the columns of X (n, N)
//   Σ = (X − μ)(X − μ)ᵀ / N                      (n, n) covariance
//   Σ = U Λ Uᵀ, keep the k eigenvectors with the largest eigenvalues: U_k (n, k)
//   code h = U_kᵀ (x − μ),  reconstruction x̂ = μ + U_k h
// Computed in double whatever the data's type. The decompositions (Eigen's eigen solver, QR and SVD)
// are compiled once, in decompositions.cpp: seen from this header they cost every file that
// includes the engine about 4 s of compile time.
#pragma once

#include "core.h"

#include <string>
#include <utility>

namespace ae {

struct Pca {
  Vector<double> mean;           // (n)
  Matrix<double> components;     // (n, k), orthonormal columns, by decreasing variance
  Vector<double> variances;      // (k) the eigenvalues λ₁ ≥ … ≥ λ_k
  double total_variance = 0;     // trace Σ

  int k() const { return int(components.cols()); }
};

// The top-k eigenvectors of the covariance Σ (n, n) of data with mean μ, by decreasing eigenvalue.
Pca pca_from_covariance(Vector<double> mean, const Matrix<double>& covariance, int k);

template <typename T>
Pca fit_pca(const Matrix<T>& X, int k, int chunk = 4096) {
  const Eigen::Index n = X.rows(), N = X.cols();
  if (N < 2) throw Error("PCA needs at least 2 samples");
  if (k < 1 || k > n) throw Error("PCA: k must be in 1.." + std::to_string(n) + ", got " + std::to_string(k));
  Vector<double> mean = X.template cast<double>().rowwise().mean();
  Matrix<double> cov = Matrix<double>::Zero(n, n);
  for (Eigen::Index start = 0; start < N; start += chunk) {  // chunks: never a full double copy of X
    const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
    const Matrix<double> centred = X.middleCols(start, count).template cast<double>().colwise() - mean;
    cov.template selfadjointView<Eigen::Lower>().rankUpdate(centred);
  }
  cov = cov.template selfadjointView<Eigen::Lower>();
  cov /= double(N);
  return pca_from_covariance(std::move(mean), cov, k);
}

// Codes h = U_kᵀ (x − μ), (k, N).
template <typename T>
Matrix<double> pca_encode(const Pca& pca, const Matrix<T>& X) {
  return pca.components.transpose() * (X.template cast<double>().colwise() - pca.mean);
}

// Mean over samples of Σᵢ (xᵢ − x̂ᵢ)², x̂ = μ + U_k U_kᵀ (x − μ).
template <typename T>
double pca_mean_squared_error(const Pca& pca, const Matrix<T>& X, int chunk = 4096) {
  const Eigen::Index N = X.cols();
  if (N == 0) return 0;
  if (X.rows() != pca.mean.size())
    throw Error("PCA was fitted on " + std::to_string(pca.mean.size()) + " features, the data has " + std::to_string(X.rows()));
  double total = 0;
  for (Eigen::Index start = 0; start < N; start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
    const Matrix<double> centred = X.middleCols(start, count).template cast<double>().colwise() - pca.mean;
    const Matrix<double> residual = centred - pca.components * (pca.components.transpose() * centred);
    total += residual.squaredNorm();
  }
  return total / double(N);
}

// Principal angles between the column spaces of A (n, p) and B (n, q): orthonormal bases Q_A, Q_B
// (Householder QR), then the singular values of Q_Aᵀ Q_B are cos θ₁ ≥ … ≥ cos θ_min(p,q).
// All cosines 1: the same subspace; a cosine 0: a direction of one orthogonal to the other.
// Used to compare a linear autoencoder's decoder W (n, k) with PCA's top-k components: they span
// the same subspace at the optimum even though W itself is not orthonormal (any invertible mix
// of the components reconstructs equally well).
Vector<double> principal_angle_cosines(const Matrix<double>& A, const Matrix<double>& B);

// The principal directions of data within the column space of A (n, k), from A and the data alone
// (how a linear decoder's principal directions are recovered):
//   A = U Σ Vᵀ                 U (n, k): an orthonormal basis of A's column space
//   Uᵀ C U = Q Λ Qᵀ            (k, k): C = X Xᵀ / N the covariance of the centred data X (n, N)
//   directions = U Q           (n, k), largest variance λ first
// If A's columns span the top-k principal subspace, these are the top-k principal directions (each
// up to its sign). A = the decoder W of a linear autoencoder: without weight decay W is any
// invertible mix of them, and this undoes the mix.
Matrix<double> principal_directions_in_span(const Matrix<double>& A, const Matrix<double>& centred_data);

// Compiled once, for float and double, in pca.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_PCA_INSTANCES(EXTERN, T) \
  EXTERN template Pca fit_pca<T>(const Matrix<T>&, int, int); \
  EXTERN template Matrix<double> pca_encode<T>(const Pca&, const Matrix<T>&); \
  EXTERN template double pca_mean_squared_error<T>(const Pca&, const Matrix<T>&, int);
AE_PCA_INSTANCES(extern, float)
AE_PCA_INSTANCES(extern, double)

}  // namespace ae
