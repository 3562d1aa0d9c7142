// glibc's allocator tuning (mallopt); absent elsewhere.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
