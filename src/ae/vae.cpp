// vae.cpp — the variational autoencoder of vae.h and its VaeTrainer,
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "vae.h"
#include "vae_trainer.h"

namespace ae {

AE_VAE_INSTANCES(, float)
AE_VAE_INSTANCES(, double)
AE_VAE_TRAINER_INSTANCES(, float)
AE_VAE_TRAINER_INSTANCES(, double)

}  // namespace ae
