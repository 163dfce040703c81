// dense.cpp — the layer, its activations and the losses of dense.h, activations.h and loss.h,
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "activations.h"
#include "dense.h"
#include "loss.h"

namespace ae {

AE_ACTIVATIONS_INSTANCES(, float)
AE_ACTIVATIONS_INSTANCES(, double)
AE_LOSS_INSTANCES(, float)
AE_LOSS_INSTANCES(, double)
AE_DENSE_INSTANCES(, float)
AE_DENSE_INSTANCES(, double)

}  // namespace ae
