// Checks the MorfX Kubernetes manifests without a cluster. Run by validate.sh, which installs the npm packages
// this imports (yaml, kubernetes-models, @kubernetes-models/cloudnative-pg, @kubernetes-models/keda) and renders
// each kustomization first. Usage:
//   node validate-manifests.mjs --repo <repo root> --render <name>=<rendered.yaml>[:<namespace>] ...
// A render with a namespace is a deployable overlay: images must carry a release tag and every object must
// live in that namespace. Prints one line per check and exits 1 when any fails.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

// What the services are: name, project and database from the one resource map (deploy/resources.json, which the AppHost
// and the runner read too); what only Kubernetes needs (public paths, keys) here, for exactly the services in that map.
const K8S = {
  "webhook-ingest": { publicPaths: ["/webhooks"], internalKey: true },
  "automation-engine": { publicPaths: ["/api/automations"], internalKey: false, llm: true, redactionKey: true },
  "sms-sender": { publicPaths: [], internalKey: true, redactionKey: true },
  "config-api": { publicPaths: ["/api/integrations"], internalKey: true },
  "usage-api": { publicPaths: ["/api/usage"], internalKey: false },
};
const IMAGE_REPOSITORY = "ghcr.io/morfx/";
const CONTAINER_PORT = 8080;
// config-api's secret look-ups (/internal/*) answer only on this second port: in its Service, never in the Ingress.
const INTERNAL_PORT = 8081;
const READINESS_PATH = "/health";
const LIVENESS_PATH = "/alive";
const APP_SECRET = "morfx-secrets";

// Schemas of the kinds the manifests may use: core kinds from kubernetes-models, the CloudNativePG and KEDA CRDs
// from their @kubernetes-models packages. RabbitmqCluster has no published model; checkRabbitmq covers it.
const MODELS = {
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "v1/Service": "kubernetes-models/v1/Service",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "batch/v1/Job": "kubernetes-models/batch/v1/Job",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "networking.k8s.io/v1/Ingress": "kubernetes-models/networking.k8s.io/v1/Ingress",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "postgresql.cnpg.io/v1/Cluster": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster",
  "postgresql.cnpg.io/v1/Database": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Database",
  "keda.sh/v1alpha1/ScaledObject": "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
  "keda.sh/v1alpha1/TriggerAuthentication": "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication",
};
const HAND_CHECKED = new Set(["rabbitmq.com/v1beta1/RabbitmqCluster", "rabbitmq.com/v1beta1/User", "rabbitmq.com/v1beta1/Permission"]);

// Namespace of the Ingress controller (ingressClassName nginx): the only source of traffic to the public ports.
const INGRESS_NAMESPACE = "ingress-nginx";

let passed = 0;
let failed = 0;
function check(ok, message, detail) {
  if (ok) { passed++; console.log(`  ok    ${message}`); }
  else { failed++; console.log(`  FAIL  ${message}${detail ? `: ${detail}` : ""}`); }
  return ok;
}
function section(title) { console.log(`\n${title}`); }

const args = process.argv.slice(2);
let repo = null;
const renders = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--repo") repo = args[++i];
  else if (args[i] === "--render") {
    const [name, rest] = args[++i].split(/=(.*)/s);
    const [file, namespace] = rest.split(":");
    renders.push({ name, file, namespace: namespace || null });
  }
}
if (!repo || renders.length === 0) {
  console.error("usage: validate-manifests.mjs --repo <root> --render <name>=<file>[:<namespace>] ...");
  process.exit(2);
}
const k8sDir = path.join(repo, "deploy", "k8s");
const resourceMap = JSON.parse(readFileSync(path.join(repo, "deploy", "resources.json"), "utf8"));
// Message paths, from what each service publishes, sends to and consumes in the resource map (the source the users'
// permissions are generated from): publisher, exchange or queue, consumers. Each publisher's user must be able to declare and
// write it, each consumer's to declare and read it.
const MESSAGE_FLOWS = resourceMap.services.flatMap(p => [...p.broker.publishes, ...(p.broker.sendsTo ?? [])].map(entity =>
  [p.name, entity, resourceMap.services.filter(c => c.broker.consumes.includes(entity) || entity.startsWith(`${c.name}-`)).map(c => c.name)]));
const SERVICES = Object.fromEntries(resourceMap.services.map(r =>
  [r.name, { project: r.project, db: r.database, internalPort: r.internalEndpoint !== undefined, ...K8S[r.name] }]));

function parseYaml(text) {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  const errors = docs.flatMap(d => [...d.errors, ...d.warnings].map(e => e.message.split("\n")[0]));
  return { errors, objects: docs.map(d => d.toJS()).filter(o => o !== null && o !== undefined) };
}

function yamlFiles(dir) {
  return readdirSync(dir).flatMap(entry => {
    const full = path.join(dir, entry);
    if (entry === "node_modules" || entry.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry) ? [full] : [];
  });
}

// --- 1. Every YAML file in deploy/k8s is well-formed; none commits a Secret with values. ---
section("YAML sources under deploy/k8s");
for (const file of yamlFiles(k8sDir)) {
  const rel = path.relative(repo, file);
  const { errors, objects } = parseYaml(readFileSync(file, "utf8"));
  check(errors.length === 0, `${rel} is well-formed YAML (${objects.length} document${objects.length === 1 ? "" : "s"})`, errors.join("; "));
  const secrets = objects.filter(o => o?.kind === "Secret" && (o.data || o.stringData));
  check(secrets.length === 0, `${rel} commits no Secret with data`, secrets.map(s => s.metadata?.name).join(", "));
}

section("secrets.example.env");
const exampleEnvPath = path.join(k8sDir, "base", "secrets.example.env");
const exampleKeys = new Set();
if (check(existsSync(exampleEnvPath), "deploy/k8s/base/secrets.example.env exists")) {
  const bad = [];
  for (const line of readFileSync(exampleEnvPath, "utf8").split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) { bad.push(line); continue; }
    exampleKeys.add(m[1]);
    if (!/^<[a-z0-9-]+>$/.test(m[2])) bad.push(`${m[1]} has a value, not a <placeholder>`);
  }
  check(bad.length === 0, `every entry is NAME=<placeholder> (${[...exampleKeys].join(", ")})`, bad.join("; "));
}

// --- 2. The services in the manifests are the services in the repository. ---
section("Services in the repository (deploy/resources.json)");
const mapped = Object.keys(SERVICES).sort().join(", ");
check(mapped === Object.keys(K8S).sort().join(", "), `the Kubernetes settings name exactly the services of deploy/resources.json (${mapped})`);
for (const [name, svc] of Object.entries(SERVICES)) {
  check(existsSync(path.join(repo, "services", svc.project, `${svc.project}.csproj`)), `${name}: services/${svc.project}/${svc.project}.csproj exists`);
}
check(resourceMap.messaging === "messaging", 'deploy/resources.json names the broker connection "messaging"');

// --- 3. Each rendered kustomization. ---
for (const render of renders) await checkRender(render);

console.log(`\nk8s manifests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

async function schemaCheck(objects, label) {
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    const id = `${o.kind}/${o.metadata?.name}`;
    if (HAND_CHECKED.has(key)) continue;
    const modulePath = MODELS[key];
    if (!check(modulePath !== undefined, `${label}: ${id} has a known schema (${key})`)) continue;
    const mod = await import(modulePath);
    try {
      new mod[o.kind](o).validate();
      check(true, `${label}: ${id} matches the ${key} schema`);
    } catch (e) {
      check(false, `${label}: ${id} matches the ${key} schema`, String(e.message).split("\n").slice(0, 3).join(" | "));
    }
  }
}

async function checkRender({ name: label, file, namespace }) {
  section(`Rendered: ${label}${namespace ? ` (namespace ${namespace})` : ""}`);
  const { errors, objects } = parseYaml(readFileSync(file, "utf8"));
  if (!check(errors.length === 0 && objects.length > 0, `${label}: renders to well-formed YAML (${objects.length} objects)`, errors.join("; "))) return;
  const kinds = {};
  for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  console.log(`        ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")}`);

  await schemaCheck(objects, label);

  const all = (kind) => objects.filter(o => o.kind === kind);
  const one = (kind, name) => objects.find(o => o.kind === kind && o.metadata?.name === name);
  const configMaps = all("ConfigMap");

  check(all("Secret").length === 0, `${label}: renders no Secret (secrets are created outside the repository)`);

  if (namespace) {
    const wrong = objects.filter(o => o.kind !== "Namespace" && o.metadata?.namespace !== namespace).map(o => `${o.kind}/${o.metadata?.name}`);
    check(wrong.length === 0, `${label}: every object is in namespace ${namespace}`, wrong.join(", "));
    check(one("Namespace", namespace) !== undefined, `${label}: creates Namespace ${namespace}`);
  }

  // PostgreSQL: one CloudNativePG cluster holding one database per service, each owned by a role with a secret.
  const pgClusters = all("Cluster").filter(c => c.apiVersion === "postgresql.cnpg.io/v1");
  const pg = pgClusters[0];
  const dbSecrets = {};
  if (check(pgClusters.length === 1, `${label}: one CloudNativePG Cluster`)) {
    const initdb = pg.spec?.bootstrap?.initdb ?? {};
    const roleSecrets = Object.fromEntries((pg.spec?.managed?.roles ?? []).map(r => [r.name, r.passwordSecret?.name]));
    if (initdb.owner) roleSecrets[initdb.owner] = initdb.secret?.name;
    const owners = {};
    if (initdb.database) owners[initdb.database] = initdb.owner;
    for (const d of all("Database")) {
      if (d.spec?.cluster?.name !== pg.metadata.name) continue;
      owners[d.spec.name] = d.spec.owner;
      check(d.spec.databaseReclaimPolicy === "retain", `${label}: Database ${d.spec.name} is retained when its resource is deleted`);
    }
    for (const svc of Object.values(SERVICES)) {
      const owner = owners[svc.db];
      dbSecrets[svc.db] = roleSecrets[owner];
      check(owner !== undefined && roleSecrets[owner] !== undefined,
        `${label}: database ${svc.db} exists in ${pg.metadata.name}, owned by a role whose password comes from a secret`,
        owner === undefined ? "no database" : `role ${owner} has no secret`);
    }
    check(Object.keys(owners).length === Object.keys(SERVICES).length, `${label}: no database beyond the five services' (${Object.keys(owners).join(", ")})`);
    // CloudNativePG puts these before its own "host all all all": a role that may reach every database reaches its own only.
    const hba = (pg.spec?.postgresql?.pg_hba ?? []).map(l => l.trim().split(/\s+/).join(" "));
    for (const svc of Object.values(SERVICES)) {
      const owner = owners[svc.db];
      const allow = hba.indexOf(`host ${svc.db} ${owner} all scram-sha-256`), reject = hba.indexOf(`host all ${owner} all reject`);
      check(allow >= 0 && reject > allow, `${label}: role ${owner} may log in to ${svc.db} alone (pg_hba)`, hba.join("; ") || "no pg_hba rules");
    }
  }

  // RabbitMQ: one cluster, quorum queues by default.
  const rabbits = all("RabbitmqCluster");
  const rabbit = rabbits[0];
  if (check(rabbits.length === 1 && rabbit.apiVersion === "rabbitmq.com/v1beta1", `${label}: one RabbitmqCluster (rabbitmq.com/v1beta1)`)) {
    const config = rabbit.spec?.rabbitmq?.additionalConfig ?? "";
    check(/^\s*default_queue_type\s*=\s*quorum\s*$/m.test(config), `${label}: RabbitmqCluster sets default_queue_type = quorum`);
    const replicas = rabbit.spec?.replicas;
    check(Number.isInteger(replicas) && replicas >= 3 && replicas % 2 === 1, `${label}: RabbitmqCluster has an odd number (>= 3) of nodes for quorum queues`, `replicas ${replicas}`);
    check((rabbit.spec?.rabbitmq?.additionalPlugins ?? []).includes("rabbitmq_shovel"), `${label}: RabbitmqCluster enables rabbitmq_shovel (replaying _error queues)`);
    const unknown = Object.keys(rabbit.spec ?? {}).filter(k => !["replicas", "image", "imagePullSecrets", "service", "persistence", "resources", "affinity", "tolerations", "rabbitmq", "tls", "override", "skipPostDeploySteps", "terminationGracePeriodSeconds", "secretBackend", "delayStartSeconds", "autoEnableAllFeatureFlags"].includes(k));
    check(unknown.length === 0, `${label}: RabbitmqCluster spec has only known fields`, unknown.join(", "));
  }

  // The five services.
  for (const [name, svc] of Object.entries(SERVICES)) {
    const deployment = one("Deployment", name);
    if (!check(deployment !== undefined, `${label}: Deployment ${name}`)) continue;
    const pod = deployment.spec.template;
    const containers = pod.spec?.containers ?? [];
    check(containers.length === 1, `${label}: ${name} runs one container`);
    const c = containers[0] ?? {};
    checkImage(label, name, c.image, namespace);
    const port = (c.ports ?? []).find(p => p.containerPort === CONTAINER_PORT);
    const expectedPorts = svc.internalPort ? 2 : 1;
    check(port !== undefined && port.name === "http" && (c.ports ?? []).length === expectedPorts, `${label}: ${name} listens on containerPort ${CONTAINER_PORT} named http`);
    const envValue = (n) => (c.env ?? []).find(e => e.name === n)?.value;
    if (svc.internalPort) {
      const internal = (c.ports ?? []).find(p => p.containerPort === INTERNAL_PORT);
      check(internal?.name === "internal", `${label}: ${name} listens on containerPort ${INTERNAL_PORT} named internal`);
      check(envValue("Internal__Port") === String(INTERNAL_PORT) && envValue("ASPNETCORE_HTTP_PORTS") === `${CONTAINER_PORT};${INTERNAL_PORT}`,
        `${label}: ${name} serves ${CONTAINER_PORT} and ${INTERNAL_PORT}, with Internal__Port=${INTERNAL_PORT}`);
    }
    const probePort = (probe) => probe?.httpGet?.port === "http" || probe?.httpGet?.port === CONTAINER_PORT;
    check(c.readinessProbe?.httpGet?.path === READINESS_PATH && probePort(c.readinessProbe), `${label}: ${name} readiness probe GET ${READINESS_PATH} on ${CONTAINER_PORT}`);
    check(c.livenessProbe?.httpGet?.path === LIVENESS_PATH && probePort(c.livenessProbe), `${label}: ${name} liveness probe GET ${LIVENESS_PATH} on ${CONTAINER_PORT}`);
    if (c.startupProbe) check(c.startupProbe.httpGet?.path === LIVENESS_PATH && probePort(c.startupProbe), `${label}: ${name} startup probe GET ${LIVENESS_PATH}`);
    const r = c.resources ?? {};
    check(r.requests?.cpu && r.requests?.memory && r.limits?.cpu && r.limits?.memory, `${label}: ${name} sets cpu and memory requests and limits`);
    checkSecurity(label, name, pod.spec, c);
    check(deployment.spec.replicas === undefined, `${label}: ${name} leaves its replica count to the autoscaler`);

    // Configuration: environment from the ConfigMap and secret references only.
    const env = c.env ?? [];
    const envNames = env.map(e => e.name);
    const fromMaps = (c.envFrom ?? []).map(f => f.configMapRef?.name).filter(Boolean);
    const missingMaps = fromMaps.filter(n => !configMaps.some(m => m.metadata.name === n));
    check(fromMaps.length > 0 && missingMaps.length === 0, `${label}: ${name} takes configuration from ConfigMaps that exist (${fromMaps.join(", ")})`, missingMaps.join(", "));
    const config = Object.assign({}, ...configMaps.filter(m => fromMaps.includes(m.metadata.name)).map(m => m.data ?? {}));
    check(config.ASPNETCORE_HTTP_PORTS === String(CONTAINER_PORT), `${label}: ${name} gets ASPNETCORE_HTTP_PORTS=${CONTAINER_PORT}`);
    check(config.Services__ConfigApi === `http://config-api:${INTERNAL_PORT}`, `${label}: ${name} gets Services__ConfigApi=http://config-api:${INTERNAL_PORT} (the internal port)`);
    check(/^https:\/\/[^/]+/.test(config.PublicUrls__WebhookIngest ?? ""), `${label}: ${name} gets an https PublicUrls__WebhookIngest`);
    check(typeof config.OTEL_EXPORTER_OTLP_ENDPOINT === "string" && config.OTEL_EXPORTER_OTLP_ENDPOINT.length > 0, `${label}: ${name} gets OTEL_EXPORTER_OTLP_ENDPOINT`);
    if (svc.llm) check(config.Llm__Endpoint && config.Llm__Model, `${label}: ${name} gets Llm__Endpoint and Llm__Model`);

    const literalSecrets = env.filter(e => /(key|password|secret|token)$/i.test(e.name) && e.value !== undefined).map(e => e.name);
    check(literalSecrets.length === 0, `${label}: ${name} takes no secret-looking value literally`, literalSecrets.join(", "));
    const literalInMaps = Object.keys(config).filter(k => /(key|password|secret|token)$/i.test(k));
    check(literalInMaps.length === 0, `${label}: ${name}'s ConfigMaps hold no secret-looking key`, literalInMaps.join(", "));
    const undefinedRefs = env.flatMap((e, i) => [...(e.value ?? "").matchAll(/\$\(([A-Za-z0-9_]+)\)/g)]
      .map(m => m[1]).filter(v => !envNames.slice(0, i).includes(v)).map(v => `${e.name} uses $(${v})`));
    check(undefinedRefs.length === 0, `${label}: ${name}'s $(VAR) references name variables defined above them`, undefinedRefs.join(", "));

    const secretRef = (n) => env.find(e => e.name === n)?.valueFrom?.secretKeyRef;
    check(secretRef("Auth__SigningKey")?.name === APP_SECRET, `${label}: ${name} reads Auth__SigningKey from Secret ${APP_SECRET}`);
    if (svc.internalKey) check(secretRef("Internal__ServiceKey")?.name === APP_SECRET, `${label}: ${name} reads Internal__ServiceKey from Secret ${APP_SECRET}`);
    else check(!envNames.includes("Internal__ServiceKey"), `${label}: ${name} does not get Internal__ServiceKey (it calls no internal look-up)`);
    if (svc.redactionKey) check(secretRef("Redaction__HashKey")?.name === APP_SECRET, `${label}: ${name} reads Redaction__HashKey from Secret ${APP_SECRET}`);
    else check(!envNames.includes("Redaction__HashKey"), `${label}: ${name} does not get Redaction__HashKey`);
    if (svc.llm) check(secretRef("Llm__ApiKey")?.name === APP_SECRET, `${label}: ${name} reads Llm__ApiKey from Secret ${APP_SECRET}`);
    else check(!envNames.includes("Llm__ApiKey"), `${label}: ${name} does not get Llm__ApiKey`);
    const appKeys = env.map(e => e.valueFrom?.secretKeyRef).filter(s => s?.name === APP_SECRET).map(s => s.key);
    const unlisted = appKeys.filter(k => !exampleKeys.has(k));
    check(unlisted.length === 0, `${label}: ${name}'s keys of ${APP_SECRET} are all listed in secrets.example.env`, unlisted.join(", "));
    const secretNames = new Set(env.map(e => e.valueFrom?.secretKeyRef?.name).filter(Boolean));
    const brokerSecret = `${name}-rabbitmq-user-credentials`;
    check(secretRef("RABBITMQ_USERNAME")?.name === brokerSecret && secretRef("RABBITMQ_PASSWORD")?.name === brokerSecret,
      `${label}: ${name} logs in to RabbitMQ as its own user (secret ${brokerSecret}), not the operator's default user`);
    const allowed = new Set([APP_SECRET, dbSecrets[svc.db], brokerSecret]);
    const strange = [...secretNames].filter(s => !allowed.has(s));
    check(strange.length === 0, `${label}: ${name} references only its own secrets (${[...secretNames].join(", ")})`, strange.join(", "));

    const dbValue = env.find(e => e.name === `ConnectionStrings__${svc.db}`)?.value ?? "";
    const dbParts = Object.fromEntries(dbValue.split(";").filter(Boolean).map(p => p.split(/=(.*)/s).map(s => s.trim())).map(([k, v]) => [k.toLowerCase(), v]));
    check(pg && dbParts.host === `${pg.metadata.name}-rw` && dbParts.database === svc.db && dbParts.port === "5432" && dbParts.username && dbParts.password,
      `${label}: ${name} ConnectionStrings__${svc.db} points at ${pg?.metadata.name}-rw, database ${svc.db}`, dbValue || "missing");
    const dbUserVar = /^\$\((\w+)\)$/.exec(dbParts.username ?? "")?.[1];
    check(dbUserVar && secretRef(dbUserVar)?.name === dbSecrets[svc.db], `${label}: ${name} logs in as the role that owns ${svc.db} (secret ${dbSecrets[svc.db]})`);
    const bus = env.find(e => e.name === "ConnectionStrings__messaging")?.value ?? "";
    check(rabbit && new RegExp(`^amqp://[^@]+@${rabbit.metadata.name}:5672/`).test(bus), `${label}: ${name} ConnectionStrings__messaging points at ${rabbit?.metadata.name}:5672`, bus || "missing");

    // Service, disruption budget, autoscaling, migration Job.
    const labels = pod.metadata?.labels ?? {};
    const selects = (selector) => selector && Object.entries(selector).every(([k, v]) => labels[k] === v);
    const service = one("Service", name);
    if (check(service !== undefined, `${label}: Service ${name}`)) {
      check(selects(service.spec.selector), `${label}: Service ${name} selects the ${name} pods`);
      const sp = service.spec.ports ?? [];
      check(sp.length === (svc.internalPort ? 2 : 1) && sp[0].port === CONTAINER_PORT && (sp[0].targetPort === "http" || sp[0].targetPort === CONTAINER_PORT),
        `${label}: Service ${name} exposes ${CONTAINER_PORT} -> the http port`);
      if (svc.internalPort)
        check(sp[1]?.name === "internal" && sp[1].port === INTERNAL_PORT && (sp[1].targetPort === "internal" || sp[1].targetPort === INTERNAL_PORT),
          `${label}: Service ${name} exposes ${INTERNAL_PORT} -> the internal port`);
    }
    const pdbs = all("PodDisruptionBudget").filter(p => selects(p.spec?.selector?.matchLabels));
    check(pdbs.length === 1, `${label}: one PodDisruptionBudget covers ${name}`);
    const hpas = all("HorizontalPodAutoscaler").filter(h => h.spec?.scaleTargetRef?.kind === "Deployment" && h.spec.scaleTargetRef.name === name);
    const scaled = all("ScaledObject").filter(s => s.spec?.scaleTargetRef?.name === name);
    check(hpas.length + scaled.length === 1, `${label}: ${name} has exactly one autoscaler (${hpas.length} HPA, ${scaled.length} KEDA ScaledObject)`);
    for (const h of hpas) {
      check(h.spec.minReplicas >= 2 && h.spec.maxReplicas >= h.spec.minReplicas, `${label}: HPA ${name} keeps at least 2 replicas (${h.spec.minReplicas}..${h.spec.maxReplicas})`);
      check((h.spec.metrics ?? []).some(m => m.resource?.name === "cpu"), `${label}: HPA ${name} scales on CPU`);
    }
    for (const s of scaled) {
      const t = (s.spec.triggers ?? []).find(t => t.type === "rabbitmq");
      check(t && !String(t.metadata?.queueName).includes("_error") && t.metadata?.usernameFromEnv && envNames.includes(t.metadata.usernameFromEnv) && envNames.includes(t.metadata.passwordFromEnv),
        `${label}: ScaledObject ${name} scales on its RabbitMQ backlog (not _error queues) with credentials from its container`);
    }

    const job = one("Job", `${name}-migrate`);
    if (check(job !== undefined, `${label}: migration Job ${name}-migrate`)) {
      const jc = job.spec.template.spec.containers?.[0] ?? {};
      check(jc.image === c.image, `${label}: ${name}-migrate runs the service's image (${jc.image})`);
      check((jc.args ?? []).includes("--migrate-only"), `${label}: ${name}-migrate passes --migrate-only`);
      check((jc.env ?? []).some(e => e.name === `ConnectionStrings__${svc.db}`), `${label}: ${name}-migrate gets ConnectionStrings__${svc.db}`);
      check(["Never", "OnFailure"].includes(job.spec.template.spec.restartPolicy), `${label}: ${name}-migrate does not restart forever`);
      check(!service || !Object.entries(service.spec.selector ?? {}).every(([k, v]) => job.spec.template.metadata?.labels?.[k] === v),
        `${label}: ${name}-migrate pods never receive the Service's traffic`);
      checkSecurity(label, `${name}-migrate`, job.spec.template.spec, jc);
    }
  }

  // Connection budget: every service at its autoscaler's maximum, each pod with a full Npgsql pool, plus room for
  // the migration Jobs, replication and ops, must fit in PostgreSQL's max_connections.
  if (pg) {
    const maxConnections = Number(pg.spec?.postgresql?.parameters?.max_connections ?? 100);
    const reserve = 30;
    let worst = 0;
    const parts = [];
    for (const [name, svc] of Object.entries(SERVICES)) {
      const maxPods = Math.max(0, ...all("HorizontalPodAutoscaler").filter(h => h.spec?.scaleTargetRef?.name === name).map(h => h.spec.maxReplicas),
        ...all("ScaledObject").filter(s => s.spec?.scaleTargetRef?.name === name).map(s => s.spec.maxReplicaCount ?? 100));
      const env = one("Deployment", name)?.spec.template.spec.containers?.[0]?.env ?? [];
      const pool = Number(/Maximum Pool Size=(\d+)/i.exec(env.find(e => e.name === `ConnectionStrings__${svc.db}`)?.value ?? "")?.[1] ?? 100);
      worst += maxPods * pool;
      parts.push(`${maxPods}x${pool}`);
    }
    check(worst + reserve <= maxConnections, `${label}: PostgreSQL max_connections ${maxConnections} holds every service at its maximum replicas (${parts.join(" + ")} = ${worst}, + ${reserve} reserved)`);
  }

  checkBrokerUsers(label, objects, rabbit);
  checkNetworkPolicies(label, objects, pg, rabbit);

  const extra = all("Deployment").map(d => d.metadata.name).filter(n => !(n in SERVICES));
  check(extra.length === 0, `${label}: no Deployment beyond the five services`, extra.join(", "));

  // The Ingress: exactly the public paths, never /internal.
  const ingresses = all("Ingress");
  if (check(ingresses.length === 1, `${label}: one Ingress`)) {
    const ingress = ingresses[0];
    const routes = (ingress.spec.rules ?? []).flatMap(rule => (rule.http?.paths ?? []).map(p => ({ host: rule.host, ...p })));
    const expected = Object.entries(SERVICES).flatMap(([name, s]) => s.publicPaths.map(p => `${p} -> ${name}`)).sort();
    const actual = routes.map(r => `${r.path} -> ${r.backend?.service?.name}`).sort();
    check(JSON.stringify(actual) === JSON.stringify(expected), `${label}: Ingress routes exactly ${expected.join(", ")}`, actual.join(", "));
    const exposing = routes.filter(r => /internal/i.test(r.path ?? "") || "/internal/".startsWith(r.path ?? "/") || !r.path);
    check(exposing.length === 0, `${label}: Ingress exposes no /internal path (and no catch-all that would reach it)`, exposing.map(r => r.path || "(none)").join(", "));
    check(routes.every(r => r.pathType === "Prefix" || r.pathType === "Exact"), `${label}: Ingress paths are Prefix or Exact (no ImplementationSpecific regexes)`);
    check(routes.every(r => r.backend?.service?.port?.number === CONTAINER_PORT || r.backend?.service?.port?.name === "http"), `${label}: Ingress backends use port ${CONTAINER_PORT} (never the internal port ${INTERNAL_PORT})`);
    check(ingress.spec.defaultBackend === undefined, `${label}: Ingress has no default backend`);
    const hosts = new Set(routes.map(r => r.host));
    const tlsHosts = new Set((ingress.spec.tls ?? []).flatMap(t => t.hosts ?? []));
    check(hosts.size === 1 && [...hosts].every(h => h && tlsHosts.has(h)), `${label}: Ingress serves one host over TLS (${[...hosts].join(", ")})`);
    const publicUrl = configMaps.map(m => m.data?.PublicUrls__WebhookIngest).find(Boolean);
    check(publicUrl && new URL(publicUrl).host === [...hosts][0], `${label}: PublicUrls__WebhookIngest (${publicUrl}) is the Ingress host, so Twilio signatures verify`);
  }
}

// Each service its own RabbitMQ user (Messaging Topology Operator User + Permission), allowed its own queues and the
// exchanges of its messages, and no other service's queues.
function checkBrokerUsers(label, objects, rabbit) {
  const of = (kind) => objects.filter(o => o.kind === kind && o.apiVersion === "rabbitmq.com/v1beta1");
  const users = of("User");
  const permissions = of("Permission");
  const names = Object.keys(SERVICES);
  const patterns = {};
  for (const name of names) {
    const userName = `${name}-rabbitmq`;
    const user = users.find(u => u.metadata?.name === userName);
    check(user && user.spec?.rabbitmqClusterReference?.name === rabbit?.metadata.name && !user.spec?.tags?.length,
      `${label}: ${name} has its own RabbitMQ user ${userName} on ${rabbit?.metadata.name}, with no management tags`);
    const mine = permissions.filter(p => p.spec?.userReference?.name === userName);
    if (!check(mine.length === 1, `${label}: one Permission for ${userName}`)) continue;
    const spec = mine[0].spec;
    check(spec.vhost === "/" && spec.rabbitmqClusterReference?.name === rabbit?.metadata.name, `${label}: ${userName}'s Permission is on vhost / of ${rabbit?.metadata.name}`);
    const kinds = ["configure", "write", "read"];
    const anchored = kinds.every(k => /^\^\(.+\)\$$/.test(spec.permissions?.[k] ?? "") && !/(^|[|(])\.\*($|[|)])/.test(spec.permissions[k]));
    if (!check(anchored, `${label}: ${userName}'s configure, write and read are anchored ^(…)$ patterns, none a bare .*`)) continue;
    patterns[name] = Object.fromEntries(kinds.map(k => [k, new RegExp(spec.permissions[k])]));
    const own = [`${name}-some-consumer`, `${name}-some-consumer_error`, `${name}-bus-0a1b2c3d`];
    check(own.every(q => kinds.every(k => patterns[name][k].test(q))), `${label}: ${userName} may declare, write and read its own queues (${name}-…, their _error queues, its bus endpoints)`);
    const others = names.filter(n => n !== name).flatMap(n => [`${n}-some-consumer`, `${n}-some-consumer_error`]);
    const leaks = others.flatMap(q => kinds.filter(k => patterns[name][k].test(q)).map(k => `${k} ${q}`));
    check(leaks.length === 0, `${label}: ${userName} can neither declare, write nor read another service's queues`, leaks.join(", "));
  }
  check(users.length === names.length, `${label}: no RabbitMQ user beyond the five services' (${users.map(u => u.metadata?.name).join(", ")})`);
  for (const [publisher, exchange, consumers] of MESSAGE_FLOWS) {
    const p = patterns[publisher];
    check(p && p.configure.test(exchange) && p.write.test(exchange), `${label}: ${publisher} may publish to ${exchange}`);
    for (const consumer of consumers) {
      const c = patterns[consumer];
      check(c && c.configure.test(exchange) && c.read.test(exchange), `${label}: ${consumer} may consume from ${exchange}`);
    }
  }
  const bystanders = names.filter(n => !MESSAGE_FLOWS.some(([p, e, cs]) => e === "MorfX.Contracts:SmsRequested" && (p === n || cs.includes(n))));
  const snoopers = bystanders.filter(n => patterns[n]?.read.test("MorfX.Contracts:SmsRequested"));
  check(snoopers.length === 0, `${label}: only automation-engine and sms-sender may read SmsRequested (phones and texts)`, snoopers.join(", "));
}

// NetworkPolicies: all inbound traffic denied in the namespace except the paths the architecture draws.
function checkNetworkPolicies(label, objects, pg, rabbit) {
  const policies = objects.filter(o => o.kind === "NetworkPolicy");
  const matches = (selector, labels) => selector !== undefined
    && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
    && (selector.matchExpressions ?? []).every(e =>
      e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "NotIn" ? !e.values.includes(labels[e.key])
      : e.operator === "Exists" ? e.key in labels : !(e.key in labels));
  const isEmpty = (selector) => selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  const denyAll = policies.filter(p => isEmpty(p.spec?.podSelector) && (p.spec?.policyTypes ?? []).includes("Ingress") && (p.spec?.ingress ?? []).length === 0);
  check(denyAll.length === 1, `${label}: one NetworkPolicy denies all inbound traffic to every pod of the namespace by default`);

  // Who may reach a pod with these labels, as "source -> port" strings.
  const sources = (labels) => policies.filter(p => matches(p.spec?.podSelector, labels)).flatMap(p => (p.spec?.ingress ?? []).flatMap(rule => {
    const ports = (rule.ports ?? []).map(x => x.port).join("+") || "any port";
    if (!rule.from?.length) return [`anywhere -> ${ports}`];
    return rule.from.map(f => {
      if (f.ipBlock) return `ipBlock ${f.ipBlock.cidr} -> ${ports}`;
      const ns = f.namespaceSelector ? `namespace ${describe(f.namespaceSelector)}` : "";
      const pods = f.podSelector ? `pods ${describe(f.podSelector)}` : "";
      return `${[ns, pods].filter(Boolean).join(" ")} -> ${ports}`;
    });
  })).sort();
  const describe = (selector) => [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map(e => `${e.key} ${e.operator} ${[...(e.values ?? [])].sort().join(",")}`),
  ].join(",") || "(all)";

  for (const [name, svc] of Object.entries(SERVICES)) {
    const deployment = objects.find(o => o.kind === "Deployment" && o.metadata?.name === name);
    if (!deployment) continue;
    const expected = [];
    if (svc.publicPaths.length) expected.push(`namespace kubernetes.io/metadata.name=${INGRESS_NAMESPACE} -> http`);
    if (svc.internalPort) expected.push("pods app.kubernetes.io/name In sms-sender,webhook-ingest -> internal");
    const actual = sources(deployment.spec.template.metadata?.labels ?? {});
    check(JSON.stringify(actual) === JSON.stringify(expected.sort()),
      `${label}: ${name} accepts only ${expected.length ? expected.join("; ") : "no inbound traffic"}`, actual.join("; ") || "none");
  }
  if (pg) {
    const actual = sources({ "cnpg.io/cluster": pg.metadata.name });
    check(actual.includes("pods app.kubernetes.io/component In migration,service -> 5432") && !actual.some(s => s.startsWith("anywhere")),
      `${label}: PostgreSQL accepts 5432 from the services and their migration Jobs, and nothing from anywhere`, actual.join("; "));
  }
  if (rabbit) {
    const actual = sources({ "app.kubernetes.io/name": rabbit.metadata.name });
    check(actual.includes("pods app.kubernetes.io/component=service -> 5672") && !actual.some(s => s.startsWith("anywhere")),
      `${label}: RabbitMQ accepts 5672 from the services, and nothing from anywhere`, actual.join("; "));
  }
}

function checkImage(label, name, image, deployable) {
  const expected = `${IMAGE_REPOSITORY}${name}`;
  const [repository, tag] = (image ?? "").split(/:(?=[^/]*$)/);
  check(repository === expected, `${label}: ${name} image is ${expected}`, image);
  if (deployable) check(tag && tag !== "latest", `${label}: ${name} image carries a release tag (${tag ?? "none"})`);
}

function checkSecurity(label, name, podSpec, container) {
  const pod = podSpec?.securityContext ?? {};
  const sc = container?.securityContext ?? {};
  check(pod.runAsNonRoot === true && sc.allowPrivilegeEscalation === false && sc.readOnlyRootFilesystem === true
    && (sc.capabilities?.drop ?? []).includes("ALL") && pod.seccompProfile?.type === "RuntimeDefault",
    `${label}: ${name} runs non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp`);
  check(podSpec?.automountServiceAccountToken === false, `${label}: ${name} mounts no service-account token`);
}
