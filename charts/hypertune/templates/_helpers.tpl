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
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
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
