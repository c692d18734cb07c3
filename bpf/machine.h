/* SPDX-License-Identifier: GPL-2.0 */
/* Was the traced machine's CPU emulated (QEMU's TCG) or real (bare metal,
 * KVM and other hardware-assisted hypervisors)?  Asked of the CPU itself,
 * at trace time, and carried in the recording and the JSON end object so
 * that durations can be read for what they are. */
#ifndef MACHINE_H
#define MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 0 is "unknown" so that a recording made before this was noted (or a
 * zeroed context) never reads as native. */
enum dt_emul { DT_EMUL_UNKNOWN, DT_EMUL_NO, DT_EMUL_YES };

#define DT_ACCEL_LEN 16

/*
 * From CPUID: @hv_bit is leaf 1's ECX bit 31 ("running under a
 * hypervisor"), @sig the 12-byte vendor signature of leaf 0x40000000.
 * Writes the accelerator's short name ("tcg", "kvm", "none" on bare metal,
 * "unknown") to @accel and returns enum dt_emul.
 */
int dt_machine_classify(bool hv_bit, const char sig[12], char *accel, size_t len);
/* The same for the CPU this runs on (unknown off x86). */
int dt_machine_detect(char *accel, size_t len);
/* "true", "false" or "null", for JSON. */
const char *dt_emul_json(int emulated);
/* One phrase for a report: "emulated (QEMU TCG)", "not emulated (kvm)",
 * "emulation unknown". */
const char *dt_emul_phrase(int emulated, const char *accel, char *buf, size_t len);

#endif
