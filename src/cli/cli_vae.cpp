// aelab train --variant vae (or `aelab vae`) — train a variational autoencoder, report its test
// ELBO, reconstruction and KL terms, save it; optionally draw samples from the prior and the
// decoded 2-D latent grid as PGM images.
#include "cli.h"

#include "ae/vae_trainer.h"

#include <chrono>
#include <cstdio>
#include <fstream>

namespace cli {

namespace {

// Tiles images (n = w·h each, columns of `images`) into a `cols`-wide mosaic, grey levels 0..255.
void write_pgm(const std::string& path, const ae::Matrix<float>& images, int w, int h, int cols) {
  const int count = int(images.cols()), rows = (count + cols - 1) / cols;
  std::vector<unsigned char> pixels(size_t(rows * h) * size_t(cols * w), 0);
  for (int k = 0; k < count; ++k)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const float v = std::clamp(images(y * w + x, k), 0.0f, 1.0f);
        pixels[size_t((k / cols) * h + y) * size_t(cols * w) + size_t((k % cols) * w + x)] = (unsigned char)std::lround(255 * v);
      }
  std::ofstream out(path, std::ios::binary);
  if (!out) throw ae::Error("cannot write " + path);
  out << "P5\n" << cols * w << " " << rows * h << "\n255\n";
  out.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
}

}  // namespace

int run_train_vae(const TrainOptions& o) {
  using namespace ae;
  const TrainTest sets = load_train_test(o);
  const Dataset<float>& train = sets.train;
  const Dataset<float>& test = sets.test;
  VaeArchitecture arch;
  arch.input_size = train.n_features();
  arch.latent_size = o.latent;
  const Activation f = activation_from_name(o.activation);
  arch.encoder_hidden.clear();
  arch.decoder_hidden.clear();
  for (int n : o.layers) arch.encoder_hidden.push_back({n, f});
  for (size_t i = o.layers.size(); i-- > 0;) arch.decoder_hidden.push_back({o.layers[i], f});
  arch.likelihood = vae_likelihood_from_name(o.likelihood);
  if (arch.likelihood == VaeLikelihood::bernoulli && (train.x.minCoeff() < 0.0f || train.x.maxCoeff() > 1.0f))
    throw Error("a Bernoulli decoder needs data in [0, 1] (use --likelihood gaussian)");
  {  // the encoder, both heads (μ and log σ²) and the decoder, as one chain
    std::vector<int> sizes{arch.input_size};
    for (const auto& l : arch.encoder_hidden) sizes.push_back(l.size);
    sizes.push_back(2 * std::min(arch.latent_size, 1 << 20));
    for (const auto& l : arch.decoder_hidden) sizes.push_back(l.size);
    sizes.push_back(arch.input_size);
    require_training_memory(sizes, o.batch_size, train.size(), optimizer_from(o).kind,
                            uint64_t(train.x.size() + test.x.size()) * 2 * sizeof(float));
  }
  Rng init_rng(o.seed);
  VaeTrainer<float> trainer;  // the same minibatch walk and step as the page's VAE scene
  trainer.vae = make_vae<float>(arch, init_rng);
  trainer.config.beta = o.beta;
  trainer.config.decoder_variance = o.decoder_variance;
  trainer.optimizer = optimizer_from(o);
  trainer.batch_size = o.batch_size;
  trainer.data = train.x;
  trainer.rng.reseed(o.seed * 31 + 1);
  trainer.noise_rng.reseed(o.seed * 131 + 7);
  trainer.reset_progress();
  const Vae<float>& vae = trainer.vae;
  const VaeConfig& cfg = trainer.config;
  const OptimizerConfig& opt = trainer.optimizer;

  std::string arch_text = std::to_string(arch.input_size);
  for (int n : o.layers) arch_text += "-" + std::to_string(n);
  arch_text += "-(μ, log σ²: " + std::to_string(o.latent) + ")";
  for (size_t i = o.layers.size(); i-- > 0;) arch_text += "-" + std::to_string(o.layers[i]);
  arch_text += "-" + std::to_string(arch.input_size);
  std::printf("data      %s: %d training samples; %s: %d test samples\n", train.name.c_str(), train.size(), test.name.c_str(), test.size());
  std::printf("model     VAE %s, %s hidden, %s decoder, %lld parameters\n", arch_text.c_str(), activation_name(f),
              vae_likelihood_name(arch.likelihood), vae.net.parameter_count());
  std::printf("training  −ELBO = reconstruction + β KL, β = %g, %s η = %g, batch %d, %d epochs, seed %llu\n", o.beta,
              optimizer_name(opt.kind), o.learning_rate, o.batch_size, o.epochs, (unsigned long long)o.seed);
  std::fflush(stdout);

  const auto t0 = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    double sum_obj = 0, sum_rec = 0, sum_kl = 0;
    long long samples = 0;
    do {
      trainer.step();
      if (!trainer.failure.empty()) {
        std::fprintf(stderr, "aelab: VAE %s\n", trainer.failure.c_str());
        return 1;
      }
      const double count = double(trainer.batch.cols());
      sum_obj += double(trainer.ws.objective) * count;
      sum_rec += double(trainer.ws.reconstruction) * count;
      sum_kl += double(trainer.ws.kl) * count;
      samples += trainer.batch.cols();
    } while (!trainer.batches.epoch_finished());
    const double N = double(samples);
    const double secs = seconds_since(t0);
    std::printf("epoch %3d/%d  train −ELBO(β) %.3f = reconstruction %.3f + β·KL %.3f   %6.1f s\n", epoch, o.epochs, sum_obj / N,
                sum_rec / N, o.beta * sum_kl / N, secs);
    std::fflush(stdout);
  }
  Rng eval_rng(o.seed * 977 + 3);
  const VaeEvaluation e = vae_evaluate(vae, cfg, test.x, eval_rng, o.draws);
  std::printf("test      ELBO %.3f nats per image = −(reconstruction %.3f + KL %.3f)  (%d ε draw%s per image)\n", e.elbo,
              e.reconstruction, e.kl, o.draws, o.draws == 1 ? "" : "s");
  if (!o.save_path.empty()) {
    ModelInfo info;
    info.vae = cfg;
    info.dataset = o.data.spec;
    info.image_width = train.image_width;
    info.image_height = train.image_height;
    save_model(o.save_path, vae, info);
    std::printf("saved     %s\n", o.save_path.c_str());
  }
  const int w_img = train.image_width > 0 ? train.image_width : 0, h_img = train.image_height;
  if (!o.samples_path.empty()) {
    if (w_img == 0) throw Error("--samples needs an image data set");
    Rng sample_rng(o.seed * 13 + 5);
    write_pgm(o.samples_path, vae_sample_prior(vae, 100, sample_rng), w_img, h_img, 10);
    std::printf("samples   %s (100 draws z ~ N(0, I), decoded)\n", o.samples_path.c_str());
  }
  if (!o.grid_path.empty()) {
    if (w_img == 0) throw Error("--grid needs an image data set");
    write_pgm(o.grid_path, vae_latent_grid(vae, o.grid_side, o.grid_extent), w_img, h_img, o.grid_side);
    std::printf("grid      %s (%d × %d latent points in [−%g, %g]², decoded)\n", o.grid_path.c_str(), o.grid_side, o.grid_side,
                o.grid_extent, o.grid_extent);
  }
  return 0;
}

}  // namespace cli
