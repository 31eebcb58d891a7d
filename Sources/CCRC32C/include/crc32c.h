#ifndef SLUICE_CRC32C_H
#define SLUICE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Extends a CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over `length` bytes.
/// Start with crc = 0; the pre- and post-conditioning (~crc) happens inside, so calls chain:
/// sluice_crc32c(sluice_crc32c(0, a, n), b, m) == crc of a||b. Thread-safe.
uint32_t sluice_crc32c(uint32_t crc, const void *data, size_t length);

/// Which implementation `sluice_crc32c` uses for long inputs, for benchmark output.
const char *sluice_crc32c_implementation(void);

/// The crc32-instruction path alone (the portable one without the instruction), so tests can check the folding
/// path, which long inputs take where the CPU has it, against it.
uint32_t sluice_crc32c_instruction(uint32_t crc, const void *data, size_t length);

/// The portable slicing-by-8 implementation, exposed so tests can check it against the hardware path.
uint32_t sluice_crc32c_portable(uint32_t crc, const void *data, size_t length);

#endif
