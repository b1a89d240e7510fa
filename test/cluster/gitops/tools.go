//go:build tools

// Package tools names the controllers this module builds, so go.mod keeps them.
package tools

import (
	_ "github.com/fluxcd/kustomize-controller"
	_ "github.com/fluxcd/source-controller"
)
