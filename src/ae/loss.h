// loss.h — reconstruction losses C(x, y) and their gradient ∂C/∂y.
//
// The output y (n, B) is compared with the target t (n, B) — the clean input x for an
// autoencoder. Per sample:
//   squared error          ℓ = k Σᵢ (tᵢ − yᵢ)²             k = ½ (textbook worked examples) or 1
//   binary cross-entropy   ℓ = −Σᵢ [tᵢ log yᵢ + (1 − tᵢ) log(1 − yᵢ)]   (t, y in [0, 1])
//   Gaussian −log-lik.     ℓ = Σᵢ [(tᵢ − yᵢ)²/(2s²) + ½ log(2π s²)]   = −log N(t; y, s² I), in nats
// Reduction over units: sum (the likelihood view: −log p(x|z) of the whole image) or mean (so
// numbers do not grow with the image size; Keras's "binary_crossentropy" is this one). Over the
// batch: mean (default: the learning rate then does not depend on the batch size) or sum (what
// some textbooks write for full-batch gradient descent).
//   C = [1/B] Σ_samples ℓ  [/ n]
//
// Maximum likelihood: squared error is −log p(x|z) of a Gaussian decoder up to constants (the
// Gaussian loss is that −log p(x|z) itself, with a fixed s: ½(t − y)²/s² + ½ log 2πs², so its
// gradient is the squared error's divided by s²), cross-entropy is −log p(x|z) of a Bernoulli
// decoder (for targets in {0, 1}; for grey targets its minimum, at y = t, is above 0).
//
// The sigmoid + cross-entropy pair is fused: with y = σ(z),
//   ∂ℓ/∂z = ∂ℓ/∂y · σ'(z) = (y − t)/(y(1 − y)) · y(1 − y) = y − t,
// which never divides by a saturated y(1 − y), and the loss itself is evaluated from z as
//   ℓ = Σᵢ [max(zᵢ, 0) − tᵢ zᵢ + log(1 + e^(−|zᵢ|))], finite for any z.
#pragma once

#include "activations.h"
#include "core.h"
#include "kernels/kernels.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ae {

enum class LossKind { squared_error, binary_cross_entropy, gaussian };
enum class Reduction { sum, mean };

struct LossConfig {
  LossKind kind = LossKind::squared_error;
  bool half = true;                     // squared error only: ½Σ(t−y)² instead of Σ(t−y)²
  double sigma = 1.0;                   // Gaussian only: the decoder's standard deviation s (fixed)
  Reduction units = Reduction::sum;     // over the n output units of one sample
  Reduction batch = Reduction::mean;    // over the B samples of a batch
};

inline const char* reduction_name(Reduction r) { return r == Reduction::sum ? "sum" : "mean"; }
inline Reduction reduction_from_name(const std::string& name) {
  if (name == "sum") return Reduction::sum;
  if (name == "mean") return Reduction::mean;
  throw Error("unknown reduction '" + name + "' (expected sum or mean)");
}
inline LossKind loss_from_name(const std::string& name) {
  if (name == "squared_error" || name == "mse" || name == "se") return LossKind::squared_error;
  if (name == "binary_cross_entropy" || name == "bce" || name == "cross_entropy") return LossKind::binary_cross_entropy;
  if (name == "gaussian" || name == "gaussian_nll") return LossKind::gaussian;
  throw Error("unknown loss '" + name + "' (expected squared_error, binary_cross_entropy or gaussian)");
}

inline const char* loss_name(LossKind k) {
  switch (k) {
    case LossKind::squared_error: return "squared_error";
    case LossKind::binary_cross_entropy: return "binary_cross_entropy";
    case LossKind::gaussian: return "gaussian";
  }
  return "?";
}

// The Gaussian decoder's s: a positive, finite standard deviation (ranges of the panel: 0.01..1).
constexpr double kMinDecoderSigma = 1e-3, kMaxDecoderSigma = 1e3;
inline void check_decoder_sigma(double s) {
  if (!(s >= kMinDecoderSigma && s <= kMaxDecoderSigma))
    throw Error("the Gaussian decoder's s must be in [0.001, 1000], got " + std::to_string(s));
}

// ½ log(2π s²): the constant of −log N(t; y, s²) per unit.
inline double gaussian_log_normalizer(double s) { return 0.5 * std::log(2.0 * 3.14159265358979323846 * s * s); }

// The scale that turns a sum over units and samples into C: 1, 1/B, 1/n or 1/(B n).
template <typename T>
T loss_scale(const LossConfig& cfg, Eigen::Index n, Eigen::Index B) {
  T s = T(1);
  if (cfg.batch == Reduction::mean) s /= T(B);
  if (cfg.units == Reduction::mean) s /= T(n);
  return s;
}

// C for the output layer (z and y = σ(z), both (n, B)) against targets t (n, B).
template <typename T>
T loss_value(const LossConfig& cfg, Activation output_activation, const Matrix<T>& z, const Matrix<T>& y,
             const Matrix<T>& t) {
  const T scale = loss_scale<T>(cfg, y.rows(), y.cols());
  if (cfg.kind == LossKind::gaussian) {  // Σ (t − y)²/(2s²) + n B · ½ log 2πs²
    const double sum = kernels::enabled() ? kernels::squared_error_sum(y.size(), y.data(), t.data())
                                          : double((t - y).squaredNorm());
    return T(double(scale) * (sum / (2.0 * cfg.sigma * cfg.sigma) + double(y.size()) * gaussian_log_normalizer(cfg.sigma)));
  }
  if (kernels::enabled()) {  // the same sums through the kernels (vectorized e^x and log in wasm)
    if (cfg.kind == LossKind::squared_error)
      return T(double(scale) * (cfg.half ? 0.5 : 1.0) * kernels::squared_error_sum(y.size(), y.data(), t.data()));
    if (output_activation == Activation::sigmoid)
      return T(double(scale) * kernels::sigmoid_cross_entropy_sum(z.size(), z.data(), t.data()));
  }
  if (cfg.kind == LossKind::squared_error) {
    const T k = cfg.half ? T(0.5) : T(1);
    return scale * k * (t - y).squaredNorm();
  }
  T total = 0;
  if (output_activation == Activation::sigmoid) {  // fused: evaluate from z (never log 0)
    for (Eigen::Index i = 0; i < z.size(); ++i) {
      const T zi = z.data()[i], ti = t.data()[i];
      total += std::max(zi, T(0)) - ti * zi + std::log1p(std::exp(-std::abs(zi)));
    }
  } else {  // generic: clamp y away from 0 and 1
    const T eps = std::is_same<T, float>::value ? T(1e-7) : T(1e-12);
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      const T yi = std::clamp(y.data()[i], eps, T(1) - eps), ti = t.data()[i];
      total -= ti * std::log(yi) + (T(1) - ti) * std::log(T(1) - yi);
    }
  }
  return scale * total;
}

// Whether the output layer's δᴸ is computed directly by the loss (fused pair).
inline bool loss_fuses_with(const LossConfig& cfg, Activation output_activation) {
  return cfg.kind == LossKind::binary_cross_entropy && output_activation == Activation::sigmoid;
}

// For a fused pair: δᴸ = ∂C/∂zᴸ = scale · (y − t).
// Otherwise:        g  = ∂C/∂y  (the dense layer then forms δᴸ = g ⊙ σ'(zᴸ)):
//   squared error:  ∂C/∂y = scale · 2k (y − t)
//   Gaussian:       ∂C/∂y = scale · (y − t) / s²
//   cross-entropy:  ∂C/∂y = scale · (y − t) / (y (1 − y))
template <typename T>
void loss_gradient(const LossConfig& cfg, Activation output_activation, const Matrix<T>& y, const Matrix<T>& t,
                   Matrix<T>& out) {
  const T scale = loss_scale<T>(cfg, y.rows(), y.cols());
  if (cfg.kind == LossKind::gaussian) {
    const T s = T(double(scale) / (cfg.sigma * cfg.sigma));
    out.resize(y.rows(), y.cols());
    if (kernels::enabled())
      kernels::scaled_difference(y.size(), s, y.data(), t.data(), out.data());
    else
      out = s * (y - t);
    return;
  }
  if (kernels::enabled() && (loss_fuses_with(cfg, output_activation) || cfg.kind == LossKind::squared_error)) {
    // both are s (y − t) with s = scale or scale · 2k: one pass through the kernels
    const T s = loss_fuses_with(cfg, output_activation) ? scale : scale * T(2) * (cfg.half ? T(0.5) : T(1));
    out.resize(y.rows(), y.cols());
    kernels::scaled_difference(y.size(), s, y.data(), t.data(), out.data());
    return;
  }
  if (loss_fuses_with(cfg, output_activation)) {
    out = scale * (y - t);
  } else if (cfg.kind == LossKind::squared_error) {
    const T k = cfg.half ? T(0.5) : T(1);
    out = (scale * T(2) * k) * (y - t);
  } else {
    const T eps = std::is_same<T, float>::value ? T(1e-7) : T(1e-12);
    out = y.binaryExpr(t, [&](T yi, T ti) {
      yi = std::clamp(yi, eps, T(1) - eps);
      return scale * (yi - ti) / (yi * (T(1) - yi));
    });
  }
}

// Compiled once, for float and double, in dense.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_LOSS_INSTANCES(EXTERN, T) \
  EXTERN template T loss_value<T>(const LossConfig&, Activation, const Matrix<T>&, const Matrix<T>&, \
      const Matrix<T>&); \
  EXTERN template void loss_gradient<T>(const LossConfig&, Activation, const Matrix<T>&, const Matrix<T>&, \
      Matrix<T>&);
AE_LOSS_INSTANCES(extern, float)
AE_LOSS_INSTANCES(extern, double)

}  // namespace ae
