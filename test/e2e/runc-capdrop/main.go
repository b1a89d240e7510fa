// runc-capdrop is an OCI runtime for the kind e2e test's own dockerd
// (test/e2e/kind-docker.sh), registered with --add-runtime and made its default.
//
// Docker 20.10 gives a --privileged container every capability the kernel
// knows. Where the daemon's root lacks some of them in its bounding set (this
// VM's root has no CAP_SYS_RESOURCE), runc then fails with "unable to apply
// caps: operation not permitted", and kind cannot start a node. Docker 23+
// limits the set to what it holds itself (moby#42933); this does the same in
// front of runc: for `create` and `run` it removes from the bundle's
// config.json, and for `exec` from the --process file, every capability that
// is not in this process's bounding set, then execs the real runc with the
// arguments unchanged. Nothing else is touched; a spec it cannot read is left
// as it is, for runc to report.
//
// The real runc is RUNC_CAPDROP_RUNC when set (dockerd passes its environment
// on to the shim and so to here), else the first runc on PATH that is not this
// binary.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// capNames: the kernel's capability numbers, in order (linux/capability.h).
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
	"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
	"CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
}

// boundingSet reads CapBnd from /proc/self/status.
func boundingSet() (uint64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CapBnd:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, errors.New("no CapBnd in /proc/self/status")
}

// missing: the names of the known capabilities outside the bounding set.
func missing(bnd uint64) map[string]bool {
	m := map[string]bool{}
	for i, name := range capNames {
		if bnd&(1<<uint(i)) == 0 {
			m[name] = true
		}
	}
	return m
}

// filterCaps drops the names in drop from each set (bounding, effective, ...)
// of an OCI process's capabilities; it reports whether anything changed.
func filterCaps(caps map[string]any, drop map[string]bool) bool {
	changed := false
	for set, v := range caps {
		list, ok := v.([]any)
		if !ok {
			continue
		}
		kept := make([]any, 0, len(list))
		for _, c := range list {
			if name, ok := c.(string); ok && drop[name] {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	return changed
}

// patchFile filters the capabilities of the OCI process in file: the
// document's "process" (a bundle's config.json) or the document itself
// (runc exec --process). The file keeps its mode.
func patchFile(file string, isProcess bool, drop map[string]bool) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	proc := doc
	if !isProcess {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return nil
		}
		proc = p
	}
	caps, ok := proc["capabilities"].(map[string]any)
	if !ok || !filterCaps(caps, drop) {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	return os.WriteFile(file, out, st.Mode().Perm())
}

// flagValue: the value of the first of names in args, as "--flag value" or
// "--flag=value".
func flagValue(args []string, names ...string) string {
	for i, a := range args {
		for _, n := range names {
			if a == n && i+1 < len(args) {
				return args[i+1]
			}
			if v, ok := strings.CutPrefix(a, n+"="); ok {
				return v
			}
		}
	}
	return ""
}

// boolFlags: runc's global flags that take no value; every other global
// flag takes one (--root DIR, --log FILE, --log-format json, --rootless auto),
// so that the subcommand is the first word that is neither.
var boolFlags = map[string]bool{"--debug": true, "--systemd-cgroup": true, "--help": true, "-h": true, "--version": true, "-v": true}

// command: runc's subcommand and the arguments after it.
func command(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case !strings.HasPrefix(a, "-"):
			return a, args[i+1:]
		case strings.Contains(a, "=") || boolFlags[a]:
		default:
			i++
		}
	}
	return "", nil
}

// realRunc: RUNC_CAPDROP_RUNC, else the first runc on PATH that is not us.
func realRunc() (string, error) {
	if r := os.Getenv("RUNC_CAPDROP_RUNC"); r != "" {
		return r, nil
	}
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, "runc")
		if r, err := filepath.EvalSymlinks(p); err == nil && r != self {
			if st, err := os.Stat(r); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
				return p, nil
			}
		}
	}
	return "", exec.ErrNotFound
}

func main() {
	args := os.Args[1:]
	runc, err := realRunc()
	if err != nil {
		fmt.Fprintln(os.Stderr, "runc-capdrop: no runc found (set RUNC_CAPDROP_RUNC):", err)
		os.Exit(127)
	}
	bnd, err := boundingSet()
	if err != nil {
		fmt.Fprintln(os.Stderr, "runc-capdrop:", err)
		os.Exit(1)
	}
	if drop := missing(bnd); len(drop) > 0 {
		cmd, rest := command(args)
		switch cmd {
		case "create", "run":
			bundle := flagValue(rest, "--bundle", "-b")
			if bundle == "" {
				bundle, _ = os.Getwd()
			}
			err = patchFile(filepath.Join(bundle, "config.json"), false, drop)
		case "exec":
			if p := flagValue(rest, "--process", "-p"); p != "" {
				err = patchFile(p, true, drop)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "runc-capdrop: leaving the spec as it is:", err)
		}
	}
	err = syscall.Exec(runc, append([]string{runc}, args...), os.Environ())
	fmt.Fprintln(os.Stderr, "runc-capdrop: exec", runc+":", err)
	os.Exit(127)
}
