// decompositions.cpp — every Eigen decomposition of the engine (the eigen solver, QR, SVD), compiled
// once here for all of them: PCA and the principal angles and directions (pca.h), the singular values
// and directions of an encoder's Jacobian (regularizers.h). Seen from a header they would cost every
// file that includes the engine seconds of compile time, and each .cpp that used one would compile
// JacobiSVD again.
#include "pca.h"
#include "regularizers.h"

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <algorithm>

namespace ae {

// ---- pca.h ---------------------------------------------------------------------------------------

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

// ---- regularizers.h ------------------------------------------------------------------------------

Vector<double> jacobian_singular_values(const Matrix<double>& J) {
  return Eigen::JacobiSVD<Matrix<double>>(J).singularValues();
}

JacobianDirections jacobian_directions(const Matrix<double>& J) {
  const Eigen::JacobiSVD<Matrix<double>> svd(J, Eigen::ComputeFullV);
  return {svd.singularValues(), svd.matrixV()};
}

}  // namespace ae
