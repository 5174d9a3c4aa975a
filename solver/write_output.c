/* placeholder: being written */
#include "boplace.h"
