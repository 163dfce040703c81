// geometry.cpp — the distances and the k-NN agreement of geometry.h,
// compiled once here for float and double (explicit instantiation; the lists are in the headers).
#include "geometry.h"

namespace ae {

AE_GEOMETRY_INSTANCES(, float)
AE_GEOMETRY_INSTANCES(, double)

}  // namespace ae
