#!/usr/bin/env bash
# Renders every overlay and checks the result offline (make kubelint): the
# schemas of the oldest and newest Kubernetes minor supported, strictly, where
# a warning (an unknown kind or apiVersion) fails too; then checkov's policies.
set -euo pipefail
cd "$(dirname "$0")"

# The oldest minor whose defaults carry every field used here (the preStop
# sleep action is on by default from 1.30); the newest is the newest the
# pinned kubernetes-validate knows.
OLDEST=1.30.0
NEWEST=$(python -c 'from kubernetes_validate.utils import latest_version; print(latest_version())')

rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT

for overlay in overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize --load-restrictor LoadRestrictionsNone "$overlay" >"$rendered/$name.yaml"
  report=$(kubernetes-validate --strict --quiet -k "$OLDEST" -k "$NEWEST" "$rendered/$name.yaml") || {
    echo "$report" >&2
    exit 1
  }
  if [ -n "$report" ]; then
    echo "$report" >&2
    echo "kubernetes-validate warned about overlays/$name: a warning fails the check" >&2
    exit 1
  fi
  echo "overlays/$name: valid, strictly, against Kubernetes $OLDEST and $NEWEST"
done

checkov --config-file checkov.yaml --directory "$rendered"
