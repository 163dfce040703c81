// activations.h — the elementwise nonlinearities σ and their derivatives σ'.
//
// a = σ(z) is applied to every entry of the (n, B) pre-activation matrix z. For the backward pass
// we need σ'(z); for most activations it is cheapest to write it in terms of the output a, which
// the forward pass already stored:
//   linear      σ(z) = z                     σ'(z) = 1
//   sigmoid     σ(z) = 1 / (1 + e^(−z))      σ'(z) = a (1 − a)
//   tanh        σ(z) = tanh z                σ'(z) = 1 − a²
//   relu        σ(z) = max(0, z)             σ'(z) = 1 if z > 0 else 0
//   leaky_relu  σ(z) = z if z > 0 else αz    σ'(z) = 1 if z > 0 else α      (α = 0.01)
//   softplus    σ(z) = log(1 + e^z)          σ'(z) = sigmoid(z)
// These are the readable definitions. The training path (dense.h) applies them through
// kernels/kernels.h: the bias add and σ fused in one pass, δ = g ⊙ σ' without forming σ', and
// 4-lane e^x for the sigmoid and softplus in WebAssembly.
#pragma once

#include "core.h"

#include <cmath>
#include <string>

namespace ae {

enum class Activation { linear, sigmoid, tanh, relu, leaky_relu, softplus };

constexpr double kLeakyReluSlope = 0.01;

inline const char* activation_name(Activation f) {
  switch (f) {
    case Activation::linear: return "linear";
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::leaky_relu: return "leaky_relu";
    case Activation::softplus: return "softplus";
  }
  return "?";
}

inline Activation activation_from_name(const std::string& name) {
  for (Activation f : {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu,
                       Activation::leaky_relu, Activation::softplus})
    if (name == activation_name(f)) return f;
  throw Error("unknown activation '" + name +
              "' (expected one of: linear, sigmoid, tanh, relu, leaky_relu, softplus)");
}

// Numerically stable scalar pieces (no overflow of e^(−z) for very negative z, etc.).
template <typename T> inline T sigmoid(T z) {
  if (z >= T(0)) return T(1) / (T(1) + std::exp(-z));
  const T e = std::exp(z);
  return e / (T(1) + e);
}
template <typename T> inline T softplus(T z) {  // log(1 + e^z) = max(z, 0) + log1p(e^(−|z|))
  return std::max(z, T(0)) + std::log1p(std::exp(-std::abs(z)));
}

// a = σ(z), elementwise. z and a are (n, B).
template <typename T>
void activation_forward(Activation f, const Matrix<T>& z, Matrix<T>& a) {
  a.resize(z.rows(), z.cols());
  switch (f) {
    case Activation::linear: a = z; break;
    case Activation::sigmoid: a = z.unaryExpr([](T v) { return sigmoid(v); }); break;
    case Activation::tanh: a = z.array().tanh().matrix(); break;
    case Activation::relu: a = z.cwiseMax(T(0)); break;
    case Activation::leaky_relu:
      a = z.unaryExpr([](T v) { return v > T(0) ? v : T(kLeakyReluSlope) * v; });
      break;
    case Activation::softplus: a = z.unaryExpr([](T v) { return softplus(v); }); break;
  }
}

// σ'(z), elementwise, written in terms of z and/or the stored output a. Both are (n, B).
template <typename T>
void activation_derivative(Activation f, const Matrix<T>& z, const Matrix<T>& a, Matrix<T>& dadz) {
  dadz.resize(z.rows(), z.cols());
  switch (f) {
    case Activation::linear: dadz.setOnes(); break;
    case Activation::sigmoid: dadz = (a.array() * (T(1) - a.array())).matrix(); break;
    case Activation::tanh: dadz = (T(1) - a.array().square()).matrix(); break;
    case Activation::relu: dadz = z.unaryExpr([](T v) { return v > T(0) ? T(1) : T(0); }); break;
    case Activation::leaky_relu:
      dadz = z.unaryExpr([](T v) { return v > T(0) ? T(1) : T(kLeakyReluSlope); });
      break;
    case Activation::softplus: dadz = z.unaryExpr([](T v) { return sigmoid(v); }); break;
  }
}

// Compiled once, for float and double, in dense.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_ACTIVATIONS_INSTANCES(EXTERN, T) \
  EXTERN template void activation_forward<T>(Activation, const Matrix<T>&, Matrix<T>&); \
  EXTERN template void activation_derivative<T>(Activation, const Matrix<T>&, const Matrix<T>&, Matrix<T>&);
AE_ACTIVATIONS_INSTANCES(extern, float)
AE_ACTIVATIONS_INSTANCES(extern, double)

}  // namespace ae
