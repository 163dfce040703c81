// autoencoder.cpp — the model, its optimizer and corruption (autoencoder.h, optimizer.h, corruption.h),
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "autoencoder.h"
#include "corruption.h"
#include "optimizer.h"

namespace ae {

AE_AUTOENCODER_INSTANCES(, float)
AE_AUTOENCODER_INSTANCES(, double)
AE_OPTIMIZER_INSTANCES(, float)
AE_OPTIMIZER_INSTANCES(, double)
AE_CORRUPTION_INSTANCES(, float)
AE_CORRUPTION_INSTANCES(, double)

}  // namespace ae
