// Command validate checks usergraph's deployment files offline, as CI
// runs it (cd deploy/validate && go run . ..): the compose file against
// the Compose specification's schema (compose-go, which docker compose
// itself uses), and each Kubernetes manifest decoded strictly into the
// API's own types (k8s.io/api), so a misspelt or misplaced field, a wrong
// type or an unknown kind fails. A module of its own, so the server's
// go.mod does not carry Kubernetes.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	var errs []error
	if err := composeFile(filepath.Join(dir, "compose.yaml")); err != nil {
		errs = append(errs, err)
	}
	manifests, _ := filepath.Glob(filepath.Join(dir, "kubernetes", "*.yaml"))
	if len(manifests) == 0 {
		errs = append(errs, errors.New("no Kubernetes manifests found"))
	}
	for _, m := range manifests {
		if err := manifest(m); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("valid: compose.yaml and %d Kubernetes manifests\n", len(manifests))
}

// composeFile loads a compose file with its schema's validation.
func composeFile(path string) error {
	opts, err := cli.NewProjectOptions([]string{path}, cli.WithOsEnv, cli.WithWorkingDirectory(filepath.Dir(path)))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(p.Services) < 3 {
		return fmt.Errorf("%s: %d services, want postgres and two usergraph replicas", path, len(p.Services))
	}
	return nil
}

// manifest decodes each document of a Kubernetes manifest strictly into
// its kind's type.
func manifest(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for i, doc := range bytes.Split(b, []byte("\n---")) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			return fmt.Errorf("%s #%d: %w", path, i, err)
		}
		var into any
		switch head.APIVersion + " " + head.Kind {
		case "apps/v1 Deployment":
			into = &appsv1.Deployment{}
		case "v1 Service":
			into = &corev1.Service{}
		case "v1 Secret":
			into = &corev1.Secret{}
		case "policy/v1 PodDisruptionBudget":
			into = &policyv1.PodDisruptionBudget{}
		case "kustomize.config.k8s.io/v1beta1 Kustomization":
			into = &kustomization{}
		default:
			return fmt.Errorf("%s #%d: unknown kind %s %s", path, i, head.APIVersion, head.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, into); err != nil {
			return fmt.Errorf("%s #%d (%s): %w", path, i, head.Kind, err)
		}
		if k, ok := into.(*kustomization); ok {
			for _, r := range k.Resources {
				if _, err := os.Stat(filepath.Join(filepath.Dir(path), r)); err != nil {
					return fmt.Errorf("%s: resource %s: %w", path, r, err)
				}
			}
		}
		if d, ok := into.(*appsv1.Deployment); ok {
			if err := deployment(d); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	return nil
}

// kustomization is the fields of a Kustomization these manifests use.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
}

// deployment checks what the server needs of its Deployment: probes on
// its health endpoints, a non-root user, a drain before it stops.
func deployment(d *appsv1.Deployment) error {
	c := d.Spec.Template.Spec.Containers
	if len(c) != 1 {
		return fmt.Errorf("%d containers, want 1", len(c))
	}
	var problems []string
	if p := c[0].ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" {
		problems = append(problems, "no readiness probe on /readyz")
	}
	if p := c[0].LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
		problems = append(problems, "no liveness probe on /healthz")
	}
	if l := c[0].Lifecycle; l == nil || l.PreStop == nil {
		problems = append(problems, "no preStop drain")
	}
	if sc := d.Spec.Template.Spec.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		problems = append(problems, "not runAsNonRoot")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
