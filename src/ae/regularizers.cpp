// regularizers.cpp — the part of regularizers.h that needs Eigen's SVD, compiled once.
#include "regularizers.h"

#include <Eigen/SVD>

namespace ae {

Vector<double> jacobian_singular_values(const Matrix<double>& J) {
  return Eigen::JacobiSVD<Matrix<double>>(J).singularValues();
}

}  // namespace ae
