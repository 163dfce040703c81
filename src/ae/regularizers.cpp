// regularizers.cpp — regularizers.h's templates, compiled once here for float and double (explicit
// instantiation; the list is in regularizers.h). The Jacobian's SVD is in decompositions.cpp.
#include "regularizers.h"

namespace ae {

AE_REGULARIZERS_INSTANCES(, float)
AE_REGULARIZERS_INSTANCES(, double)

}  // namespace ae
