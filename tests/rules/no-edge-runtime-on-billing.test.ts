import rule from "../../rules/no-edge-runtime-on-billing.js";
import { ruleTester } from "../rule-tester.js";

const STRIPE_ROUTE = "app/api/webhooks/stripe/route.ts";

ruleTester.run("no-edge-runtime-on-billing", rule, {
  valid: [
    {
      name: "a commented edge runtime on a geolocation proxy route",
      filename: "app/api/geo/route.ts",
      code: `// Edge: closest region to the visitor\nexport const runtime = "edge";\nexport async function GET(req: Request) {\n  return Response.json({ country: req.headers.get("x-vercel-ip-country") });\n}\n`,
    },
    {
      name: "OG image route on the edge",
      filename: "app/api/og/route.tsx",
      code: `import { ImageResponse } from "next/og";\nexport const runtime = "edge";\nexport async function GET() {\n  return new ImageResponse(<div>Hello</div>);\n}\n`,
    },
    {
      name: "proxy route on the edge",
      filename: "src/app/api/proxy/[...path]/route.ts",
      code: `export const runtime = "edge";\nexport async function GET(req: Request) {\n  return fetch(new URL(req.url).pathname, { headers: req.headers });\n}\n`,
    },
    {
      name: "webhook route on Node.js (explicit)",
      filename: STRIPE_ROUTE,
      code: `export const runtime = "nodejs";\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
    },
    {
      name: "webhook route without a runtime export (default Node.js)",
      filename: STRIPE_ROUTE,
      code: `export async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
    },
    {
      name: "billing page component on the edge is not a route",
      filename: "app/billing/page.tsx",
      code: `export const runtime = "edge";\nexport default function Page() {\n  return <main>Billing</main>;\n}\n`,
    },
    {
      name: "middleware on the edge",
      filename: "middleware.ts",
      code: `export const runtime = "edge";\nexport function middleware() {}\n`,
    },
    {
      name: "edge runtime that is not exported",
      filename: STRIPE_ROUTE,
      code: `const runtime = "edge";\nconsole.log(runtime);\nexport async function POST() {\n  return new Response("ok");\n}\n`,
    },
    {
      name: "dynamic runtime value is not guessed",
      filename: STRIPE_ROUTE,
      code: `export const runtime = process.env.RUNTIME;\nexport async function POST() {\n  return new Response("ok");\n}\n`,
    },
    {
      name: "search route on the edge",
      filename: "app/api/search/route.ts",
      code: `import { searchDocs } from "@/lib/search";\nexport const runtime = "edge";\nexport async function GET(req: Request) {\n  return Response.json(await searchDocs(new URL(req.url).searchParams.get("q")));\n}\n`,
    },
    {
      name: "Pages API route for OG images with edge config",
      filename: "pages/api/og.tsx",
      code: `export const config = { runtime: "edge" };\nexport default function handler() {\n  return new Response("img");\n}\n`,
    },
    {
      name: "Pages webhook route with bodyParser config only",
      filename: "pages/api/webhooks/clerk.ts",
      code: `export const config = { api: { bodyParser: false } };\nexport default async function handler(req, res) {\n  res.status(200).end();\n}\n`,
    },
    {
      name: "Pages billing route on nodejs",
      filename: "pages/api/billing/portal.ts",
      code: `export const config = { runtime: "nodejs" };\nexport default async function handler(req, res) {\n  res.status(200).end();\n}\n`,
    },
    {
      name: "fixed output of an App Router webhook route",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";\n\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
    },
    {
      name: "fixed output of a Pages billing route",
      filename: "pages/api/checkout.ts",
      code: `export const config = { api: { bodyParser: false } };\nexport default async function handler(req, res) {}\n`,
    },
    {
      name: "plain JavaScript chat route on the edge",
      filename: "app/api/chat/route.js",
      code: `export const runtime = "edge";\nexport async function POST(req) {\n  return new Response("hi");\n}\n`,
    },
    {
      name: "edge runtime in a Convex file is not a Next.js route",
      filename: "convex/stripe.ts",
      code: `export const runtime = "edge";\n`,
    },
  ],
  invalid: [
    {
      name: "the comment above the export goes with it",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";\n\n// Edge for lower latency\nexport const runtime = "edge";\n\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
      output: `import Stripe from "stripe";\n\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
      errors: [{ messageId: "edgeRuntime", line: 4, column: 14, data: { kind: "App Router", runtime: "edge" } }],
    },
    {
      name: "Stripe webhook route on the edge",
      filename: STRIPE_ROUTE,
      code: `import Stripe from "stripe";\n\nexport const runtime = "edge";\n\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
      output: `import Stripe from "stripe";\n\nexport async function POST(req: Request) {\n  return new Response("ok");\n}\n`,
      errors: [{ messageId: "edgeRuntime", line: 3, column: 14, data: { kind: "App Router", runtime: "edge" } }],
    },
    {
      name: "experimental-edge on a checkout route",
      filename: "src/app/api/checkout/route.ts",
      code: `export const runtime = 'experimental-edge';\nexport async function POST() {\n  return Response.json({});\n}\n`,
      output: `export async function POST() {\n  return Response.json({});\n}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 14, data: { kind: "App Router", runtime: "experimental-edge" } }],
    },
    {
      name: "route importing stripe under a neutral path",
      filename: "app/api/upgrade/route.ts",
      code: `import { stripe } from "stripe";\nexport const runtime = "edge";\nexport async function POST() {}\n`,
      output: `import { stripe } from "stripe";\nexport async function POST() {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 2, column: 14 }],
    },
    {
      name: "Clerk webhook route on the edge (svix import)",
      filename: "app/api/clerk/route.ts",
      code: `import { Webhook } from "svix";\nexport const runtime = "edge";\nexport async function POST() {}\n`,
      output: `import { Webhook } from "svix";\nexport async function POST() {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 2, column: 14 }],
    },
    {
      name: "billing portal route",
      filename: "app/api/billing/portal/route.ts",
      code: `export const dynamic = "force-dynamic";\nexport const runtime = "edge";\nexport async function POST() {}\n`,
      output: `export const dynamic = "force-dynamic";\nexport async function POST() {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 2, column: 14 }],
    },
    {
      name: "subscriptions route with a template literal",
      filename: "app/api/subscriptions/route.ts",
      code: "export const runtime = `edge`;\nexport async function GET() {}\n",
      output: "export async function GET() {}\n",
      errors: [{ messageId: "edgeRuntime", line: 1, column: 14 }],
    },
    {
      name: "payments route in JavaScript",
      filename: "app/api/payments/route.js",
      code: `export const runtime = "edge";\nexport async function POST(req) {}\n`,
      output: `export async function POST(req) {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 14 }],
    },
    {
      name: "runtime declared with another segment option",
      filename: "app/api/webhooks/polar/route.ts",
      code: `export const runtime = "edge", maxDuration = 30;\nexport async function POST() {}\n`,
      output: `export const maxDuration = 30;\nexport async function POST() {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 14 }],
    },
    {
      name: "runtime with a type annotation",
      filename: "app/api/stripe/route.ts",
      code: `export const runtime: string = "edge";\nexport async function POST() {}\n`,
      output: `export async function POST() {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 14 }],
    },
    {
      name: "Pages webhook route with only an edge config",
      filename: "pages/api/webhooks/stripe.ts",
      code: `export const config = { runtime: "edge" };\nexport default async function handler(req: Request) {\n  return new Response("ok");\n}\n`,
      output: `export default async function handler(req: Request) {\n  return new Response("ok");\n}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 25, data: { kind: "Pages API", runtime: "edge" } }],
    },
    {
      name: "Pages checkout route keeps the rest of its config",
      filename: "pages/api/checkout.ts",
      code: `export const config = { runtime: "edge", api: { bodyParser: false } };\nexport default async function handler(req, res) {}\n`,
      output: `export const config = { api: { bodyParser: false } };\nexport default async function handler(req, res) {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 25 }],
    },
    {
      name: "Pages multi-line config, runtime last",
      filename: "src/pages/api/stripe-webhook.ts",
      code: `export const config = {\n  api: { bodyParser: false },\n  runtime: "experimental-edge",\n};\nexport default async function handler(req, res) {}\n`,
      output: `export const config = {\n  api: { bodyParser: false },\n};\nexport default async function handler(req, res) {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 3, column: 3 }],
    },
    {
      name: "Pages multi-line config, runtime first",
      filename: "pages/api/billing.js",
      code: `export const config = {\n  runtime: "edge",\n  maxDuration: 10,\n};\nexport default function handler(req, res) {}\n`,
      output: `export const config = {\n  maxDuration: 10,\n};\nexport default function handler(req, res) {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 2, column: 3 }],
    },
    {
      name: "Lemon Squeezy webhook under src/app",
      filename: "src/app/api/webhooks/lemonsqueezy/route.ts",
      code: `import crypto from "node:crypto";\n\nexport const runtime = "edge";\nexport const dynamic = "force-dynamic";\n\nexport async function POST(request: Request) {}\n`,
      output: `import crypto from "node:crypto";\n\nexport const dynamic = "force-dynamic";\n\nexport async function POST(request: Request) {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 3, column: 14 }],
    },
    {
      name: "Windows path separators",
      filename: "app\\api\\webhooks\\clerk\\route.ts",
      code: `export const runtime = "edge";\nexport async function POST() {}\n`,
      output: `export async function POST() {}\n`,
      errors: [{ messageId: "edgeRuntime", line: 1, column: 14 }],
    },
    {
      name: "route that verifies Stripe signatures under a neutral path",
      filename: "app/api/events/route.ts",
      code: `import { getStripe } from "@/lib/server";\nexport const runtime = "edge";\nexport async function POST(req: Request) {\n  const event = getStripe().webhooks.constructEvent(await req.text(), "", "");\n  return new Response(event.id);\n}\n`,
      output: `import { getStripe } from "@/lib/server";\nexport async function POST(req: Request) {\n  const event = getStripe().webhooks.constructEvent(await req.text(), "", "");\n  return new Response(event.id);\n}\n`,
      errors: [{ messageId: "edgeRuntime", line: 2, column: 14 }],
    },
  ],
});
