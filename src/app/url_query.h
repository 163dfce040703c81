// url_query.h — reading the page's link (?lesson=spiral&seed=7&scale=1.5&theme=light) into the
// values it asks for, checked one by one. No App and no ImGui here: the page applies the request
// (url_state.cpp), and the fuzzer and the tests read links without a window.
//
// A link is outside input: every value is range-checked, and a value that is out of range, of the
// wrong kind or unknown is refused with a message naming its key, the rest of the link still applies.
#pragma once
#include "ae/activations.h"
#include "ae/autoencoder.h"
#include "ae/corruption.h"
#include "ae/loss.h"
#include "ae/optimizer.h"

#include <optional>
#include <string>
#include <vector>

namespace app {

struct UrlRequest {
  int lesson = -1;         // index into built_in_lessons(), or -1 when the link names none
  long legacy_number = 0;  // > 0: the lesson was named by its place in the old menu (said on screen)
  int language = -1;       // a Language, or -1
  long seed = -1;          // 0 … 2^30, or -1
  double scale = 0;        // UI scale 0.75 … 2.5, or 0
  int variant = -1;        // a Variant, or -1
  double corruption = -1;  // corruption level 0 … 1, or -1
  std::string theme;       // "dark", "light" or ""
  // The training panel's settings, applied to the scene the link opens over the lesson's own; each
  // empty when the link does not name it. Keys: ckind (none, masking, gaussian, salt_and_pepper),
  // l1 (λ), kl (β of the KL term), rho (ρ), k, cae (contractive λ), cae_sigma (its probe σ),
  // beta (the VAE's β), lr (η), opt (sgd, momentum, adam), batch (M), loss (mse, bce, gaussian),
  // sigma (s of the Gaussian decoder), arch (the encoder: "128relu-2linear", hidden layers then the
  // code), out (the output activation), tied (1 or 0).
  std::optional<ae::CorruptionKind> corruption_kind;
  std::optional<double> l1, kl, rho, cae, cae_sigma, beta;
  std::optional<float> lr, sigma;
  std::optional<int> k, batch;
  std::optional<ae::OptimizerKind> optimizer;
  std::optional<ae::LossKind> loss;
  std::optional<std::vector<ae::LayerSpec>> arch;
  std::optional<ae::Activation> output;
  std::optional<bool> tied;
  // The toy view's reconstruction field and Jacobian directions (field, jacobian: 1 or 0), and the
  // step-through view's phase (0-based, within the first step).
  std::optional<bool> field, jacobian;
  std::optional<int> phase;
  int presenter = -1;      // presenter mode: 1 on, 0 off, -1 not named
  int caption = -1;        // presenter mode's caption (the lesson's text): 1, 0 or -1
  std::string problems;    // "key=value ignored: why; …" for every refused value ("" when none)
};

// Reads one query string (without '?'; '+' already turned into spaces). Never throws.
UrlRequest read_url_query(const std::string& query);
// "128relu-2linear" for the encoder's hidden layers and then its code (the link's arch=).
std::string arch_key(const std::vector<ae::LayerSpec>& encoder_then_code);

}  // namespace app
