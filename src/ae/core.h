// core.h — the engine's basic types.
//
// The engine stores a minibatch as a matrix whose COLUMNS are samples, exactly as the lecture
// writes a layer: z = W a + b with a a column vector. A batch of B inputs of n features is an
// (n, B) matrix. Everything is column-major (Eigen's default), so one sample is contiguous in
// memory, which is also how an IDX image file stores it.
//
// Scalar type T is a template parameter: float for speed, double for gradient checks and worked
// examples where numbers are compared to 1e-9.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ae {

template <typename T> using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
template <typename T> using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <typename T> using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// Every user-facing failure of the engine (bad file, bad setting, diverged training) is an
// ae::Error with a message meant for a human. The UI and the CLI show it; they never crash on it.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ae
