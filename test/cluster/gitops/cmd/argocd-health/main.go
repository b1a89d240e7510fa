package main

import (
	"context"
	"fmt"
	"os"

	healthutil "github.com/argoproj/argo-cd/gitops-engine/pkg/health"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/argo-cd/v3/util/settings"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"
)

func main() {
	data, _ := os.ReadFile(os.Args[1])
	res := unstructured.Unstructured{}
	_ = yaml.Unmarshal(data, &res)
	cmData, _ := os.ReadFile(os.Args[2])
	var cm corev1.ConfigMap
	_ = yaml.Unmarshal(cmData, &cm)
	cm.Namespace = "argocd"
	cm.Labels = map[string]string{"app.kubernetes.io/part-of": "argocd"}
	client := fake.NewClientset(&cm)
	mgr := settings.NewSettingsManager(context.Background(), client, "argocd")
	overrides, err := mgr.GetResourceOverrides()
	if err != nil { panic(err) }
	h, err := healthutil.GetResourceHealth(&res, lua.ResourceHealthOverrides(overrides))
	if err != nil { panic(err) }
	fmt.Println(h.Status, h.Message)
}
