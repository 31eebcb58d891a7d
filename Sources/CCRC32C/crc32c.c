// CRC-32C for RecordBatch v2 (Kafka's DefaultRecordBatch checksums attributes..end with Castagnoli).
// Hardware path: SSE4.2 `crc32` on x86-64, the ARMv8 CRC extension on aarch64, chosen once at load time; long
// inputs run as three interleaved chains (see crc_three_blocks). On x86-64 CPUs with AVX-512 and VPCLMULQDQ, inputs
// of 256 bytes and more are folded with carry-less multiplication instead (see crc32c_fold), about three times as
// fast again; the instruction finishes what is left.
// Fallback: slicing-by-8 tables built at load time.
#include "crc32c.h"
#include <string.h>

#define POLY 0x82F63B78u

static uint32_t table[8][256];

static void build_tables(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
        table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = table[0][n];
        for (int s = 1; s < 8; s++) {
            c = table[0][c & 0xff] ^ (c >> 8);
            table[s][n] = c;
        }
    }
}

uint32_t sluice_crc32c_portable(uint32_t crc, const void *data, size_t length) {
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    while (length && ((uintptr_t)p & 7)) {
        crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
        length--;
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);  // little-endian hosts only (x86-64, aarch64)
        word ^= crc;
        crc = table[7][word & 0xff] ^ table[6][(word >> 8) & 0xff] ^ table[5][(word >> 16) & 0xff] ^
              table[4][(word >> 24) & 0xff] ^ table[3][(word >> 32) & 0xff] ^ table[2][(word >> 40) & 0xff] ^
              table[1][(word >> 48) & 0xff] ^ table[0][word >> 56];
        p += 8;
        length -= 8;
    }
    while (length--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

// The hardware instruction has a latency of about three cycles but a throughput of one per cycle, so one dependent
// chain uses a third of it. Long inputs are cut into three equal blocks whose CRCs run as three independent chains
// and are then joined. CRC is linear over GF(2): for raw (unconditioned) states, crc(c, X||Y) = shift_n(crc(c, X))
// ^ crc(0, Y), where n = |Y| and shift_n(c) = crc(c, n zero bytes). shift_n is linear in c, so it is four lookups in
// tables built once from the 32 single-bit states.
#define BLOCK_LONG 2048
#define BLOCK_SHORT 256

typedef struct { uint32_t t[4][256]; } shift_table;
static shift_table shift_long, shift_short;

static inline uint32_t shift(const shift_table *s, uint32_t c) {
    return s->t[0][c & 0xff] ^ s->t[1][(c >> 8) & 0xff] ^ s->t[2][(c >> 16) & 0xff] ^ s->t[3][c >> 24];
}

// Fills `s` from the shifted single-bit states: shift(c) is the XOR of basis[bit] over the bits set in c.
static void fill_shift_table(shift_table *s, const uint32_t basis[32]) {
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t v = 0;
            for (int bit = 0; bit < 8; bit++)
                if (b & (1u << bit)) v ^= basis[8 * k + bit];
            s->t[k][b] = v;
        }
    }
}

// BLOCK_SHORT zero bytes bit by bit; BLOCK_LONG as BLOCK_LONG / BLOCK_SHORT applications of that.
static void build_shift_tables(void) {
    uint32_t basis[32];
    for (int bit = 0; bit < 32; bit++) {
        uint32_t c = 1u << bit;
        for (int i = 0; i < BLOCK_SHORT * 8; i++) c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
        basis[bit] = c;
    }
    fill_shift_table(&shift_short, basis);
    for (int bit = 0; bit < 32; bit++) {
        uint32_t c = 1u << bit;
        for (int i = 0; i < BLOCK_LONG / BLOCK_SHORT; i++) c = shift(&shift_short, c);
        basis[bit] = c;
    }
    fill_shift_table(&shift_long, basis);
}

#if defined(__x86_64__)
#include <cpuid.h>
#define CRC_TARGET __attribute__((target("sse4.2")))
#define CRC_BYTE(c, b) __builtin_ia32_crc32qi((uint32_t)(c), (b))
#define CRC_WORD(c, w) ((uint32_t)__builtin_ia32_crc32di((c), (w)))
static int cpu_has_hw(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) != 0;
}
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#include <asm/hwcap.h>
#include <arm_acle.h>
#define CRC_TARGET __attribute__((target("crc")))
#define CRC_BYTE(c, b) __crc32cb((c), (b))
#define CRC_WORD(c, w) __crc32cd((c), (w))
static int cpu_has_hw(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }
#endif

#if defined(CRC_TARGET)
static inline uint64_t load64(const uint8_t *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

// Three chains over consecutive `block`-byte blocks, joined into `c`; returns the new state.
CRC_TARGET static inline uint32_t crc_three_blocks(uint32_t c, const uint8_t *p, size_t block, const shift_table *s) {
    uint32_t c1 = 0, c2 = 0;
    for (size_t i = 0; i < block; i += 8) {
        c = CRC_WORD(c, load64(p + i));
        c1 = CRC_WORD(c1, load64(p + block + i));
        c2 = CRC_WORD(c2, load64(p + 2 * block + i));
    }
    return shift(s, shift(s, c) ^ c1) ^ c2;
}

CRC_TARGET static uint32_t crc32c_hw(uint32_t crc, const void *data, size_t length) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    while (length && ((uintptr_t)p & 7)) { c = CRC_BYTE(c, *p++); length--; }
    while (length >= 3 * BLOCK_LONG) {
        c = crc_three_blocks(c, p, BLOCK_LONG, &shift_long);
        p += 3 * BLOCK_LONG; length -= 3 * BLOCK_LONG;
    }
    while (length >= 3 * BLOCK_SHORT) {
        c = crc_three_blocks(c, p, BLOCK_SHORT, &shift_short);
        p += 3 * BLOCK_SHORT; length -= 3 * BLOCK_SHORT;
    }
    while (length >= 8) { c = CRC_WORD(c, load64(p)); p += 8; length -= 8; }
    while (length--) c = CRC_BYTE(c, *p++);
    return ~c;
}
#else
static uint32_t crc32c_hw(uint32_t crc, const void *data, size_t length) {
    return sluice_crc32c_portable(crc, data, length);
}
static int cpu_has_hw(void) { return 0; }
#endif

// MARK: - Folding with carry-less multiplication (x86-64 with AVX-512 and VPCLMULQDQ)
//
// The message is a polynomial over GF(2); a reflected CRC reads each 16-byte block least significant bit first, so
// bit k of a block loaded into a 128-bit lane is the coefficient of x^(127-k), times x to the power of the bits that
// follow the block. A block A that lies D bits before a block B contributes A(x)·x^D, which is congruent mod P to a
// polynomial of degree < 96 and can be added to B: with A = lo(x)·x^64 + hi(x),
//     A·x^D ≡ lo·(x^(D+64) mod P) + hi·(x^D mod P).
// A carry-less multiply of two 64-bit lanes whose bit i stands for x^(63-i) puts the coefficient of x^(126-k) in bit
// k, one degree short of the lane layout above, so the constants carry one power of x less: x^(D+63) and x^(D-1).
// Folding every lane forward keeps the whole message congruent to its last 16 bytes, whose CRC (from state 0) the
// crc32 instruction computes; the initial state is XORed into the first four bytes, as a CRC's conditioning is.
#if defined(__x86_64__)
#include <immintrin.h>
#define FOLD_TARGET __attribute__((target("avx512f,vpclmulqdq,pclmul,sse4.2")))

// x^n mod P with bit i standing for x^(63-i) (the reflected 32-bit remainder in the high half).
static uint64_t xpow_mod(unsigned n) {
    uint32_t c = 0x80000000u;  // x^0, reflected
    for (unsigned i = 0; i < n; i++) c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
    return (uint64_t)c << 32;
}

// Multiplier pairs (low lane half: x^(D+63), high half: x^(D-1)) for folding forward by D bits.
static uint64_t fold_2048[2], fold_512[2], fold_384[2], fold_256[2], fold_128[2];

static void build_fold_constants(void) {
    uint64_t *pairs[] = {fold_2048, fold_512, fold_384, fold_256, fold_128};
    unsigned distances[] = {2048, 512, 384, 256, 128};
    for (int i = 0; i < 5; i++) {
        pairs[i][0] = xpow_mod(distances[i] + 63);
        pairs[i][1] = xpow_mod(distances[i] - 1);
    }
}

static int cpu_has_fold(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ecx & bit_SSE4_2) || !(ecx & bit_PCLMUL) || !(ecx & bit_OSXSAVE)) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ebx & bit_AVX512F) || !(ecx & bit_VPCLMULQDQ)) return 0;
    // The operating system must save the AVX-512 state: XCR0's SSE, AVX, opmask and both ZMM halves.
    uint32_t xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    return (xcr0_lo & 0xE6) == 0xE6;
}

FOLD_TARGET static inline __m512i fold512(__m512i x, __m512i k, __m512i data) {
    // The XOR of both products and the data in one instruction (truth table 0x96: a ^ b ^ c).
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(x, k, 0x00), _mm512_clmulepi64_epi128(x, k, 0x11), data, 0x96);
}

FOLD_TARGET static inline __m128i fold128(__m128i x, const uint64_t k[2]) {
    __m128i kk = _mm_set_epi64x((long long)k[1], (long long)k[0]);
    return _mm_xor_si128(_mm_clmulepi64_si128(x, kk, 0x00), _mm_clmulepi64_si128(x, kk, 0x11));
}

// Requires length >= 256.
FOLD_TARGET static uint32_t crc32c_fold(uint32_t crc, const void *data, size_t length) {
    const uint8_t *p = (const uint8_t *)data;
    __m512i x0 = _mm512_loadu_si512((const void *)p);
    __m512i x1 = _mm512_loadu_si512((const void *)(p + 64));
    __m512i x2 = _mm512_loadu_si512((const void *)(p + 128));
    __m512i x3 = _mm512_loadu_si512((const void *)(p + 192));
    // Zero-extended: a plain cast leaves the upper 384 bits undefined (garbage at -O0).
    x0 = _mm512_xor_si512(x0, _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)~crc)));
    p += 256; length -= 256;
    const __m512i k2048 = _mm512_broadcast_i32x4(_mm_set_epi64x((long long)fold_2048[1], (long long)fold_2048[0]));
    while (length >= 256) {
        x0 = fold512(x0, k2048, _mm512_loadu_si512((const void *)p));
        x1 = fold512(x1, k2048, _mm512_loadu_si512((const void *)(p + 64)));
        x2 = fold512(x2, k2048, _mm512_loadu_si512((const void *)(p + 128)));
        x3 = fold512(x3, k2048, _mm512_loadu_si512((const void *)(p + 192)));
        p += 256; length -= 256;
    }
    const __m512i k512 = _mm512_broadcast_i32x4(_mm_set_epi64x((long long)fold_512[1], (long long)fold_512[0]));
    __m512i x = fold512(x0, k512, x1);
    x = fold512(x, k512, x2);
    x = fold512(x, k512, x3);
    while (length >= 64) {
        x = fold512(x, k512, _mm512_loadu_si512((const void *)p));
        p += 64; length -= 64;
    }
    // The four lanes into the last: 48, 32 and 16 bytes ahead of its end.
    __m128i v = _mm512_extracti32x4_epi32(x, 3);
    v = _mm_xor_si128(v, fold128(_mm512_extracti32x4_epi32(x, 0), fold_384));
    v = _mm_xor_si128(v, fold128(_mm512_extracti32x4_epi32(x, 1), fold_256));
    v = _mm_xor_si128(v, fold128(_mm512_extracti32x4_epi32(x, 2), fold_128));
    uint32_t c = (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(v));
    c = (uint32_t)_mm_crc32_u64(c, (uint64_t)_mm_extract_epi64(v, 1));
    while (length >= 8) { c = (uint32_t)_mm_crc32_u64(c, load64(p)); p += 8; length -= 8; }
    while (length--) c = _mm_crc32_u8(c, *p++);
    return ~c;
}
#else
static void build_fold_constants(void) {}
static int cpu_has_fold(void) { return 0; }
static uint32_t crc32c_fold(uint32_t crc, const void *data, size_t length) { return crc32c_hw(crc, data, length); }
#endif

static int use_hw, use_fold;

__attribute__((constructor)) static void crc32c_init(void) {
    build_tables();
    build_shift_tables();
    build_fold_constants();
    use_hw = cpu_has_hw();
    use_fold = use_hw && cpu_has_fold();
}

uint32_t sluice_crc32c(uint32_t crc, const void *data, size_t length) {
    if (use_fold && length >= 256) return crc32c_fold(crc, data, length);
    return use_hw ? crc32c_hw(crc, data, length) : sluice_crc32c_portable(crc, data, length);
}

const char *sluice_crc32c_implementation(void) {
#if defined(__x86_64__)
    return use_fold ? "AVX-512 VPCLMULQDQ folding + SSE4.2" : use_hw ? "SSE4.2" : "table";
#else
    return use_hw ? "ARMv8 CRC" : "table";
#endif
}

uint32_t sluice_crc32c_instruction(uint32_t crc, const void *data, size_t length) {
    return use_hw ? crc32c_hw(crc, data, length) : sluice_crc32c_portable(crc, data, length);
}
