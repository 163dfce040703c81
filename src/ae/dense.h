// dense.h — a fully connected layer, forward and backward, written out as in the lecture.
//
// Notation (one layer l, minibatch of B samples stored as columns):
//   a_prev = aˡ⁻¹   (n_in,  B)   the layer's input (the previous layer's activation, or x)
//   W      = Wˡ     (n_out, n_in)
//   b      = bˡ     (n_out)
//   z      = zˡ     (n_out, B)   pre-activation
//   a      = aˡ     (n_out, B)   activation
//
// Forward:   z = W a_prev + b 1ᵀ,   a = σ(z)
// Backward:  given g = ∂C/∂a (n_out, B) — for the output layer it comes from the loss, for a
//            hidden layer it is (Wˡ⁺¹)ᵀ δˡ⁺¹ handed down by the layer above —
//              δ       = g ⊙ σ'(z)           output layer: δᴸ = ∇ₐC ⊙ σ'(zᴸ)
//                                            hidden layer: δˡ = σ'(zˡ) ⊙ (Wˡ⁺¹)ᵀ δˡ⁺¹
//              ∇_W C   = δ a_prevᵀ           (n_out, n_in), summed over the batch's columns
//              ∇_b C   = δ 1                 (n_out),       summed over the batch's columns
//              ∂C/∂a_prev = Wᵀ δ             (n_in, B), the g of the layer below
// This file is the readable reference path: plain Eigen expressions, no intrinsics
// (dense_forward_reference / dense_backward_reference). dense_forward / dense_backward run the same
// equations through the fast kernels of kernels/kernels.h: one GEMM per product (NN for W a, NT for
// δ aᵀ, TN for Wᵀ δ), the bias and σ fused into one pass over z, and δ = g ⊙ σ'(z) in one pass
// without forming σ'(z). The tests check that both agree.
#pragma once

#include "activations.h"
#include "core.h"
#include "kernels/kernels.h"

namespace ae {

template <typename T>
struct DenseLayer {
  Matrix<T> W;  // (n_out, n_in)
  Vector<T> b;  // (n_out)
  Activation activation = Activation::sigmoid;
  // Tied weights (W' = Wᵀ): when ≥ 0, this layer's W is a copy of layers[tied_to].W transposed,
  // kept in sync by the model (sync_tied_weights); the optimizer updates only the source.
  int tied_to = -1;

  int n_in() const { return int(W.cols()); }
  int n_out() const { return int(W.rows()); }
};

// What the forward pass keeps for the backward pass.
template <typename T>
struct DenseActivations {
  Matrix<T> z;  // (n_out, B)
  Matrix<T> a;  // (n_out, B)
};

template <typename T>
struct DenseGradients {
  Matrix<T> dW;  // (n_out, n_in)  ∇_W C
  Vector<T> db;  // (n_out)        ∇_b C
};

// z = W a_prev + b 1ᵀ ;  a = σ(z)
template <typename T>
void dense_forward_reference(const DenseLayer<T>& layer, const Matrix<T>& a_prev, DenseActivations<T>& out) {
  out.z.resize(layer.n_out(), a_prev.cols());
  out.z.noalias() = layer.W * a_prev;       // W a
  out.z.colwise() += layer.b;               // + b, broadcast over the batch
  activation_forward(layer.activation, out.z, out.a);
}

// Given g = ∂C/∂a (n_out, B), computes δ, ∇_W C, ∇_b C and, if wanted, ∂C/∂a_prev = Wᵀ δ.
// `delta` may be handed in precomputed (the fused sigmoid + cross-entropy output layer, where
// δᴸ = a − t directly): pass delta_is_given = true and g is ignored.
template <typename T>
void dense_backward_reference(const DenseLayer<T>& layer, const Matrix<T>& a_prev, const DenseActivations<T>& act,
                              const Matrix<T>& g, Matrix<T>& delta, bool delta_is_given, DenseGradients<T>& grads,
                              Matrix<T>* g_prev) {
  if (!delta_is_given) {
    // forward: a = σ(z)   ⇒   δ = ∂C/∂z = ∂C/∂a ⊙ σ'(z)
    Matrix<T> dadz;
    activation_derivative(layer.activation, act.z, act.a, dadz);
    delta = g.cwiseProduct(dadz);
  }
  // forward: z = W a_prev + b   ⇒   ∂C/∂W = δ a_prevᵀ,  ∂C/∂b = Σ_columns δ
  grads.dW.resize(layer.n_out(), layer.n_in());
  grads.dW.noalias() = delta * a_prev.transpose();
  grads.db = delta.rowwise().sum();
  // forward: z = W a_prev + b   ⇒   ∂C/∂a_prev = Wᵀ δ  (this is (Wˡ)ᵀ δˡ for the layer below)
  if (g_prev) {
    g_prev->resize(layer.n_in(), delta.cols());
    g_prev->noalias() = layer.W.transpose() * delta;
  }
}

// ---- The same two functions through the fast kernels ---------------------------------------------

// W (n_out, n_in), a_prev (n_in, B), z and a (n_out, B).
template <typename T>
void dense_forward_fast(const DenseLayer<T>& layer, const Matrix<T>& a_prev, DenseActivations<T>& out) {
  using kernels::Trans;
  const int n_out = layer.n_out(), n_in = layer.n_in(), B = int(a_prev.cols());
  if (a_prev.rows() != n_in) throw Error("dense_forward: input has " + std::to_string(a_prev.rows()) + " rows, W has " + std::to_string(n_in) + " columns");
  out.z.resize(n_out, B);
  out.a.resize(n_out, B);
  // z = W a_prev                        (NN: m = n_out, n = B, k = n_in)
  kernels::gemm(Trans::no, Trans::no, n_out, B, n_in, T(1), layer.W.data(), n_out, a_prev.data(), n_in, T(0),
                out.z.data(), n_out);
  // z += b 1ᵀ ;  a = σ(z)               (one pass)
  kernels::bias_activation_forward(layer.activation, n_out, B, out.z.data(), layer.b.data(), out.a.data());
}

template <typename T>
void dense_backward_fast(const DenseLayer<T>& layer, const Matrix<T>& a_prev, const DenseActivations<T>& act,
                         const Matrix<T>& g, Matrix<T>& delta, bool delta_is_given, DenseGradients<T>& grads,
                         Matrix<T>* g_prev) {
  using kernels::Trans;
  const int n_out = layer.n_out(), n_in = layer.n_in(), B = int(a_prev.cols());
  if (!delta_is_given) {
    // δ = g ⊙ σ'(z)                     (one pass, no σ' matrix)
    delta.resize(n_out, B);
    kernels::activation_backward(layer.activation, delta.size(), g.data(), act.z.data(), act.a.data(), delta.data());
  }
  // ∇_W C = δ a_prevᵀ                   (NT: m = n_out, n = n_in, k = B)
  grads.dW.resize(n_out, n_in);
  kernels::gemm(Trans::no, Trans::yes, n_out, n_in, B, T(1), delta.data(), n_out, a_prev.data(), n_in, T(0),
                grads.dW.data(), n_out);
  // ∇_b C = δ 1
  grads.db.resize(n_out);
  kernels::row_sums(n_out, B, delta.data(), grads.db.data());
  // ∂C/∂a_prev = Wᵀ δ                   (TN: m = n_in, n = B, k = n_out)
  if (g_prev) {
    g_prev->resize(n_in, B);
    kernels::gemm(Trans::yes, Trans::no, n_in, B, n_out, T(1), layer.W.data(), n_out, delta.data(), n_out, T(0),
                  g_prev->data(), n_in);
  }
}

// What the engine calls: the fast kernels (the reference only when a benchmark switches them off).
template <typename T>
void dense_forward(const DenseLayer<T>& layer, const Matrix<T>& a_prev, DenseActivations<T>& out) {
  if (kernels::enabled()) dense_forward_fast(layer, a_prev, out);
  else dense_forward_reference(layer, a_prev, out);
}

template <typename T>
void dense_backward(const DenseLayer<T>& layer, const Matrix<T>& a_prev, const DenseActivations<T>& act,
                    const Matrix<T>& g, Matrix<T>& delta, bool delta_is_given, DenseGradients<T>& grads,
                    Matrix<T>* g_prev) {
  if (kernels::enabled()) dense_backward_fast(layer, a_prev, act, g, delta, delta_is_given, grads, g_prev);
  else dense_backward_reference(layer, a_prev, act, g, delta, delta_is_given, grads, g_prev);
}

// Compiled once, for float and double, in dense.cpp (explicit instantiation): a file that calls
// these uses that copy instead of compiling them, and the Eigen code behind them, again.
#define AE_DENSE_INSTANCES(EXTERN, T) \
  EXTERN template void dense_forward_reference<T>(const DenseLayer<T>&, const Matrix<T>&, DenseActivations<T>&); \
  EXTERN template void dense_backward_reference<T>(const DenseLayer<T>&, const Matrix<T>&, \
      const DenseActivations<T>&, const Matrix<T>&, Matrix<T>&, bool, DenseGradients<T>&, Matrix<T>*); \
  EXTERN template void dense_forward_fast<T>(const DenseLayer<T>&, const Matrix<T>&, DenseActivations<T>&); \
  EXTERN template void dense_backward_fast<T>(const DenseLayer<T>&, const Matrix<T>&, const DenseActivations<T>&, \
      const Matrix<T>&, Matrix<T>&, bool, DenseGradients<T>&, Matrix<T>*); \
  EXTERN template void dense_forward<T>(const DenseLayer<T>&, const Matrix<T>&, DenseActivations<T>&); \
  EXTERN template void dense_backward<T>(const DenseLayer<T>&, const Matrix<T>&, const DenseActivations<T>&, \
      const Matrix<T>&, Matrix<T>&, bool, DenseGradients<T>&, Matrix<T>*);
AE_DENSE_INSTANCES(extern, float)
AE_DENSE_INSTANCES(extern, double)

}  // namespace ae
