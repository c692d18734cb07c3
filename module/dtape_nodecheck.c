// SPDX-License-Identifier: GPL-2.0
/* dtape_nodecheck.c - at load, warn when a /dev path is not dtape's node. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/stat.h>

#include "dtape.h"

static const char *dtape_node_kind(umode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISCHR(mode))
		return "a character device of another driver";
	if (S_ISBLK(mode))
		return "a block device";
	return "a FIFO or socket";
}

/*
 * devtmpfs never replaces what it finds at a node's path, and says
 * nothing: after "tar -cf /dev/ndtape0" without dtape loaded, the regular
 * file stays, and mt fails with ENOTTY until someone removes it. By the
 * time device_create() returns, devtmpfs has made the node or given up.
 * No node at all is not an error: /dev may be managed by someone else.
 */
void dtape_check_node(struct device *dev)
{
	struct inode *inode;
	struct path path;
	char *name;

	name = kasprintf(GFP_KERNEL, "/dev/%s", dev_name(dev));
	if (!name)
		return;
	/* The path itself, not where a symbolic link there points. */
	if (!kern_path(name, 0, &path)) {
		inode = d_inode(path.dentry);
		if (!S_ISCHR(inode->i_mode) || inode->i_rdev != dev->devt)
			pr_warn("%s is %s, not the dtape device: remove it (rm %s) and reload dtape\n",
				name, dtape_node_kind(inode->i_mode), name);
		path_put(&path);
	}
	kfree(name);
}
