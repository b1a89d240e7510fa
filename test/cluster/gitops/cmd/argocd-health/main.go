// Command argocd-health is `argocd admin settings resource-overrides health`
// without the rest of the argocd binary (which would double the GitOps build):
// the same Argo CD code reads the argocd-cm ConfigMap's resource
// customizations (util/settings) and assesses the resource's health with its
// Lua runtime (gitops-engine's health with util/lua's overrides), and prints
// the same two lines.
//
//	argocd-health RESOURCE_YAML_PATH --argocd-cm-path ARGOCD_CM_PATH
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	healthutil "github.com/argoproj/argo-cd/gitops-engine/pkg/health"
	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/argo-cd/v3/util/settings"
	log "github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"
)

const namespace = "argocd"

func main() {
	cmPath := flag.String("argocd-cm-path", "", "the argocd-cm ConfigMap, as YAML")
	// The path first, flags after it, as the CLI takes them (Go's flag package stops at a path).
	args := os.Args[1:]
	var paths []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		paths, args = append(paths, args[0]), args[1:]
	}
	_ = flag.CommandLine.Parse(args)
	paths = append(paths, flag.Args()...)
	if len(paths) != 1 || *cmPath == "" {
		fmt.Fprintln(os.Stderr, "usage: argocd-health RESOURCE_YAML_PATH --argocd-cm-path ARGOCD_CM_PATH")
		os.Exit(2)
	}
	// The settings manager logs its informers' progress; the answer is on stdout.
	log.SetOutput(io.Discard)
	if err := run(paths[0], *cmPath); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(resourcePath, cmPath string) error {
	var res unstructured.Unstructured
	if err := readYAML(resourcePath, &res); err != nil {
		return err
	}
	var cm corev1.ConfigMap
	if err := readYAML(cmPath, &cm); err != nil {
		return err
	}
	// As the CLI's setSettingsMeta does for --argocd-cm-path.
	cm.Name = common.ArgoCDConfigMapName
	cm.Namespace = namespace
	cm.Labels = map[string]string{"app.kubernetes.io/part-of": "argocd"}
	manager := settings.NewSettingsManager(context.Background(), fake.NewClientset(&cm), namespace)
	overrides, err := manager.GetResourceOverrides()
	if err != nil {
		return err
	}
	health, err := healthutil.GetResourceHealth(&res, lua.ResourceHealthOverrides(overrides))
	switch {
	case err != nil:
		return err
	case health == nil:
		gvk := res.GroupVersionKind()
		fmt.Printf("Health script is not configured for '%s/%s'\n", gvk.Group, gvk.Kind)
	default:
		fmt.Printf("STATUS: %s\n", health.Status)
		fmt.Printf("MESSAGE: %s\n", health.Message)
	}
	return nil
}

func readYAML(path string, into any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(data, into)
}
