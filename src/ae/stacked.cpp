// stacked.cpp — layer-wise pretraining and the classifier of stacked.h,
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "stacked.h"

namespace ae {

AE_STACKED_INSTANCES(, float)
AE_STACKED_INSTANCES(, double)

}  // namespace ae
