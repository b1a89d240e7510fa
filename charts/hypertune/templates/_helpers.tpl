{{/* Names and labels shared by every template. */}}
{{- define "hypertune.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hypertune.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hypertune.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hypertune.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hypertune.labels" -}}
{{ include "hypertune.selectorLabels" . }}
{{ include "hypertune.releaseLabels" . }}
{{- end -}}

{{- define "hypertune.releaseLabels" -}}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- /*
  The dashboard's: a name of its own, so that the operator's selectors (its
  Deployment, the metrics Service, the ServiceMonitor) never match it; theirs
  cannot gain a component label (a Deployment's selector is immutable).
*/ -}}
{{- define "hypertune.dashboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hypertune.name" . }}-dashboard
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: dashboard
{{- end -}}

{{- define "hypertune.dashboard.labels" -}}
{{ include "hypertune.dashboard.selectorLabels" . }}
app.kubernetes.io/part-of: {{ include "hypertune.name" . }}
{{ include "hypertune.releaseLabels" . }}
{{- end -}}

{{- define "hypertune.dashboard.fullname" -}}
{{- printf "%s-dashboard" (include "hypertune.fullname" .) -}}
{{- end -}}

{{- define "hypertune.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "hypertune.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "hypertune.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Leader election is on when asked for, and always with more than one replica. */}}
{{- define "hypertune.leaderElect" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/* A list of RBAC rules from rbac-rules.yaml (key: watched | leaderElection), as YAML. */}}
{{- define "hypertune.rules" -}}
{{- $all := .root.Files.Get "rbac-rules.yaml" | fromYaml -}}
{{- $rules := list -}}
{{- $mode := include "hypertune.jobCreation" .root -}}
{{- range (index $all .key) -}}
{{- $rule := omit . "leaseNameOnly" "when" -}}
{{- if .leaseNameOnly -}}
{{- $rule = set $rule "resourceNames" (list $.root.Values.leaderElection.leaseName) -}}
{{- end -}}
{{- if or (not .when) (eq .when $mode) -}}
{{- $rules = append $rules $rule -}}
{{- end -}}
{{- end -}}
{{- toYaml $rules -}}
{{- end -}}

{{- /* How trials' Jobs are created: "impersonating" the requester, or "direct" with the operator's own rights. */ -}}
{{- define "hypertune.jobCreation" -}}
{{- if and .Values.multiTenancy.enabled .Values.multiTenancy.impersonate -}}impersonating{{- else -}}direct{{- end -}}
{{- end -}}

{{- /* A RoleBinding's subjects: the ServiceAccount `name` in the release namespace. */ -}}
{{- define "hypertune.subjects" -}}
- kind: ServiceAccount
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
{{- end -}}

{{- /*
  The rules of rbac-rules.yaml's list `key`, granted to the ServiceAccount
  `serviceAccount` where the watched TuningJobs are: a ClusterRole when every
  namespace is watched, otherwise a Role in each of watchNamespaces and
  nothing cluster-wide. Roles and bindings are called `name`, labelled with
  the template `labels`.
*/ -}}
{{- define "hypertune.watchedRbac" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $labels := include .labels $root -}}
{{- $rules := include "hypertune.rules" (dict "root" $root "key" .key) -}}
{{- $subjects := include "hypertune.subjects" (dict "root" $root "name" .serviceAccount) -}}
{{- if empty $root.Values.watchNamespaces }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $name }}
  labels:
    {{- $labels | nindent 4 }}
rules:
  {{- $rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- $labels | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  {{- $subjects | nindent 2 }}
{{- else }}
{{- range $namespace := $root.Values.watchNamespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ $namespace }}
  labels:
    {{- $labels | nindent 4 }}
rules:
  {{- $rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ $namespace }}
  labels:
    {{- $labels | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  {{- $subjects | nindent 2 }}
{{- end }}
{{- end }}
{{- end -}}
