// regularizers.h — what makes a sparse, denoising or contractive autoencoder: penalties Ω on the
// code h = f(x), and the settings that switch them on. They are configuration of the one training
// path (trainer.h: train_step → compute_gradients), never a separate trainer:
//
//   x ──corrupt (denoising)──▶ x̃ ──forward──▶ h (k-sparse: top-k) ──▶ y
//   objective  C(x, y) + Ω(h)        — C always against the CLEAN x
//   backward   the code layer's δ gets ∂Ω/∂h (and ∂Ω/∂z, ∂Ω/∂W) added (autoencoder.h: backward)
//
// The penalties, for a minibatch of B samples (columns), s = 1/B when the loss averages over the
// batch ("mean", the default) and s = 1 when it sums, so that Ω is on the same scale as C:
//
//   L1 activity     Ω = λ s Σ_b Σⱼ |hⱼ|                       ∂Ω/∂h = λ s sign(h)
//   KL sparsity     ρ̂ⱼ = (1/B) Σ_b hⱼ  (batch-mean activation of unit j; needs h in (0, 1): sigmoid)
//                   Ω = β Σⱼ KL(ρ ‖ ρ̂ⱼ) = β Σⱼ [ρ log(ρ/ρ̂ⱼ) + (1 − ρ) log((1 − ρ)/(1 − ρ̂ⱼ))]
//                   ∂Ω/∂hⱼ_b = (β/B) [−ρ/ρ̂ⱼ + (1 − ρ)/(1 − ρ̂ⱼ)]        (0 when ρ̂ⱼ = ρ)
//   k-sparse        h = top_k(σ(z)): not a penalty but a mask; backpropagate only through the kept
//                   units (autoencoder.h: apply_top_k, backward)
//   contractive     Ω = λ s Σ_b ‖∂h/∂x‖²_F  (J = ∂h/∂x is (n_code, n_in), per sample)
//     exact, one-layer encoder h = σ(Wx + b):   J = diag(σ'(z)) W,   ‖J‖²_F = Σⱼ σ'(zⱼ)² ‖Wⱼ‖²
//                   ∂Ω/∂zⱼ = λ s 2 σ'(zⱼ) σ''(zⱼ) ‖Wⱼ‖²                    → added to δ (dz)
//                   ∂Ω/∂Wⱼ (direct) = λ s 2 (Σ_b σ'(zⱼ)²) Wⱼ                → added to ∇W (dW)
//     stochastic, any depth:   Ω = λ s Σ_b ‖h(x) − h(x + σ_c ε)‖² / σ_c²,  ε ~ N(0, I) fresh per batch
//                   E_ε[‖h(x) − h(x + σ_c ε)‖²] / σ_c² = ‖J‖²_F + O(σ_c²), so λ means the same in
//                   both forms. Gradient: ordinary backprop, twice — through h(x) with
//                   ∂Ω/∂h = +2λs(h − h̃)/σ_c², and through h̃ = h(x + σ_c ε) with −2λs(h − h̃)/σ_c².
//
// Why the stochastic form for deeper encoders (ContractiveForm::automatic): the exact gradient of
// ‖J‖²_F with J = diag(σ'ᶜ) Wᶜ ⋯ diag(σ'¹) W¹ needs, per sample, the (n_code × n_in) Jacobian and
// its derivative through every σ'' in the chain — O(B · n_code · forward cost) and a second-order
// backward pass that the lecture's four backprop equations do not show. The stochastic form costs
// one extra encoder forward + backward per batch, reuses dense_forward/dense_backward unchanged,
// is the lecture's "stochastic CAE", and converges to the same penalty as σ_c → 0 (tested). For a
// one-layer encoder the exact form is cheap (O(B · n_code)) and is used. The Jacobian itself, for
// any depth, is available for analysis (encoder_jacobian below: forward-mode, exact).
#pragma once

#include "autoencoder.h"
#include "corruption.h"
#include "rng.h"

#include <cmath>
#include <string>

namespace ae {

// ---- settings -------------------------------------------------------------------------------

// The order is part of the app's settings: append, never reorder.
enum class SparsityKind { none, l1, kl, top_k };
enum class ContractiveForm { automatic, exact, stochastic };

struct SparsityConfig {
  SparsityKind kind = SparsityKind::none;
  double l1_weight = 1e-3;   // λ of the L1 activity penalty
  double kl_weight = 0.1;    // β of the KL penalty
  double target = 0.05;      // ρ, the wanted mean activation of each code unit
  int k = 0;                 // k-sparse: code units kept per sample
};

struct ContractiveConfig {
  double weight = 0.0;       // λ; 0 switches the penalty off
  ContractiveForm form = ContractiveForm::automatic;  // exact for a one-layer encoder, else stochastic
  double noise = 0.05;       // σ_c of the stochastic form
};

// Everything that turns a plain autoencoder into one of the regularized family.
struct Regularization {
  CorruptionConfig corruption;    // denoising
  SparsityConfig sparsity;        // sparse (L1, KL, k-sparse)
  ContractiveConfig contractive;  // contractive
};

inline const char* sparsity_name(SparsityKind k) {
  switch (k) {
    case SparsityKind::none: return "none";
    case SparsityKind::l1: return "l1";
    case SparsityKind::kl: return "kl";
    case SparsityKind::top_k: return "top_k";
  }
  return "?";
}
inline SparsityKind sparsity_from_name(const std::string& name) {
  if (name == "none") return SparsityKind::none;
  if (name == "l1") return SparsityKind::l1;
  if (name == "kl") return SparsityKind::kl;
  if (name == "top_k" || name == "k-sparse" || name == "ksparse" || name == "topk") return SparsityKind::top_k;
  throw Error("unknown sparsity '" + name + "' (expected none, l1, kl or top_k)");
}
inline const char* contractive_form_name(ContractiveForm f) {
  switch (f) {
    case ContractiveForm::automatic: return "auto";
    case ContractiveForm::exact: return "exact";
    case ContractiveForm::stochastic: return "stochastic";
  }
  return "?";
}
inline ContractiveForm contractive_form_from_name(const std::string& name) {
  if (name == "auto" || name == "automatic") return ContractiveForm::automatic;
  if (name == "exact") return ContractiveForm::exact;
  if (name == "stochastic") return ContractiveForm::stochastic;
  throw Error("unknown contractive form '" + name + "' (expected auto, exact or stochastic)");
}

// The form actually used for this model.
template <typename T>
ContractiveForm contractive_form_for(const Autoencoder<T>& model, const ContractiveConfig& c) {
  if (c.form != ContractiveForm::automatic) return c.form;
  return model.code_layer == 0 ? ContractiveForm::exact : ContractiveForm::stochastic;
}

// Checks the settings against the model; a message for a human on any mismatch.
template <typename T>
void validate(const Regularization& r, const Autoencoder<T>& model) {
  validate(r.corruption);
  const SparsityConfig& s = r.sparsity;
  if (s.kind == SparsityKind::l1 && !(s.l1_weight >= 0.0)) throw Error("L1 sparsity: λ must be ≥ 0");
  if (s.kind == SparsityKind::kl) {
    if (!(s.kl_weight >= 0.0)) throw Error("KL sparsity: β must be ≥ 0");
    if (!(s.target > 0.0 && s.target < 1.0)) throw Error("KL sparsity: the target activation ρ must be in (0, 1)");
    if (model.layers[size_t(model.code_layer)].activation != Activation::sigmoid)
      throw Error("KL sparsity compares mean activations with ρ in (0, 1): it needs a sigmoid code (--code-activation sigmoid)");
  }
  if (s.kind == SparsityKind::top_k && (s.k < 1 || s.k > model.code_size()))
    throw Error("k-sparse: k must be in 1.." + std::to_string(model.code_size()) + " (the code size)");
  const ContractiveConfig& c = r.contractive;
  if (!(c.weight >= 0.0)) throw Error("contractive: λ must be ≥ 0");
  if (c.weight > 0.0) {
    if (contractive_form_for(model, c) == ContractiveForm::exact && model.code_layer != 0)
      throw Error("contractive: the exact penalty is implemented for a one-layer encoder; use the stochastic form "
                  "for deeper encoders (see regularizers.h for why)");
    if (contractive_form_for(model, c) == ContractiveForm::stochastic && !(c.noise > 0.0))
      throw Error("contractive: the stochastic form needs a noise σ > 0");
  }
}

// k-sparse lives in the model (it is part of h = f(x)); this keeps it in step with the settings.
template <typename T>
void apply_model_settings(Autoencoder<T>& model, const Regularization& r) {
  model.code_top_k = r.sparsity.kind == SparsityKind::top_k ? r.sparsity.k : 0;
}

// ---- σ'' (for the exact contractive gradient) ------------------------------------------------
//   sigmoid   σ' = a(1 − a)          σ'' = σ' (1 − 2a)
//   tanh      σ' = 1 − a²            σ'' = −2a σ'
//   softplus  σ' = s = sigmoid(z)    σ'' = s (1 − s)
//   linear, relu, leaky_relu: σ' is piecewise constant, σ'' = 0 (almost everywhere)
template <typename T>
void activation_second_derivative(Activation f, const Matrix<T>& z, const Matrix<T>& a, Matrix<T>& d2) {
  d2.resize(z.rows(), z.cols());
  switch (f) {
    case Activation::sigmoid: d2 = (a.array() * (T(1) - a.array()) * (T(1) - T(2) * a.array())).matrix(); break;
    case Activation::tanh: d2 = (T(-2) * a.array() * (T(1) - a.array().square())).matrix(); break;
    case Activation::softplus:
      d2 = z.unaryExpr([](T v) {
        const T s = sigmoid(v);
        return s * (T(1) - s);
      });
      break;
    default: d2.setZero(); break;
  }
}

// ---- the penalties, one at a time ------------------------------------------------------------
// Each returns Ω and ADDS its pieces to `pen` (pen.dh / dz / dW must be zero-sized or the right shape).

template <typename T>
void add_to(Matrix<T>& m, const Matrix<T>& term) {
  if (m.size() == 0) m = term;
  else m += term;
}

// L1 activity: Ω = λ s Σ |h|, ∂Ω/∂h = λ s sign(h)   (sign(0) = 0).
template <typename T>
T l1_activity_penalty(const Matrix<T>& h, double lambda, T s, CodePenaltyGradient<T>& pen) {
  add_to(pen.dh, Matrix<T>((T(lambda) * s) * h.array().sign().matrix()));
  return T(lambda) * s * h.cwiseAbs().sum();
}

// KL(ρ ‖ ρ̂) summed over units, ρ̂ⱼ the batch mean of unit j. ρ̂ is clamped to [1e-6, 1 − 1e-6]
// so a dead or saturated unit gives a large but finite penalty.
template <typename T>
T kl_sparsity_penalty(const Matrix<T>& h, double beta, double rho, CodePenaltyGradient<T>& pen) {
  const Eigen::Index B = h.cols();
  const Vector<T> rho_hat = h.rowwise().mean().cwiseMax(T(1e-6)).cwiseMin(T(1) - T(1e-6));  // ρ̂ⱼ
  const T r = T(rho);
  T value = 0;
  Vector<T> d(rho_hat.size());
  for (Eigen::Index j = 0; j < rho_hat.size(); ++j) {
    const T q = rho_hat(j);
    value += r * std::log(r / q) + (T(1) - r) * std::log((T(1) - r) / (T(1) - q));
    d(j) = T(beta) / T(B) * (-r / q + (T(1) - r) / (T(1) - q));  // ∂Ω/∂hⱼ_b, the same for every b
  }
  add_to(pen.dh, Matrix<T>(d.replicate(1, B)));
  return T(beta) * value;
}

// Exact contractive penalty of a ONE-layer encoder h = σ(Wx + b) (layer = the code layer 0,
// z its pre-activation, a = h, mask the k-sparse mask or empty):
//   Ω = λ s Σ_b Σⱼ σ'(zⱼ)² ‖Wⱼ‖²
template <typename T>
T contractive_penalty_exact(const DenseLayer<T>& layer, const DenseActivations<T>& act, const Matrix<T>& mask,
                            double lambda, T s, CodePenaltyGradient<T>& pen) {
  Matrix<T> d1, d2;
  activation_derivative(layer.activation, act.z, act.a, d1);         // σ'(z)   (n_code, B)
  activation_second_derivative(layer.activation, act.z, act.a, d2);  // σ''(z)
  if (mask.size() > 0) {  // a dropped k-sparse unit is constant 0: its row of J is 0
    d1 = d1.cwiseProduct(mask);
    d2 = d2.cwiseProduct(mask);
  }
  const Vector<T> w2 = layer.W.rowwise().squaredNorm();  // ‖Wⱼ‖²  (n_code)
  const T ls = T(lambda) * s;
  const Matrix<T> d1sq = d1.cwiseAbs2();
  // ∂Ω/∂zⱼ_b = λ s 2 σ'σ'' ‖Wⱼ‖²
  add_to(pen.dz, Matrix<T>((T(2) * ls) * (d1.cwiseProduct(d2).array().colwise() * w2.array()).matrix()));
  // ∂Ω/∂Wⱼᵢ (through ‖Wⱼ‖²) = λ s 2 (Σ_b σ'(zⱼ_b)²) Wⱼᵢ
  const Vector<T> row_weight = d1sq.rowwise().sum();
  add_to(pen.dW, Matrix<T>((T(2) * ls) * (layer.W.array().colwise() * row_weight.array()).matrix()));
  return ls * (d1sq.transpose() * w2).sum();
}

// The batch scale s of the penalties: 1/B when the loss averages over the batch, else 1.
template <typename T>
T penalty_scale(const LossConfig& loss, Eigen::Index B) {
  return loss.batch == Reduction::mean ? T(1) / T(B) : T(1);
}

// Every code penalty of `r` for the forward pass in ws (input x, the network's actual input).
// Fills pen, ws.sparsity_penalty and ws.contractive_penalty; for the stochastic contractive form
// also runs the encoder at x + σ_c ε (into ws.noisy_*), drawing ε from `noise`.
template <typename T>
void code_penalties(const Autoencoder<T>& model, const Regularization& r, const LossConfig& loss, const Matrix<T>& x,
                    Workspace<T>& ws, Rng* noise, CodePenaltyGradient<T>& pen) {
  const size_t c = size_t(model.code_layer);
  const Matrix<T>& h = ws.acts[c].a;
  const T s = penalty_scale<T>(loss, x.cols());
  ws.sparsity_penalty = 0;
  ws.contractive_penalty = 0;
  if (r.sparsity.kind == SparsityKind::l1) ws.sparsity_penalty = l1_activity_penalty(h, r.sparsity.l1_weight, s, pen);
  if (r.sparsity.kind == SparsityKind::kl) ws.sparsity_penalty = kl_sparsity_penalty(h, r.sparsity.kl_weight, r.sparsity.target, pen);
  if (r.contractive.weight > 0.0) {
    if (contractive_form_for(model, r.contractive) == ContractiveForm::exact) {
      if (model.code_layer != 0) throw Error("contractive: the exact penalty needs a one-layer encoder");
      ws.contractive_penalty = contractive_penalty_exact(model.layers[0], ws.acts[0], ws.code_mask, r.contractive.weight, s, pen);
    } else {
      if (!noise) throw Error("the stochastic contractive penalty needs a random number generator");
      const double sigma = r.contractive.noise;
      ws.noisy_input = x;
      for (Eigen::Index i = 0; i < x.size(); ++i) ws.noisy_input.data()[i] += T(sigma * noise->normal());
      const Matrix<T>& h_noisy = encoder_forward(model, ws.noisy_input, ws.noisy_acts, ws.noisy_code_mask);
      const Matrix<T> diff = h - h_noisy;  // h(x) − h(x + σε)
      const T w = T(r.contractive.weight) * s / T(sigma * sigma);
      ws.contractive_penalty = w * diff.squaredNorm();
      add_to(pen.dh, Matrix<T>((T(2) * w) * diff));  // through h(x); the h̃ side: contractive_noisy_backward
    }
  }
  pen.value = ws.sparsity_penalty + ws.contractive_penalty;
}

// The stochastic contractive penalty's second half: backpropagate ∂Ω/∂h̃ = −2λs(h − h̃)/σ_c²
// through the encoder at the noisy input and ADD the gradients to ws.grads (after backward()).
template <typename T>
void contractive_noisy_backward(const Autoencoder<T>& model, const Regularization& r, const LossConfig& loss,
                                Workspace<T>& ws) {
  const int c = model.code_layer;
  const T s = penalty_scale<T>(loss, ws.noisy_input.cols());
  const double sigma = r.contractive.noise;
  const T w = T(r.contractive.weight) * s / T(sigma * sigma);
  Matrix<T> g = (T(-2) * w) * (ws.acts[size_t(c)].a - ws.noisy_acts[size_t(c)].a), g_prev, delta;
  if (ws.noisy_code_mask.size() > 0) g = g.cwiseProduct(ws.noisy_code_mask);
  DenseGradients<T> part;
  for (int l = c; l >= 0; --l) {
    const Matrix<T>& a_prev = l > 0 ? ws.noisy_acts[size_t(l - 1)].a : ws.noisy_input;
    dense_backward(model.layers[size_t(l)], a_prev, ws.noisy_acts[size_t(l)], g, delta, false, part, l > 0 ? &g_prev : nullptr);
    ws.grads[size_t(l)].dW += part.dW;
    ws.grads[size_t(l)].db += part.db;
    if (l > 0) std::swap(g, g_prev);
  }
}

// ---- analysis: the encoder's Jacobian, code statistics ----------------------------------------

// J = ∂h/∂x at one sample x (n_in), exact for any depth, by the chain rule in forward mode:
//   J = diag(σ'(zᶜ) ⊙ mask) Wᶜ ⋯ diag(σ'(z¹)) W¹ diag(σ'(z⁰)) W⁰        (n_code, n_in)
template <typename T>
Matrix<double> encoder_jacobian(const Autoencoder<T>& model, const Vector<T>& x) {
  std::vector<DenseActivations<T>> acts;
  Matrix<T> mask;
  const Matrix<T> xm = x;
  encoder_forward(model, xm, acts, mask);
  Matrix<double> J = Matrix<double>::Identity(x.size(), x.size());
  for (int l = 0; l <= model.code_layer; ++l) {
    Matrix<T> d;
    activation_derivative(model.layers[size_t(l)].activation, acts[size_t(l)].z, acts[size_t(l)].a, d);
    Vector<double> dd = d.col(0).template cast<double>();
    if (l == model.code_layer && mask.size() > 0) dd = dd.cwiseProduct(mask.col(0).template cast<double>());
    J = dd.asDiagonal() * (model.layers[size_t(l)].W.template cast<double>() * J);
  }
  return J;
}

// The singular values of J, largest first: how strongly h reacts to moving x along each of J's
// right singular vectors (the contraction directions; a contractive AE keeps few large ones).
// (Eigen's SVD is compiled once, in decompositions.cpp.)
Vector<double> jacobian_singular_values(const Matrix<double>& J);

// J = U Σ Vᵀ (k, n): the singular values σᵢ (largest first) and the right singular vectors vᵢ,
// the columns of V (n, n). Moving x by ε vᵢ moves the code by about σᵢ ε: the interface draws
// each vᵢ scaled by σᵢ at a point of the data.
struct JacobianDirections {
  Vector<double> singular_values;  // (min(k, n))
  Matrix<double> right_vectors;    // (n, n)
};
JacobianDirections jacobian_directions(const Matrix<double>& J);

struct JacobianStatistics {
  double mean_frobenius = 0;          // mean over samples of ‖J‖_F
  double mean_squared_frobenius = 0;  // mean over samples of ‖J‖²_F (what the penalty uses)
};

template <typename T>
JacobianStatistics jacobian_statistics(const Autoencoder<T>& model, const Matrix<T>& data, int max_samples = 0) {
  JacobianStatistics st;
  const Eigen::Index N = max_samples > 0 ? std::min<Eigen::Index>(max_samples, data.cols()) : data.cols();
  for (Eigen::Index i = 0; i < N; ++i) {
    const double f2 = encoder_jacobian(model, Vector<T>(data.col(i))).squaredNorm();
    st.mean_squared_frobenius += f2;
    st.mean_frobenius += std::sqrt(f2);
  }
  if (N > 0) {
    st.mean_frobenius /= double(N);
    st.mean_squared_frobenius /= double(N);
  }
  return st;
}

// The stochastic contraction of one sample, the quantity the stochastic CAE penalises:
//   E_ε ‖h(x) − h(x + σ ε)‖² / σ²,   ε ~ N(0, I),  estimated with `draws` draws.
// By h(x + σε) ≈ h(x) + σ J ε and E‖J ε‖² = ‖J‖²_F, it tends to ‖J‖²_F = ‖∂h/∂x‖²_F as σ → 0 (the
// analytic penalty); for larger σ the curvature of h enters. All draws go through the encoder in
// one batch (n_in, draws).
template <typename T>
double stochastic_contraction(const Autoencoder<T>& model, const Vector<T>& x, double sigma, int draws, Rng& rng) {
  if (!(sigma > 0.0) || draws < 1) throw Error("stochastic contraction: σ must be > 0 and draws ≥ 1");
  Matrix<T> noisy(x.size(), draws);
  for (int r = 0; r < draws; ++r)
    for (Eigen::Index i = 0; i < x.size(); ++i) noisy(i, r) = x(i) + T(sigma * rng.normal());
  const Matrix<double> h = encode(model, Matrix<T>(x)).template cast<double>();
  const Matrix<double> h_noisy = encode(model, noisy).template cast<double>();
  return (h_noisy.colwise() - h.col(0)).squaredNorm() / double(draws) / (sigma * sigma);
}

struct CodeStatistics {
  double mean_activation = 0;      // mean over samples and units of h
  double mean_abs_activation = 0;  // mean of |h|
  double near_zero_fraction = 0;   // fraction of entries with |h| < threshold
  double threshold = 0;
  double dead_unit_fraction = 0;   // units that are near zero on every sample
};

template <typename T>
CodeStatistics code_statistics(const Autoencoder<T>& model, const Matrix<T>& data, double threshold = 0.01,
                               int chunk = 1024) {
  CodeStatistics st;
  st.threshold = threshold;
  const Eigen::Index N = data.cols();
  if (N == 0) return st;
  Workspace<T> ws;
  Vector<double> unit_max = Vector<double>::Zero(model.code_size());
  double sum = 0, abs_sum = 0, near = 0;
  for (Eigen::Index start = 0; start < N; start += chunk) {
    const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
    const Matrix<T> x = data.middleCols(start, count);
    forward(model, x, ws);
    const Matrix<double> h = ws.acts[size_t(model.code_layer)].a.template cast<double>();
    sum += h.sum();
    abs_sum += h.cwiseAbs().sum();
    near += double((h.array().abs() < threshold).count());
    unit_max = unit_max.cwiseMax(h.cwiseAbs().rowwise().maxCoeff());
  }
  const double entries = double(N) * double(model.code_size());
  st.mean_activation = sum / entries;
  st.mean_abs_activation = abs_sum / entries;
  st.near_zero_fraction = near / entries;
  st.dead_unit_fraction = double((unit_max.array() < threshold).count()) / double(model.code_size());
  return st;
}

// Mean per-sample loss C(x, g(f(x̃))) over a data set when the inputs are corrupted by `c` (the
// target stays the clean x): how well an AE denoises. With c inactive it equals evaluate_loss.
template <typename T>
T evaluate_loss_corrupted(const Autoencoder<T>& model, const LossConfig& loss, const Matrix<T>& data,
                          const CorruptionConfig& c, Rng& rng, int chunk = 1024) {
  Matrix<T> x_tilde;
  auto corrupted = [&](const Matrix<T>& x) -> const Matrix<T>& {
    corrupt(c, x, x_tilde, rng);  // x̃ ~ C(x̃ | x), fresh for each chunk
    return x_tilde;
  };
  return evaluate_loss_of(model, loss, data, corrupted, chunk);
}

// Compiled once, for float and double, in regularizers.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_REGULARIZERS_INSTANCES(EXTERN, T) \
  EXTERN template void validate<T>(const Regularization&, const Autoencoder<T>&); \
  EXTERN template void apply_model_settings<T>(Autoencoder<T>&, const Regularization&); \
  EXTERN template void code_penalties<T>(const Autoencoder<T>&, const Regularization&, const LossConfig&, \
      const Matrix<T>&, Workspace<T>&, Rng*, CodePenaltyGradient<T>&); \
  EXTERN template void contractive_noisy_backward<T>(const Autoencoder<T>&, const Regularization&, \
      const LossConfig&, Workspace<T>&); \
  EXTERN template Matrix<double> encoder_jacobian<T>(const Autoencoder<T>&, const Vector<T>&); \
  EXTERN template JacobianStatistics jacobian_statistics<T>(const Autoencoder<T>&, const Matrix<T>&, int); \
  EXTERN template double stochastic_contraction<T>(const Autoencoder<T>&, const Vector<T>&, double, int, Rng&); \
  EXTERN template CodeStatistics code_statistics<T>(const Autoencoder<T>&, const Matrix<T>&, double, int); \
  EXTERN template T evaluate_loss_corrupted<T>(const Autoencoder<T>&, const LossConfig&, const Matrix<T>&, \
      const CorruptionConfig&, Rng&, int);
AE_REGULARIZERS_INSTANCES(extern, float)
AE_REGULARIZERS_INSTANCES(extern, double)

}  // namespace ae
