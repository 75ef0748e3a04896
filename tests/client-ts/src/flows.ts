// The seed's flows, as the frontend runs them, through clients generated from the live OpenAPI documents: Twilio saved,
// tested and read masked; auto-sync toggled; an automation created; usage, its chart and the recent messages read. Errors
// are typed: the program branches on their `code`. Prints one line per step and exits non-zero on anything unexpected.
import createClient from "openapi-fetch";
import type { paths as ConfigApi } from "./generated/config-api.js";
import type { paths as Engine } from "./generated/automation-engine.js";
import type { paths as UsageApi } from "./generated/usage-api.js";

const headers = { Authorization: `Bearer ${required("MORFX_TOKEN")}` };
const config = createClient<ConfigApi>({ baseUrl: required("MORFX_CONFIG_URL"), headers });
const engine = createClient<Engine>({ baseUrl: required("MORFX_ENGINE_URL"), headers });
const usage = createClient<UsageApi>({ baseUrl: required("MORFX_USAGE_URL"), headers });

// The merchant's own accounts (at the emulators in tests: registered there by the caller).
const run = required("MORFX_RUN_ID").replaceAll("-", "").slice(0, 12).padEnd(12, "0");
const accountSid = required("MORFX_TWILIO_ACCOUNT_SID");
const authToken = required("MORFX_TWILIO_AUTH_TOKEN");
const shopDomain = required("MORFX_SHOP_DOMAIN");
const shopAccessToken = required("MORFX_SHOP_ACCESS_TOKEN");
const phone = `+57300${run.replace(/\D/g, "").padEnd(7, "1").slice(0, 7)}`;
const automation = {
  name: "Confirmación de pedido",
  trigger: "shopify.order_created",
  conditions: [],
  actions: [{ type: "send_sms", config: { to: "{{cliente.telefono}}", body: "Hola {{cliente.nombre}}, recibimos tu pedido {{orden.numero}}." } }],
  enabled: true,
  purpose: "transactional",
  sendWindow: null,
};

// Before Twilio is saved: removing it is a typed 404, and an SMS automation is refused with a typed code.
const removed = await config.DELETE("/api/integrations/twilio");
if (removed.error?.code !== "twilio_not_configured") fail("DELETE twilio before saving", removed);
console.log(`twilio not configured yet: ${removed.error.detail}`);
const early = await engine.POST("/api/automations/validate", { body: automation });
if (early.error?.code === "twilio_not_configured" || early.error?.code === "shopify_not_configured" || early.error?.code === "validation_failed")
  console.log(`automation refused before the integrations: ${early.error.code}`);
else fail("validating before the integrations", early);

const saved = await config.PUT("/api/integrations/twilio", { body: { accountSid, authToken, phoneNumber: "+15005550006" } });
if (!saved.data) fail("saving Twilio", saved);
console.log(`twilio saved: ${saved.data.accountSid}`);

const read = await config.GET("/api/integrations/twilio");
if (!read.data?.authToken?.startsWith("****") || read.data.authToken.includes(authToken)) fail("reading Twilio masked", read);
console.log(`twilio read masked: ${read.data.authToken}`);

const tested = await config.POST("/api/integrations/twilio/test", { body: { phoneNumber: phone } });
if (tested.error?.code === "rate_limited") fail("testing Twilio: rate limited", tested);
if (!tested.data) fail("testing Twilio", tested);
console.log(`twilio tested: ${tested.data.messageSid}`);

const shop = await config.PUT("/api/integrations/shopify", {
  body: { shopDomain, accessToken: shopAccessToken, clientSecret: `shpss_${run}`, previousClientSecret: null, defaultCountry: "CO" },
});
if (!shop.data) fail("connecting Shopify", shop);
for (const autoSyncOrders of [false, true]) {
  const toggled = await config.PATCH("/api/integrations/shopify", { body: { autoSyncOrders } });
  if (toggled.error?.code === "shopify_not_active") fail(`auto-sync refused: ${toggled.error.detail}`, toggled);
  if (toggled.data?.autoSyncOrders !== autoSyncOrders) fail("toggling auto-sync", toggled);
  console.log(`auto-sync ${autoSyncOrders ? "on" : "off"}`);
}

// The engine hears of the integrations on the bus a moment after config-api saved them.
let created: Awaited<ReturnType<typeof createAutomation>> | undefined;
for (let attempt = 0; attempt < 30; attempt++) {
  created = await createAutomation();
  if (created.data || (created.error?.code !== "twilio_not_configured" && created.error?.code !== "shopify_not_configured")) break;
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
if (!created?.data) fail("creating the automation", created);
console.log(`automation created: ${created.data.name} (${created.data.enabled ? "enabled" : "disabled"})`);

const summary = await usage.GET("/api/usage/sms", { params: { query: { period: "day" } } });
if (!summary.data) fail("reading usage", summary);
console.log(`usage: ${summary.data.totalSent} sent, ${summary.data.totalCost} ${summary.data.priceUnit}`);
console.log(`recent messages: ${summary.data.messages.length}`);

const chart = await usage.GET("/api/usage/sms/chart", { params: { query: { period: "week", tz: "America/Bogota" } } });
if (!chart.data) fail("reading the chart", chart);
console.log(`chart: ${chart.data.length} days`);

const badChart = await usage.GET("/api/usage/sms/chart", { params: { query: { period: "year" } } });
if (badChart.error?.code !== "invalid_period") fail("a year-long chart", badChart);
console.log(`chart refused: ${badChart.error.code}`);
console.log("flows ok");

function createAutomation() {
  return engine.POST("/api/automations", { body: automation });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) fail(`${name} is required`);
  return value;
}

function fail(step: string, answer?: { error?: unknown; response?: Response }): never {
  console.error(`FAILED ${step}: ${answer?.response?.status ?? ""} ${JSON.stringify(answer?.error ?? null)}`);
  process.exit(1);
}
