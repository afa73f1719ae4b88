import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/model/parse.js";
import { mayRegisterServerRoutes, routeHandlers } from "../../src/model/routes.js";

function handlers(code: string, filename: string) {
  return routeHandlers(analyzeSource(code, filename)).map((h) => ({
    kind: h.kind,
    method: h.method,
    name: h.name,
    routePath: h.routePath,
    requestName: h.requestName,
    responseName: h.responseName,
    line: h.fn.loc.start.line,
  }));
}

describe("routeHandlers", () => {
  it("finds App Router verb exports in every declaration form", () => {
    const code = [
      "export async function POST(req: Request) {}",
      "export const GET = async (request: Request) => new Response();",
      "export const PUT = withAuth(async (r: Request) => new Response());",
      "async function remove(req: Request) {}",
      "export { remove as DELETE };",
      "export function helper() {}",
      "export const dynamic = 'force-dynamic';",
    ].join("\n");
    expect(handlers(code, "src/app/api/webhooks/stripe/route.ts")).toEqual([
      { kind: "app-route", method: "POST", name: "POST", routePath: null, requestName: "req", responseName: null, line: 1 },
      { kind: "app-route", method: "GET", name: "GET", routePath: null, requestName: "request", responseName: null, line: 2 },
      { kind: "app-route", method: "PUT", name: "PUT", routePath: null, requestName: "r", responseName: null, line: 3 },
      { kind: "app-route", method: "DELETE", name: "DELETE", routePath: null, requestName: "req", responseName: null, line: 4 },
    ]);
  });

  it("ignores verb exports outside route files", () => {
    expect(handlers("export async function POST(req: Request) {}", "app/api/webhooks/stripe/handler.ts")).toEqual([]);
  });

  it("finds Pages Router default exports, wrapped or by name", () => {
    expect(handlers("export default async function handler(req, res) {}", "pages/api/clerk-webhook.ts")).toMatchObject([
      { kind: "pages-api", name: "handler", requestName: "req", responseName: "res" },
    ]);
    expect(handlers("const h = async (req, res) => {};\nexport default withSentry(h);", "src/pages/api/stripe.js")).toMatchObject([
      { kind: "pages-api", requestName: "req", responseName: "res", line: 1 },
    ]);
    expect(handlers("module.exports = async (req, res) => {};", "pages/api/hook.js")).toMatchObject([{ kind: "pages-api" }]);
    expect(handlers("export default function Page() { return null }", "pages/billing.tsx")).toEqual([]);
  });

  it("finds Convex httpActions with their route path and method", () => {
    const code = [
      'import { httpRouter } from "convex/server";',
      'import { httpAction } from "./_generated/server";',
      "const http = httpRouter();",
      "const clerkWebhook = httpAction(async (ctx, request) => new Response());",
      'http.route({ path: "/clerk-webhook", method: "POST", handler: clerkWebhook });',
      'http.route({ path: "/stripe", method: "POST", handler: httpAction(async (ctx, req) => new Response()) });',
      "export default http;",
    ].join("\n");
    expect(handlers(code, "convex/http.ts")).toEqual([
      { kind: "http-action", method: "POST", name: "clerkWebhook", routePath: "/clerk-webhook", requestName: "request", responseName: null, line: 4 },
      { kind: "http-action", method: "POST", name: null, routePath: "/stripe", requestName: "req", responseName: null, line: 6 },
    ]);
  });

  it("finds server actions in 'use server' files and inline", () => {
    expect(handlers('"use server";\nexport async function upgrade(formData: FormData) {}\nexport function sync() {}', "app/actions.ts")).toMatchObject([
      { kind: "server-action", name: "upgrade" },
    ]);
    expect(
      handlers('export default function Page() {\n  async function save() {\n    "use server";\n  }\n  return null;\n}', "app/page.tsx"),
    ).toMatchObject([{ kind: "server-action", name: "save", line: 2 }]);
  });

  it("finds Express/Hono webhook routes and Deno.serve handlers", () => {
    expect(handlers('app.post("/api/webhook", express.raw({ type: "application/json" }), async (req, res) => {});', "server.js")).toMatchObject([
      { kind: "express", method: "POST", routePath: "/api/webhook", requestName: "req", responseName: "res" },
    ]);
    expect(handlers("Deno.serve(async (req) => new Response('ok'));", "supabase/functions/stripe-webhook/index.ts")).toMatchObject([
      { kind: "deno-serve", requestName: "req" },
    ]);
    expect(handlers('router.post(someVariable, handler); list.all("x");', "server.js")).toEqual([]);
  });
});

describe("mayRegisterServerRoutes", () => {
  const may = (code: string) => mayRegisterServerRoutes(analyzeSource(code, "server/index.ts"));

  it("is true for a handler registered for a path, or a Deno server", () => {
    expect(may('app.post("/webhooks/stripe", handler);')).toBe(true);
    expect(may("router.put( '/x', h)")).toBe(true);
    expect(may("app.all(`/hooks`, h)")).toBe(true);
    expect(may("app\n  .post(\n    \"/stripe\", express.raw({ type: 'application/json' }), h)")).toBe(true);
    expect(may("Deno.serve(async (req) => new Response())")).toBe(true);
    expect(may('import { serve } from "https://deno.land/std@0.177.0/http/server.ts";\nserve (handler)')).toBe(true);
    expect(may('import { serve } from "jsr:@std/http";\nserve(handler)')).toBe(true);
    expect(may('const { serve } = require("https://deno.land/x/sift/mod.ts");\nserve(handler)')).toBe(true);
  });

  it("is false for a `serve(` that no handler search would take for Deno's (it must be Deno.serve or std/http's serve)", () => {
    expect(may('import { serve } from "@hono/node-server";\nserve({ fetch: app.fetch })')).toBe(false);
    expect(may("serve (handler)")).toBe(false);
  });

  it("is false for ordinary calls that share the words", () => {
    expect(may("await Promise.all(tasks); observe(x); preserve(y); serveStatic(dir);")).toBe(false);
    expect(may('axios.post("https://api.example.com", body); api.post(url); app.put(`${base}/x`, h)')).toBe(false);
    expect(may("const served = serve; app.postMessage('/x')")).toBe(false);
  });
});
