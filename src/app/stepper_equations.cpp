// stepper_equations.cpp — the step-through view's notation and each phase's equation with the real
// numbers plugged in (see stepper.h for the phases). For the unit j the view follows (the selection
// when it is in the phase's layer, else unit 1) and the shown sample:
//   forward_z:     zˡⱼ = Σₖ Wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ
//   forward_a:     aˡⱼ = σ(zˡⱼ)
//   loss:          C = ½ (1/n) Σᵢ (tᵢ − yᵢ)²  or  C = −(1/n) Σᵢ [tᵢ log yᵢ + (1 − tᵢ) log(1 − yᵢ)]
//   output_delta:  δᴸⱼ = ∂C/∂yⱼ · σ'(zᴸⱼ)   (sigmoid + cross-entropy: δᴸⱼ = yⱼ − tⱼ)
//   hidden_delta:  δˡⱼ = σ'(zˡⱼ) · Σₖ Wˡ⁺¹ₖⱼ δˡ⁺¹ₖ
//   gradients:     ∂C/∂Wˡᵢₖ = δˡᵢ aˡ⁻¹ₖ,  ∂C/∂bˡᵢ = δˡᵢ   (checked against a finite difference)
//   update:        Wˡᵢₖ ← Wˡᵢₖ − η ∂C/∂Wˡᵢₖ
// Every number comes from the engine's StepTrace; this file only writes them out.
#include "i18n.h"
#include "stepper_internal.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <iterator>

namespace app::stepper_detail {

// ---- Notation: Wˡⱼₖ with real super- and subscripts, numbers as students copy them ------------

namespace {

std::string digits_in(int n, const char* const (&digits)[10]) {
  std::string out;
  for (char c : std::to_string(n)) out += c == '-' ? "-" : digits[c - '0'];
  return out;
}

}  // namespace

std::string sup(int n) {
  static const char* const digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  static_assert(std::size(digits) == 10);
  return digits_in(n, digits);
}
std::string sub(int n) {
  static const char* const digits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  static_assert(std::size(digits) == 10);
  return digits_in(n, digits);
}
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
std::string factor(double v) { return v < 0 ? "(" + num(v) + ")" : num(v); }
std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string formatted(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list measure;
  va_copy(measure, args);
  const int n = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  std::string out(size_t(std::max(n, 0)), '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, args);
  va_end(args);
  return out;
}

// ---- Activations and the finite-difference check ------------------------------------------------

namespace {

// The layer's σ and σ' as the lecture writes them (words in the piecewise ones are translated).
const char* sigma_formula(ae::Activation f) {
  switch (f) {
    case ae::Activation::linear: return "σ(z) = z";
    case ae::Activation::sigmoid: return "σ(z) = 1 / (1 + e^(−z))";
    case ae::Activation::tanh: return "σ(z) = tanh z";
    case ae::Activation::relu: return "σ(z) = max(0, z)";
    case ae::Activation::leaky_relu: return tr("σ(z) = z if z > 0, else 0.01 z");
    case ae::Activation::softplus: return "σ(z) = log(1 + e^z)";
  }
  return "";
}
const char* sigma_prime_formula(ae::Activation f) {
  switch (f) {
    case ae::Activation::linear: return "σ'(z) = 1";
    case ae::Activation::sigmoid: return "σ'(z) = a(1 − a)";
    case ae::Activation::tanh: return "σ'(z) = 1 − a²";
    case ae::Activation::relu: return tr("σ'(z) = 1 if z > 0, else 0");
    case ae::Activation::leaky_relu: return tr("σ'(z) = 1 if z > 0, else 0.01");
    case ae::Activation::softplus: return "σ'(z) = sigmoid(z)";
  }
  return "";
}

}  // namespace

double sigma_prime(ae::Activation f, double z, double a) {
  ae::Matrix<double> Z(1, 1), A(1, 1), D;
  Z(0, 0) = z;
  A(0, 0) = a;
  ae::activation_derivative(f, Z, A, D);
  return D(0, 0);
}

double finite_difference(const Stepper& s, int l, int i, int k) {
  ae::Autoencoder<double> m = s.model;
  ae::Workspace<double> ws;
  const double h = 1e-6;
  auto C = [&](double w) {
    m.layers[l].W(i, k) = w;
    ae::sync_tied_weights(m);
    ae::forward(m, s.example.input, ws);
    const auto& top = ws.acts.back();
    return ae::loss_value(s.example.config.loss, m.layers.back().activation, top.z, top.a, s.example.target);
  };
  const double w0 = s.model.layers[l].W(i, k);
  return (C(w0 + h) - C(w0 - h)) / (2 * h);
}

// ---- One equation per kind of phase -------------------------------------------------------------
//
// Each takes the phase's engine layer l, its lecture superscripts (L1 = ˡ, Lm = ˡ⁻¹) and the unit j
// the view follows, and fills in an Equation.

namespace {

struct PhaseContext {
  const Stepper& s;
  int l;               // engine layer of the phase; -1 for loss / update
  int j;               // the unit followed
  std::string L1, Lm;  // sup(l + 1), sup(l): the lecture's ˡ and ˡ⁻¹
  std::string J;       // sub(j + 1)
};

// zˡⱼ = Σₖ Wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ, the first 6 terms written out.
Equation forward_z_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const auto& W = s.trace.layers[p.l].W_before;
  const auto& b = s.trace.layers[p.l].b_before;
  Equation e;
  e.general = "z" + p.L1 + p.J + " = Σₖ W" + p.L1 + p.J + "ₖ a" + p.Lm + "ₖ + b" + p.L1 + p.J;
  std::string terms;
  const int n = int(W.cols()), shown = std::min(n, 6);
  for (int k = 0; k < shown; ++k) terms += (k ? " + " : "") + factor(W(p.j, k)) + "·" + factor(a_prev(s, p.l, k));
  if (shown < n) terms += " " + formatted(tr("+ … (%d more)"), n - shown);
  e.numbers = "= " + terms + " + " + factor(b(p.j));
  e.value = s.trace.layers[p.l].z(p.j, s.sample);
  e.result = "= " + num(e.value);
  return e;
}

// aˡⱼ = σ(zˡⱼ), with the layer's σ.
Equation forward_a_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const ae::Activation f = s.model.layers[p.l].activation;
  Equation e;
  e.general = "a" + p.L1 + p.J + " = σ(z" + p.L1 + p.J + "),   " + sigma_formula(f);
  e.numbers = "= σ(" + num(s.trace.layers[p.l].z(p.j, s.sample)) + ")";
  e.value = s.trace.layers[p.l].a(p.j, s.sample);
  e.result = "= " + num(e.value);
  return e;
}

// C over the whole batch; the first 4 terms of the shown sample written out.
Equation loss_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const ae::LossConfig& c = s.example.config.loss;
  const auto& y = s.trace.layers[size_t(n_layers(s) - 1)].a;
  const auto& t = s.trace.target;
  const int n = int(y.rows()), shown = std::min(n, 4);
  Equation e;
  // The reductions' factors: (1/M samples) for a batch mean, (1/n) for a mean over the units.
  std::string scale = c.units == ae::Reduction::mean ? "(1/" + std::to_string(n) + ")" : "";
  if (c.batch == ae::Reduction::mean && y.cols() > 1) scale = formatted(tr("(1/%d samples)"), int(y.cols())) + scale;
  std::string terms;
  if (c.kind == ae::LossKind::squared_error) {
    const char* target = s.example.input == s.example.target ? tr("(t = the target = the input x)") : tr("(t = the target)");
    e.general = std::string("C = ") + (c.half ? "½ " : "") + scale + "Σᵢ (tᵢ − yᵢ)²   " + target;
    for (int i = 0; i < shown; ++i) terms += (i ? " + " : "") + std::string("(") + num(t(i, s.sample)) + " − " + num(y(i, s.sample)) + ")²";
    e.numbers = std::string("= ") + (c.half ? "½" : "") + scale + "[" + terms + (shown < n ? " + …" : "") + "]";
  } else {
    e.general = "C = −" + scale + "Σᵢ [tᵢ log yᵢ + (1 − tᵢ) log(1 − yᵢ)]";
    for (int i = 0; i < shown; ++i)
      terms += (i ? " + " : "") + num(t(i, s.sample)) + "·log " + num(y(i, s.sample)) + " + " + num(1 - t(i, s.sample)) +
               "·log " + num(1 - y(i, s.sample));
    e.numbers = "= −" + scale + "[" + terms + (shown < n ? " + …" : "") + "]";
  }
  if (y.cols() > 1) e.note = formatted(tr("The batch has %d samples; the terms shown are sample %d's."), int(y.cols()), s.sample + 1);
  e.value = s.trace.loss;
  e.result = "= " + num(e.value);
  return e;
}

// δᴸⱼ = ∂C/∂yⱼ · σ'(zᴸⱼ); with sigmoid + cross-entropy σ' cancels and δᴸⱼ = yⱼ − tⱼ.
Equation output_delta_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const int l = p.l, j = p.j;
  const std::string& L1 = p.L1;
  const std::string& J = p.J;
  const ae::Activation f = s.model.layers[l].activation;
  const double y = s.trace.layers[l].a(j, s.sample), z = s.trace.layers[l].z(j, s.sample), t = s.trace.target(j, s.sample);
  Equation e;
  e.value = s.trace.layers[l].delta(j, s.sample);
  if (ae::loss_fuses_with(s.example.config.loss, f)) {
    e.general = "δ" + L1 + J + " = ∂C/∂z" + L1 + J + " = y" + J + " − t" + J + "   " + tr("(sigmoid + cross-entropy: σ' cancels)");
    e.numbers = "= " + num(y) + " − " + num(t) + (e.value != y - t ? std::string("   ") + tr("(× the reduction's scale)") : "");
  } else {
    const double sp = sigma_prime(f, z, y);
    const double dCdy = sp != 0 ? e.value / sp : 0;
    e.general = "δ" + L1 + J + " = ∂C/∂y" + J + " · σ'(z" + L1 + J + "),   " + sigma_prime_formula(f);
    e.numbers = "= " + factor(dCdy) + " · " + factor(sp);
    if (s.example.config.loss.kind == ae::LossKind::squared_error) {
      const bool half = s.example.config.loss.half;
      e.note = std::string("∂C/∂y") + J + " = " + (half ? "" : "2") + "(y" + J + " − t" + J + ") = " + (half ? "" : "2·") + "(" +
               num(y) + " − " + num(t) + ")";
    }
  }
  e.result = "= " + num(e.value);
  return e;
}

// δˡⱼ = σ'(zˡⱼ) · Σₖ Wˡ⁺¹ₖⱼ δˡ⁺¹ₖ, the first 5 terms written out.
Equation hidden_delta_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const int l = p.l, j = p.j;
  const ae::Activation f = s.model.layers[l].activation;
  const double a = s.trace.layers[l].a(j, s.sample), z = s.trace.layers[l].z(j, s.sample);
  const double sp = sigma_prime(f, z, a);
  const auto& W_next = s.trace.layers[l + 1].W_before;
  const auto& delta_next = s.trace.layers[l + 1].delta;
  Equation e;
  e.general = "δ" + p.L1 + p.J + " = σ'(z" + p.L1 + p.J + ") · Σₖ W" + sup(l + 2) + "ₖ" + p.J + " δ" + sup(l + 2) + "ₖ,   " +
              sigma_prime_formula(f);
  std::string terms;
  const int n = int(W_next.rows()), shown = std::min(n, 5);
  for (int k = 0; k < shown; ++k) terms += (k ? " + " : "") + factor(W_next(k, j)) + "·" + factor(delta_next(k, s.sample));
  if (shown < n) terms += " + …";
  e.numbers = "= " + factor(sp) + " · [" + terms + "]";
  e.value = s.trace.layers[l].delta(j, s.sample);
  e.result = "= " + num(e.value);
  return e;
}

// ∂C/∂Wˡᵢₖ = δˡᵢ aˡ⁻¹ₖ (summed over the batch), ∂C/∂bˡᵢ = δˡᵢ, for the selected weight (else W¹ⱼ₁),
// checked against the finite difference.
Equation gradients_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const int l = p.l;
  const bool weight_here = s.weight_selected && s.sel_layer == l;
  const int i = weight_here ? s.sel_unit : p.j;
  const int k = weight_here ? s.sel_input : 0;
  const std::string I = sub(i + 1), K = sub(k + 1);
  const int B = int(s.trace.input.cols());
  Equation e;
  e.general = "∂C/∂W" + p.L1 + I + K + " = δ" + p.L1 + I + " · a" + p.Lm + K +
              (B > 1 ? std::string("   ") + tr("(summed over the batch)") : "") + ",     ∂C/∂b" + p.L1 + I + " = δ" + p.L1 + I;
  e.numbers = "= " + factor(s.trace.layers[l].delta(i, s.sample)) + " · " + factor(a_prev(s, l, k)) +
              (B > 1 ? std::string("  ") + tr("+ the other samples' terms") : "");
  e.value = s.trace.layers[l].dW(i, k);
  e.result = "= " + num(e.value) + "      ∂C/∂b" + p.L1 + I + " = " + num(s.trace.layers[l].db(i));
  if (s.model.layers[l].tied_to >= 0) {
    e.note = formatted(tr("Tied layer: this use's gradient is added (transposed) to layer %d's W."), s.model.layers[l].tied_to + 1);
  } else {
    const double fd = finite_difference(s, l, i, k);
    e.note = formatted(tr("Check: the finite difference (C(W + h) − C(W − h)) / 2h, h = 10⁻⁶, gives %s  (backprop: %s)"),
                       num(fd).c_str(), num(e.value).c_str());
  }
  return e;
}

// W ← W − η ∂C/∂W for the selected weight (else the output layer's W₁₁); other optimizers and tied
// layers show the before and after only.
Equation update_equation(const PhaseContext& p) {
  const Stepper& s = p.s;
  const int ul = s.weight_selected ? s.sel_layer : n_layers(s) - 1;
  const int i = s.weight_selected ? s.sel_unit : 0, k = s.weight_selected ? s.sel_input : 0;
  const ae::OptimizerConfig& optimizer = s.example.config.optimizer;
  const double eta = optimizer.learning_rate;
  const auto& lt = s.trace.layers[size_t(ul)];
  const std::string W = "W" + sup(ul + 1) + sub(i + 1) + sub(k + 1);
  Equation e;
  if (optimizer.kind == ae::OptimizerKind::sgd && s.model.layers[size_t(ul)].tied_to < 0) {
    e.general = W + " ← " + W + " − η ∂C/∂" + W + ",   η = " + num(eta);
    e.numbers = "= " + num(lt.W_before(i, k)) + " − " + num(eta) + " · " + factor(lt.dW(i, k));
  } else {
    e.general = formatted(tr("%s ← the %s update of %s"), W.c_str(), ae::optimizer_name(optimizer.kind), W.c_str());
    e.numbers = formatted(tr("from %s"), num(lt.W_before(i, k)).c_str());
  }
  e.value = lt.W_after(i, k);
  e.result = "= " + num(e.value);
  e.note = optimizer.update_biases ? tr("Every weight and bias moves against its gradient at once.")
                                   : tr("The biases are frozen in this example.");
  return e;
}

}  // namespace

Equation phase_equation(const Stepper& s) {
  if (s.phase < 0) {
    Equation e;
    e.general = tr("Press → (or Next) to start the forward pass.");
    return e;
  }
  const Phase& phase = s.phases[size_t(s.phase)];
  const int l = phase.layer;
  // The unit the scalar view follows: the selection when it is in this layer, else unit 1.
  const int j = (l >= 0 && s.sel_layer == l) ? std::min(s.sel_unit, int(s.trace.layers[size_t(l)].z.rows()) - 1) : 0;
  const PhaseContext p{s, l, j, l >= 0 ? sup(l + 1) : "", l >= 0 ? sup(l) : "", sub(j + 1)};
  switch (phase.kind) {
    case PhaseKind::forward_z: return forward_z_equation(p);
    case PhaseKind::forward_a: return forward_a_equation(p);
    case PhaseKind::loss: return loss_equation(p);
    case PhaseKind::output_delta: return output_delta_equation(p);
    case PhaseKind::hidden_delta: return hidden_delta_equation(p);
    case PhaseKind::gradients: return gradients_equation(p);
    case PhaseKind::update: return update_equation(p);
  }
  return Equation{};
}

}  // namespace app::stepper_detail
