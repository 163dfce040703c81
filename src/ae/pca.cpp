// pca.cpp — the decompositions behind pca.h, compiled once (see pca.h), and pca.h's templates for
// float and double (explicit instantiation; the list is in pca.h).
#include "pca.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>

namespace ae {

Pca pca_from_covariance(Vector<double> mean, const Matrix<double>& covariance, int k) {
  const Eigen::Index n = covariance.rows();
  Eigen::SelfAdjointEigenSolver<Matrix<double>> solver(covariance);
  if (solver.info() != Eigen::Success) throw Error("PCA: the eigen decomposition did not converge");
  // Eigen sorts eigenvalues in increasing order: take the last k, reversed.
  Pca pca;
  pca.mean = std::move(mean);
  pca.components.resize(n, k);
  pca.variances.resize(k);
  for (int j = 0; j < k; ++j) {
    pca.components.col(j) = solver.eigenvectors().col(n - 1 - j);
    pca.variances(j) = std::max(0.0, solver.eigenvalues()(n - 1 - j));
  }
  pca.total_variance = covariance.trace();
  return pca;
}

Vector<double> principal_angle_cosines(const Matrix<double>& A, const Matrix<double>& B) {
  if (A.rows() != B.rows()) throw Error("principal angles: the two bases live in spaces of different dimension");
  const Eigen::Index p = std::min(A.cols(), A.rows()), q = std::min(B.cols(), B.rows());
  const Matrix<double> QA = Eigen::HouseholderQR<Matrix<double>>(A).householderQ() * Matrix<double>::Identity(A.rows(), p);
  const Matrix<double> QB = Eigen::HouseholderQR<Matrix<double>>(B).householderQ() * Matrix<double>::Identity(B.rows(), q);
  Vector<double> cosines = Eigen::JacobiSVD<Matrix<double>>(QA.transpose() * QB).singularValues();
  return cosines.cwiseMin(1.0);
}

Matrix<double> principal_directions_in_span(const Matrix<double>& A, const Matrix<double>& centred_data) {
  if (A.rows() != centred_data.rows()) throw Error("principal directions: A and the data live in spaces of different dimension");
  if (centred_data.cols() < 1) throw Error("principal directions: no data");
  const Eigen::Index k = A.cols();
  const Eigen::JacobiSVD<Matrix<double>> svd(A, Eigen::ComputeThinU);
  const Matrix<double> U = svd.matrixU();                      // (n, k)
  const Matrix<double> Y = U.transpose() * centred_data;        // (k, N)
  const Eigen::SelfAdjointEigenSolver<Matrix<double>> eig(Y * Y.transpose() / double(centred_data.cols()));
  Matrix<double> directions(A.rows(), k);
  for (Eigen::Index i = 0; i < k; ++i) directions.col(i) = U * eig.eigenvectors().col(k - 1 - i);  // largest first
  return directions;
}

AE_PCA_INSTANCES(, float)
AE_PCA_INSTANCES(, double)

}  // namespace ae
