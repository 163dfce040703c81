// regularizers.cpp — the part of regularizers.h that needs Eigen's SVD, compiled once, and
// regularizers.h's templates for float and double (explicit instantiation; the list is in the header).
#include "regularizers.h"

#include <Eigen/SVD>

namespace ae {

Vector<double> jacobian_singular_values(const Matrix<double>& J) {
  return Eigen::JacobiSVD<Matrix<double>>(J).singularValues();
}

JacobianDirections jacobian_directions(const Matrix<double>& J) {
  const Eigen::JacobiSVD<Matrix<double>> svd(J, Eigen::ComputeFullV);
  return {svd.singularValues(), svd.matrixV()};
}

AE_REGULARIZERS_INSTANCES(, float)
AE_REGULARIZERS_INSTANCES(, double)

}  // namespace ae
