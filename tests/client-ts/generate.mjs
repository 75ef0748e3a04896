// Generates src/generated/<service>.ts from each service's OpenAPI document: the live /openapi/v1.json at the base URL in
// MORFX_CONFIG_URL, MORFX_ENGINE_URL and MORFX_USAGE_URL, or <service>.json files in MORFX_OPENAPI_DIR (written by the
// per-service tests with MORFX_OPENAPI_OUT).
import { mkdir, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const services = { "config-api": "MORFX_CONFIG_URL", "automation-engine": "MORFX_ENGINE_URL", "usage-api": "MORFX_USAGE_URL" };
const folder = process.env.MORFX_OPENAPI_DIR;
await mkdir("src/generated", { recursive: true });
for (const [service, variable] of Object.entries(services)) {
  const source = folder
    ? pathToFileURL(path.resolve(folder, `${service}.json`))
    : new URL("/openapi/v1.json", process.env[variable] ?? fail(`${variable} or MORFX_OPENAPI_DIR is required`));
  // Free-form objects (an action's config) are records of unknown values, not of nothing.
  const ast = await openapiTS(source, { emptyObjectsUnknown: true });
  await writeFile(`src/generated/${service}.ts`, astToString(ast));
  console.log(`generated src/generated/${service}.ts from ${source}`);
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
