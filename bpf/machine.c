// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated or not, from CPUID's hypervisor leaf (0x40000000).  QEMU's TCG
 * answers "TCGTCGTCGTCG" (seen in the lab VM: -accel tcg -cpu max), KVM
 * "KVMKVMKVM"; bare metal clears leaf 1's hypervisor bit.  The guest's
 * own CPU says it, so nothing depends on how the VM was started.
 */
#include <stdio.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "machine.h"

static const struct {
	char sig[13];
	const char *accel;
	int emulated;
} known[] = {
	{ "TCGTCGTCGTCG", "tcg", DT_EMUL_YES },
	{ "KVMKVMKVM\0\0\0", "kvm", DT_EMUL_NO },
	{ "Microsoft Hv", "hyperv", DT_EMUL_NO },
	{ "VMwareVMware", "vmware", DT_EMUL_NO },
	{ "XenVMMXenVMM", "xen", DT_EMUL_NO },
	{ "VBoxVBoxVBox", "virtualbox", DT_EMUL_NO },
	{ "bhyve bhyve ", "bhyve", DT_EMUL_NO },
};

int dt_machine_classify(bool hv_bit, const char sig[12], char *accel, size_t len)
{
	if (!hv_bit) {
		snprintf(accel, len, "none");
		return DT_EMUL_NO;
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!memcmp(sig, known[i].sig, 12)) {
			snprintf(accel, len, "%s", known[i].accel);
			return known[i].emulated;
		}
	/* a hypervisor that hides itself, or one not in the table */
	snprintf(accel, len, "unknown");
	return DT_EMUL_UNKNOWN;
}

int dt_machine_detect(char *accel, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;
	char sig[12];
	bool hv;

	if (!__get_cpuid(1, &a, &b, &c, &d)) {
		snprintf(accel, len, "unknown");
		return DT_EMUL_UNKNOWN;
	}
	hv = (c >> 31) & 1;
	memset(sig, 0, sizeof(sig));
	if (hv) {
		/* beyond the basic leaves: __get_cpuid() would refuse it */
		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
	}
	return dt_machine_classify(hv, sig, accel, len);
#else
	snprintf(accel, len, "unknown");
	return DT_EMUL_UNKNOWN;
#endif
}

const char *dt_emul_json(int emulated)
{
	return emulated == DT_EMUL_YES ? "true" : emulated == DT_EMUL_NO ? "false" : "null";
}

const char *dt_emul_phrase(int emulated, const char *accel, char *buf, size_t len)
{
	if (emulated == DT_EMUL_YES)
		snprintf(buf, len, "emulated (QEMU %s)", !strcmp(accel, "tcg") ? "TCG" : accel);
	else if (emulated == DT_EMUL_NO)
		snprintf(buf, len, "not emulated (%s)", !strcmp(accel, "none") ? "bare metal" : accel);
	else
		snprintf(buf, len, "emulation unknown");
	return buf;
}
