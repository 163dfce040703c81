// trainer.cpp — the training step and the Trainer of trainer.h,
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "trainer.h"

namespace ae {

AE_TRAINER_INSTANCES(, float)
AE_TRAINER_INSTANCES(, double)

}  // namespace ae
