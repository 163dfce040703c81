// toy_data.cpp — the toy data sets of toy_data.h,
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "toy_data.h"

namespace ae {

AE_TOY_DATA_INSTANCES(, float)
AE_TOY_DATA_INSTANCES(, double)

}  // namespace ae
