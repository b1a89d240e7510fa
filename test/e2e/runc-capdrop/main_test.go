package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		cmd  string
		rest []string
	}{
		// as containerd-shim-runc-v2 calls it
		{[]string{"--root", "/run/r", "--log", "/x/log.json", "--log-format", "json", "create", "--bundle", "/b", "id"},
			"create", []string{"--bundle", "/b", "id"}},
		{[]string{"--debug", "--systemd-cgroup", "--root=/r", "exec", "--process", "/p.json", "id"},
			"exec", []string{"--process", "/p.json", "id"}},
		{[]string{"--rootless", "false", "run", "id"}, "run", []string{"id"}},
		{[]string{"--version"}, "", nil},
	} {
		cmd, rest := command(tc.args)
		if cmd != tc.cmd || !reflect.DeepEqual(rest, tc.rest) {
			t.Errorf("command(%q) = %q %q, want %q %q", tc.args, cmd, rest, tc.cmd, tc.rest)
		}
	}
}

func TestMissing(t *testing.T) {
	// this VM's bounding set: all of 0-40 but CAP_SYS_RESOURCE (24)
	got := missing(0x000001fffeffffff)
	if len(got) != 1 || !got["CAP_SYS_RESOURCE"] {
		t.Errorf("missing = %v, want only CAP_SYS_RESOURCE", got)
	}
}

func TestPatchFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	spec := `{"ociVersion":"1.0.2","process":{"args":["sh"],"capabilities":{` +
		`"bounding":["CAP_CHOWN","CAP_SYS_RESOURCE"],"effective":["CAP_SYS_RESOURCE"],"permitted":["CAP_KILL"]}}}`
	if err := os.WriteFile(file, []byte(spec), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := patchFile(file, false, map[string]bool{"CAP_SYS_RESOURCE": true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	var doc struct {
		Process struct {
			Args         []string
			Capabilities map[string][]string
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"bounding": {"CAP_CHOWN"}, "effective": {}, "permitted": {"CAP_KILL"}}
	if !reflect.DeepEqual(doc.Process.Capabilities, want) || doc.Process.Args[0] != "sh" {
		t.Errorf("patched to %s", b)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o640 {
		t.Errorf("mode changed to %v", st.Mode())
	}
}
