# cython: language_level=3
"""CPUID probe: which instruction-set extensions the kernels may use on this CPU."""

cdef extern from "_cpu.h":
    unsigned int nocrypto_cpu_probe()

_NAMES = (
    "sse2", "ssse3", "sse4_1", "aesni", "pclmulqdq", "avx", "avx2", "bmi1", "bmi2",
    "adx", "sha_ni", "avx512f", "avx512bw", "vaes", "vpclmulqdq",
)


def probe():
    """Return the frozenset of feature names the CPU and the OS both support."""
    cdef unsigned int bits = nocrypto_cpu_probe()
    return frozenset(name for i, name in enumerate(_NAMES) if bits & (1u << i))
