#include "boplace.h"
int main(void) { return 0; }
