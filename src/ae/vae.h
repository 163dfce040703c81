// vae.h — the variational autoencoder: a Gaussian encoder q(z|x), the reparameterization trick,
// a decoder p(x|z), trained by maximizing the ELBO.
//
//   x (n, B) ──encoder hidden layers──▶ h ──┬─ μ head (linear) ──▶ μ       (d, B)
//                                           └─ log σ² head (linear) ─▶ lv  (d, B)
//   z = μ + σ ⊙ ε,  σ = exp(½ lv),  ε ~ N(0, I)         (d, B)   the reparameterization
//   z ──decoder layers──▶ y (n, B)   Bernoulli: y = p(xᵢ = 1 | z) (sigmoid)   Gaussian: y = mean (linear)
//
// Per sample, the negative ELBO splits into the two terms the lecture shows:
//   −ELBO = E_q[−log p(x|z)]  +  KL(q(z|x) ‖ N(0, I))
//   reconstruction  Bernoulli: −Σᵢ [xᵢ log yᵢ + (1 − xᵢ) log(1 − yᵢ)]       (cross-entropy, sum over pixels)
//                   Gaussian (variance s²): Σᵢ (xᵢ − yᵢ)² / (2 s²) + (n/2) log(2π s²)
//   KL (closed form)  ½ Σⱼ (μⱼ² + σⱼ² − 1 − log σⱼ²)
// The training objective is reconstruction + β KL, averaged over the batch (β = 1: the ELBO;
// β > 1: the β-VAE). One ε per sample per step, drawn from the seeded ae::Rng.
//
// Backward (the reparameterization makes z a differentiable function of μ and lv):
//   g_z = ∂recon/∂z                                    (the decoder's ordinary backprop, down to z)
//   δ_μ  = g_z + β μ / B                               ∂z/∂μ = 1,  ∂KL/∂μ = μ
//   δ_lv = g_z ⊙ ε ⊙ ½σ + β ½(σ² − 1) / B              ∂z/∂lv = ½ σ ε,  ∂KL/∂lv = ½(e^lv − 1)
//   ∂C/∂h = W_μᵀ δ_μ + W_lvᵀ δ_lv                      then the encoder's ordinary backprop
// The heads are linear layers, so δ = ∂C/∂(pre-activation) = the gradients above.
//
// All layers live in one flat Autoencoder (net.layers: encoder hidden, μ head, log σ² head,
// decoder) so that the ordinary optimizer (optimizer_step) updates them like any network. The
// layers are DenseLayer and run through dense_forward / dense_backward, nothing new.
#pragma once

#include "autoencoder.h"
#include "optimizer.h"
#include "rng.h"

#include <cmath>
#include <string>
#include <vector>

namespace ae {

enum class VaeLikelihood { bernoulli, gaussian };

inline const char* vae_likelihood_name(VaeLikelihood k) { return k == VaeLikelihood::bernoulli ? "bernoulli" : "gaussian"; }
inline VaeLikelihood vae_likelihood_from_name(const std::string& name) {
  if (name == "bernoulli" || name == "bce") return VaeLikelihood::bernoulli;
  if (name == "gaussian" || name == "mse") return VaeLikelihood::gaussian;
  throw Error("unknown VAE decoder '" + name + "' (expected bernoulli or gaussian)");
}

struct VaeArchitecture {
  int input_size = 784;
  std::vector<LayerSpec> encoder_hidden{{512, Activation::relu}};
  int latent_size = 2;  // d
  std::vector<LayerSpec> decoder_hidden{{512, Activation::relu}};
  VaeLikelihood likelihood = VaeLikelihood::bernoulli;
};

struct VaeConfig {
  double beta = 1.0;              // weight of the KL term (1: the ELBO)
  double decoder_variance = 1.0;  // s² of the Gaussian decoder
};

template <typename T>
struct Vae {
  Autoencoder<T> net;     // flat: [encoder hidden 0..E−1] [μ head E] [log σ² head E+1] [decoder E+2..]
  int encoder_layers = 0; // E
  VaeLikelihood likelihood = VaeLikelihood::bernoulli;

  int input_size() const { return net.layers.front().n_in(); }
  int latent_size() const { return net.layers[size_t(encoder_layers)].n_out(); }
  size_t mu_index() const { return size_t(encoder_layers); }
  size_t logvar_index() const { return size_t(encoder_layers) + 1; }
  size_t decoder_begin() const { return size_t(encoder_layers) + 2; }
};

namespace detail {
template <typename T>
DenseLayer<T> make_dense(int n_in, int n_out, Activation f, Rng& rng) {
  DenseLayer<T> layer;
  layer.activation = f;
  layer.W.resize(n_out, n_in);
  layer.b = Vector<T>::Zero(n_out);
  const bool he = f == Activation::relu || f == Activation::leaky_relu;  // He for ReLU, else Glorot
  const double r = std::sqrt(6.0 / double(n_in + n_out)), sd = std::sqrt(2.0 / double(n_in));
  for (Eigen::Index i = 0; i < layer.W.size(); ++i) layer.W.data()[i] = T(he ? rng.normal(0.0, sd) : rng.uniform(-r, r));
  return layer;
}
}  // namespace detail

template <typename T>
Vae<T> make_vae(const VaeArchitecture& arch, Rng& rng) {
  if (arch.input_size < 1 || arch.latent_size < 1 || arch.latent_size > 4096) throw Error("VAE: bad input or latent size");
  for (const auto& l : arch.encoder_hidden)
    if (l.size < 1 || l.size > 65536) throw Error("VAE: layer sizes must be in 1..65536");
  for (const auto& l : arch.decoder_hidden)
    if (l.size < 1 || l.size > 65536) throw Error("VAE: layer sizes must be in 1..65536");
  Vae<T> vae;
  vae.likelihood = arch.likelihood;
  vae.encoder_layers = int(arch.encoder_hidden.size());
  int n_in = arch.input_size;
  for (const auto& l : arch.encoder_hidden) {
    vae.net.layers.push_back(detail::make_dense<T>(n_in, l.size, l.activation, rng));
    n_in = l.size;
  }
  vae.net.layers.push_back(detail::make_dense<T>(n_in, arch.latent_size, Activation::linear, rng));  // μ
  vae.net.layers.push_back(detail::make_dense<T>(n_in, arch.latent_size, Activation::linear, rng));  // log σ²
  n_in = arch.latent_size;
  for (const auto& l : arch.decoder_hidden) {
    vae.net.layers.push_back(detail::make_dense<T>(n_in, l.size, l.activation, rng));
    n_in = l.size;
  }
  vae.net.layers.push_back(detail::make_dense<T>(
      n_in, arch.input_size, arch.likelihood == VaeLikelihood::bernoulli ? Activation::sigmoid : Activation::linear, rng));
  vae.net.code_layer = vae.encoder_layers;
  return vae;
}

template <typename T>
struct VaeWorkspace {
  std::vector<DenseActivations<T>> encoder;  // hidden layers
  DenseActivations<T> mu, logvar;            // (d, B) each (linear: a = z)
  Matrix<T> eps, sigma, z;                   // (d, B)
  std::vector<DenseActivations<T>> decoder;  // decoder layers, the last is y
  Workspace<T> ws;                           // ws.grads: ∇ of every layer of net (for optimizer_step)
  T reconstruction = 0, kl = 0, objective = 0;  // batch means
};

// The likelihood as one of the engine's losses, summed over pixels and averaged over the batch.
inline LossConfig vae_loss_config(VaeLikelihood k) {
  LossConfig c;
  c.kind = k == VaeLikelihood::bernoulli ? LossKind::binary_cross_entropy : LossKind::squared_error;
  c.half = true;
  c.units = Reduction::sum;
  c.batch = Reduction::mean;
  return c;
}

// Encoder: μ and log σ² of q(z|x) for x (n, B).
template <typename T>
void vae_encode(const Vae<T>& vae, const Matrix<T>& x, VaeWorkspace<T>& w) {
  if (x.rows() != vae.input_size())
    throw Error("input has " + std::to_string(x.rows()) + " features, the VAE expects " + std::to_string(vae.input_size()));
  w.encoder.resize(size_t(vae.encoder_layers));
  const Matrix<T>* a = &x;
  for (int l = 0; l < vae.encoder_layers; ++l) {
    dense_forward(vae.net.layers[size_t(l)], *a, w.encoder[size_t(l)]);
    a = &w.encoder[size_t(l)].a;
  }
  dense_forward(vae.net.layers[vae.mu_index()], *a, w.mu);
  dense_forward(vae.net.layers[vae.logvar_index()], *a, w.logvar);
}

// Decoder y = g(z) into w.decoder; returns y.
template <typename T>
const Matrix<T>& vae_decode_into(const Vae<T>& vae, const Matrix<T>& z, std::vector<DenseActivations<T>>& acts) {
  const size_t first = vae.decoder_begin(), L = vae.net.layers.size();
  acts.resize(L - first);
  const Matrix<T>* a = &z;
  for (size_t l = first; l < L; ++l) {
    dense_forward(vae.net.layers[l], *a, acts[l - first]);
    a = &acts[l - first].a;
  }
  return acts.back().a;
}

// Forward with the noise ε given in w.eps (d, B): z = μ + σ ⊙ ε, y = g(z); fills the loss terms.
template <typename T>
T vae_forward(const Vae<T>& vae, const VaeConfig& cfg, const Matrix<T>& x, VaeWorkspace<T>& w) {
  vae_encode(vae, x, w);
  const Matrix<T>& mu = w.mu.a;
  const Matrix<T>& lv = w.logvar.a;
  if (w.eps.rows() != mu.rows() || w.eps.cols() != mu.cols()) throw Error("VAE: ε has the wrong shape");
  w.sigma = (T(0.5) * lv.array()).exp().matrix();             // σ = exp(½ log σ²)
  w.z = mu + w.sigma.cwiseProduct(w.eps);                     // z = μ + σ ⊙ ε
  const Matrix<T>& y = vae_decode_into(vae, w.z, w.decoder);
  const DenseActivations<T>& top = w.decoder.back();
  const LossConfig loss = vae_loss_config(vae.likelihood);
  const T B = T(x.cols());
  if (vae.likelihood == VaeLikelihood::bernoulli) {
    w.reconstruction = loss_value(loss, vae.net.layers.back().activation, top.z, y, x);
  } else {
    const double s2 = cfg.decoder_variance;
    w.reconstruction = loss_value(loss, vae.net.layers.back().activation, top.z, y, x) / T(s2) +
                       T(0.5 * double(x.rows()) * std::log(2.0 * 3.141592653589793 * s2));
  }
  // KL(q ‖ N(0, I)) = ½ Σⱼ (μ² + σ² − 1 − log σ²), averaged over the batch
  w.kl = T(0.5) * (mu.array().square() + w.sigma.array().square() - T(1) - lv.array()).sum() / B;
  w.objective = w.reconstruction + T(cfg.beta) * w.kl;
  return w.objective;
}

// Backward of the last vae_forward: the gradient of reconstruction + β KL (ε held fixed) into w.ws.grads.
template <typename T>
void vae_backward(const Vae<T>& vae, const VaeConfig& cfg, const Matrix<T>& x, VaeWorkspace<T>& w) {
  const size_t L = vae.net.layers.size(), first = vae.decoder_begin();
  Workspace<T>& ws = w.ws;
  ws.grads.resize(L);
  ws.deltas.resize(L);
  const LossConfig loss = vae_loss_config(vae.likelihood);
  const Activation out_f = vae.net.layers.back().activation;
  const bool fused = loss_fuses_with(loss, out_f);
  Matrix<T> g, g_prev;
  loss_gradient(loss, out_f, w.decoder.back().a, x, fused ? ws.deltas[L - 1] : g);
  if (vae.likelihood == VaeLikelihood::gaussian) g /= T(cfg.decoder_variance);
  // Decoder: the ordinary backprop, down to g_z = ∂recon/∂z.
  for (size_t l = L; l-- > first;) {
    const Matrix<T>& a_prev = l > first ? w.decoder[l - 1 - first].a : w.z;
    dense_backward(vae.net.layers[l], a_prev, w.decoder[l - first], g, ws.deltas[l], l == L - 1 && fused, ws.grads[l], &g_prev);
    std::swap(g, g_prev);
  }
  // g = ∂recon/∂z. The heads: δ_μ = g + β μ / B,  δ_lv = g ⊙ ε ⊙ ½σ + β ½(σ² − 1) / B.
  const T B = T(x.cols()), beta = T(cfg.beta);
  ws.deltas[vae.mu_index()] = g + (beta / B) * w.mu.a;
  ws.deltas[vae.logvar_index()] =
      (g.array() * w.eps.array() * T(0.5) * w.sigma.array() + (beta / B) * T(0.5) * (w.sigma.array().square() - T(1))).matrix();
  const int E = vae.encoder_layers;
  const Matrix<T>& h = E > 0 ? w.encoder[size_t(E - 1)].a : x;
  Matrix<T> g_mu, g_lv;
  dense_backward(vae.net.layers[vae.mu_index()], h, w.mu, g, ws.deltas[vae.mu_index()], true, ws.grads[vae.mu_index()],
                 E > 0 ? &g_mu : nullptr);
  dense_backward(vae.net.layers[vae.logvar_index()], h, w.logvar, g, ws.deltas[vae.logvar_index()], true,
                 ws.grads[vae.logvar_index()], E > 0 ? &g_lv : nullptr);
  if (E == 0) return;
  g = g_mu + g_lv;  // ∂C/∂h = W_μᵀ δ_μ + W_lvᵀ δ_lv
  for (int l = E - 1; l >= 0; --l) {
    const Matrix<T>& a_prev = l > 0 ? w.encoder[size_t(l - 1)].a : x;
    dense_backward(vae.net.layers[size_t(l)], a_prev, w.encoder[size_t(l)], g, ws.deltas[size_t(l)], false,
                   ws.grads[size_t(l)], l > 0 ? &g_prev : nullptr);
    if (l > 0) std::swap(g, g_prev);
  }
}

// ε ~ N(0, I), (d, B), from the seeded Rng.
template <typename T>
void draw_normal(Matrix<T>& m, Eigen::Index rows, Eigen::Index cols, Rng& rng) {
  m.resize(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = T(rng.normal());
}

// One update: fresh ε, forward, backward, optimizer. Returns false (weights restored) when the
// objective or the weights stop being finite.
template <typename T>
bool vae_train_step(Vae<T>& vae, const VaeConfig& cfg, const OptimizerConfig& opt, OptimizerState<T>& state,
                    const Matrix<T>& x, VaeWorkspace<T>& w, Rng& rng) {
  draw_normal(w.eps, vae.latent_size(), x.cols(), rng);
  const T objective = vae_forward(vae, cfg, x, w);
  if (!std::isfinite(double(objective))) return false;
  vae_backward(vae, cfg, x, w);
  // A diverging update is undone, as in train_step (the replaced weights are kept by swapping).
  if (!optimizer_step_keeping(opt, state, vae.net, w.ws, w.ws.previous)) {
    optimizer_undo(vae.net, w.ws.previous);
    return false;
  }
  return true;
}

struct VaeEvaluation {
  double reconstruction = 0;  // E_q[−log p(x|z)] per sample (nats), one-sample estimate per ε draw
  double kl = 0;              // KL(q(z|x) ‖ N(0, I)) per sample (nats)
  double elbo = 0;            // −(reconstruction + kl): a lower bound on log p(x)
};

// Test-set figures, averaged over samples and `draws` ε draws per sample (β plays no part: this is the ELBO).
template <typename T>
VaeEvaluation vae_evaluate(const Vae<T>& vae, const VaeConfig& cfg, const Matrix<T>& data, Rng& rng, int draws = 1,
                           int chunk = 1000) {
  VaeEvaluation e;
  VaeWorkspace<T> w;
  const Eigen::Index N = data.cols();
  if (N == 0) return e;
  for (int d = 0; d < draws; ++d)
    for (Eigen::Index start = 0; start < N; start += chunk) {
      const Eigen::Index count = std::min<Eigen::Index>(chunk, N - start);
      const Matrix<T> x = data.middleCols(start, count);
      draw_normal(w.eps, vae.latent_size(), count, rng);
      vae_forward(vae, cfg, x, w);
      e.reconstruction += double(w.reconstruction) * double(count);
      e.kl += double(w.kl) * double(count);
    }
  e.reconstruction /= double(N) * draws;
  e.kl /= double(N) * draws;
  e.elbo = -(e.reconstruction + e.kl);
  return e;
}

// The decoder's mean output for latent points z (d, B): Bernoulli probabilities or Gaussian means.
template <typename T>
Matrix<T> vae_decode(const Vae<T>& vae, const Matrix<T>& z) {
  if (z.rows() != vae.latent_size()) throw Error("VAE: the latent points have the wrong dimension");
  std::vector<DenseActivations<T>> acts;
  return vae_decode_into(vae, z, acts);
}

// μ of q(z|x) for every sample: where the encoder puts x in the latent space (d, N).
template <typename T>
Matrix<T> vae_encode_mean(const Vae<T>& vae, const Matrix<T>& x) {
  VaeWorkspace<T> w;
  vae_encode(vae, x, w);
  return w.mu.a;
}

// Sampling from the model: z ~ p(z) = N(0, I), then the decoder's mean for each (n, count).
template <typename T>
Matrix<T> vae_sample_prior(const Vae<T>& vae, int count, Rng& rng) {
  Matrix<T> z;
  draw_normal(z, vae.latent_size(), count, rng);
  return vae_decode(vae, z);
}

// A side × side grid over a 2-D latent space, z₁ and z₂ each from −extent to +extent (row-major:
// z₂ decreasing down the rows, z₁ increasing along a row, as the picture is drawn). Returns the
// decoded images (n, side²); grid_z (2, side²) gets the latent points.
template <typename T>
Matrix<T> vae_latent_grid(const Vae<T>& vae, int side, double extent, Matrix<T>* grid_z = nullptr) {
  if (vae.latent_size() != 2) throw Error("the latent grid needs a 2-D latent space");
  if (side < 1) throw Error("the latent grid needs at least one point per side");
  Matrix<T> z(2, side * side);
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const double u = side == 1 ? 0.0 : -extent + 2.0 * extent * c / (side - 1);
      const double v = side == 1 ? 0.0 : extent - 2.0 * extent * r / (side - 1);
      z(0, r * side + c) = T(u);
      z(1, r * side + c) = T(v);
    }
  if (grid_z) *grid_z = z;
  return vae_decode(vae, z);
}

// Compiled once, for float and double, in vae.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_VAE_INSTANCES(EXTERN, T) \
  EXTERN template Vae<T> make_vae<T>(const VaeArchitecture&, Rng&); \
  EXTERN template void vae_encode<T>(const Vae<T>&, const Matrix<T>&, VaeWorkspace<T>&); \
  EXTERN template const Matrix<T>& vae_decode_into<T>(const Vae<T>&, const Matrix<T>&, \
      std::vector<DenseActivations<T>>&); \
  EXTERN template T vae_forward<T>(const Vae<T>&, const VaeConfig&, const Matrix<T>&, VaeWorkspace<T>&); \
  EXTERN template void vae_backward<T>(const Vae<T>&, const VaeConfig&, const Matrix<T>&, VaeWorkspace<T>&); \
  EXTERN template bool vae_train_step<T>(Vae<T>&, const VaeConfig&, const OptimizerConfig&, OptimizerState<T>&, \
      const Matrix<T>&, VaeWorkspace<T>&, Rng&); \
  EXTERN template VaeEvaluation vae_evaluate<T>(const Vae<T>&, const VaeConfig&, const Matrix<T>&, Rng&, int, int); \
  EXTERN template Matrix<T> vae_decode<T>(const Vae<T>&, const Matrix<T>&); \
  EXTERN template Matrix<T> vae_encode_mean<T>(const Vae<T>&, const Matrix<T>&); \
  EXTERN template Matrix<T> vae_sample_prior<T>(const Vae<T>&, int, Rng&); \
  EXTERN template Matrix<T> vae_latent_grid<T>(const Vae<T>&, int, double, Matrix<T>*);
AE_VAE_INSTANCES(extern, float)
AE_VAE_INSTANCES(extern, double)

}  // namespace ae
