// CRC-32C for RecordBatch v2 (Kafka's DefaultRecordBatch checksums attributes..end with Castagnoli).
// Hardware path: SSE4.2 `crc32` on x86-64, the ARMv8 CRC extension on aarch64, chosen once at load time; long
// inputs run as three interleaved chains (see crc_three_blocks).
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

static int use_hw;

__attribute__((constructor)) static void crc32c_init(void) {
    build_tables();
    build_shift_tables();
    use_hw = cpu_has_hw();
}

uint32_t sluice_crc32c(uint32_t crc, const void *data, size_t length) {
    return use_hw ? crc32c_hw(crc, data, length) : sluice_crc32c_portable(crc, data, length);
}

int sluice_crc32c_is_hardware(void) { return use_hw; }
