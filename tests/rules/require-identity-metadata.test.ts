import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import rule from "../../rules/require-identity-metadata.js";
import { ruleTester } from "../rule-tester.js";

const CHECKOUT_ROUTE = "app/api/checkout/route.ts";

const CLERK_ROUTE_PAYMENT = `import { auth } from "@clerk/nextjs/server";
import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const { userId } = await auth();
  if (!userId) return new Response("Unauthorized", { status: 401 });
  const { priceId } = await req.json();
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: priceId, quantity: 1 }],
    success_url: \`\${process.env.NEXT_PUBLIC_APP_URL}/thanks\`,
  });
  return Response.json({ url: session.url });
}
`;

const CLERK_ROUTE_PAYMENT_FIXED = `import { auth } from "@clerk/nextjs/server";
import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const { userId } = await auth();
  if (!userId) return new Response("Unauthorized", { status: 401 });
  const { priceId } = await req.json();
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: priceId, quantity: 1 }],
    success_url: \`\${process.env.NEXT_PUBLIC_APP_URL}/thanks\`,
    metadata: { userId },
  });
  return Response.json({ url: session.url });
}
`;

const SUBSCRIPTION_SESSION_ONLY = `import { currentUser } from "@clerk/nextjs/server";

export async function POST() {
  const user = await currentUser();
  if (!user) return new Response(null, { status: 401 });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: process.env.STRIPE_PRO_PRICE_ID, quantity: 1 }],
    client_reference_id: user.id,
    metadata: { clerkUserId: user.id },
    subscription_data: { trial_period_days: 14 },
    success_url: "https://example.com/billing",
  });
  return Response.json({ url: session.url });
}
`;

const SUBSCRIPTION_SESSION_ONLY_FIXED = SUBSCRIPTION_SESSION_ONLY.replace(
  "subscription_data: { trial_period_days: 14 }",
  "subscription_data: { trial_period_days: 14, metadata: { clerkUserId: user.id } }",
);

const CONVEX_CUSTOMER = `import { action } from "./_generated/server";
import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export const createCustomer = action({
  args: {},
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    if (!identity) throw new Error("Not signed in");
    const customer = await stripe.customers.create({ email: identity.email, name: identity.name });
    return customer.id;
  },
});
`;

const CONVEX_CUSTOMER_FIXED = CONVEX_CUSTOMER.replace(
  "{ email: identity.email, name: identity.name }",
  "{ email: identity.email, name: identity.name, metadata: { userId: identity.subject } }",
);

const BODY_USER_ID = `import Stripe from "stripe";
import { auth } from "@clerk/nextjs/server";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const session = await auth();
  const { userId, priceId } = await req.json();
  const checkout = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: priceId, quantity: 1 }],
    metadata: { userId },
  });
  return Response.json({ url: checkout.url });
}
`;

const BODY_USER_ID_FIXED = BODY_USER_ID.replace("metadata: { userId },", "metadata: { userId: session.userId },");

const LEMON = `"use server";
import { createCheckout } from "@lemonsqueezy/lemonsqueezy.js";
import { getCurrentUser } from "@/lib/session";

export async function buy(variantId: number) {
  const user = await getCurrentUser();
  const { data } = await createCheckout(process.env.LEMONSQUEEZY_STORE_ID!, variantId, {
    checkoutData: { email: user.email },
  });
  return data?.data.attributes.url;
}
`;

const LEMON_FIXED = LEMON.replace("checkoutData: { email: user.email },", "checkoutData: { email: user.email, custom: { user_id: user.id } },");

const POLAR_EMAIL_ONLY = `import { Polar } from "@polar-sh/sdk";
import { currentUser } from "@clerk/nextjs/server";

export async function GET() {
  const user = await currentUser();
  const checkout = await polar.checkouts.create({
    products: ["prod_1"],
    customerEmail: user!.emailAddresses[0]!.emailAddress,
  });
  return Response.redirect(checkout.url);
}
`;

const POLAR_EMAIL_ONLY_FIXED = `import { Polar } from "@polar-sh/sdk";
import { currentUser } from "@clerk/nextjs/server";

export async function GET() {
  const user = await currentUser();
  const checkout = await polar.checkouts.create({
    products: ["prod_1"],
    customerEmail: user!.emailAddresses[0]!.emailAddress,
    metadata: { userId: user.id },
  });
  return Response.redirect(checkout.url);
}
`;

const LEMON_REST = `export async function POST() {
  const user = await getCurrentUser();
  const body = { data: { type: "checkouts", attributes: { checkout_data: { email: user.email } } } };
  const res = await fetch("https://api.lemonsqueezy.com/v1/checkouts", { method: "POST", body: JSON.stringify(body) });
  return Response.json(await res.json());
}
`;

const LEMON_REST_FIXED = `export async function POST() {
  const user = await getCurrentUser();
  const body = { data: { type: "checkouts", attributes: { checkout_data: { email: user.email, custom: { user_id: user.id } } } } };
  const res = await fetch("https://api.lemonsqueezy.com/v1/checkouts", { method: "POST", body: JSON.stringify(body) });
  return Response.json(await res.json());
}
`;

const NEXTAUTH_SUBSCRIPTION = `import { getServerSession } from "next-auth";

export async function POST() {
  const session = await getServerSession(authOptions);
  const checkout = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    subscription_data: { trial_period_days: 7 },
  });
  return Response.json({ url: checkout.url });
}
`;

const NEXTAUTH_SUBSCRIPTION_FIXED = `import { getServerSession } from "next-auth";

export async function POST() {
  const session = await getServerSession(authOptions);
  const checkout = await stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    subscription_data: { trial_period_days: 7, metadata: { userId: session.user.id } },
    metadata: { userId: session.user.id },
  });
  return Response.json({ url: checkout.url });
}
`;

const SEARCH_PARAM_USER_ID = `import { auth } from "@clerk/nextjs/server";

export async function GET(req: Request) {
  const { userId } = await auth();
  const url = new URL(req.url);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    client_reference_id: url.searchParams.get("uid") ?? undefined,
    metadata: { plan: "pro" },
  });
  return Response.redirect(session.url!);
}
`;

const SEARCH_PARAM_USER_ID_FIXED = `import { auth } from "@clerk/nextjs/server";

export async function GET(req: Request) {
  const { userId } = await auth();
  const url = new URL(req.url);
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    client_reference_id: userId,
    metadata: { plan: "pro" },
  });
  return Response.redirect(session.url!);
}
`;

ruleTester.run("require-identity-metadata", rule, {
  valid: [
    { name: "fixed: Polar metadata from currentUser()", filename: "app/api/polar/checkout/route.ts", code: POLAR_EMAIL_ONLY_FIXED },
    { name: "fixed: Lemon Squeezy REST custom user_id (JavaScript)", filename: "app/api/lemonsqueezy/route.js", code: LEMON_REST_FIXED },
    { name: "fixed: NextAuth subscription checkout with both metadata objects", filename: "src/app/api/stripe/checkout/route.ts", code: NEXTAUTH_SUBSCRIPTION_FIXED },
    { name: "fixed: client_reference_id from auth()", filename: "app/api/upgrade/route.ts", code: SEARCH_PARAM_USER_ID_FIXED },
    { name: "fixed: metadata.userId added from auth()", filename: CHECKOUT_ROUTE, code: CLERK_ROUTE_PAYMENT_FIXED },
    { name: "fixed: subscription_data.metadata copied from the session", filename: CHECKOUT_ROUTE, code: SUBSCRIPTION_SESSION_ONLY_FIXED },
    { name: "fixed: Convex customer created with the identity subject", filename: "convex/stripe.ts", code: CONVEX_CUSTOMER_FIXED },
    { name: "fixed: Lemon Squeezy custom user_id", filename: "app/actions/billing.ts", code: LEMON_FIXED },
    { name: "fixed: user id from the server session, not the body", filename: CHECKOUT_ROUTE, code: BODY_USER_ID_FIXED },
    {
      name: "customer created with metadata.userId (Theo's recommendation)",
      filename: "lib/stripe.ts",
      code: `export async function createCustomer(user: { id: string; email: string }) {
  return stripe.customers.create({ email: user.email, metadata: { userId: user.id } });
}
`,
    },
    {
      name: "Checkout for an existing customer already mapped to the signed-in user",
      filename: CHECKOUT_ROUTE,
      code: `import { auth } from "@clerk/nextjs/server";

export async function POST() {
  const { userId } = await auth();
  const user = await convex.query(api.users.byClerkId, { clerkUserId: userId! });
  const session = await stripe.checkout.sessions.create({
    customer: user!.stripeCustomerId!,
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    success_url: "https://example.com/done",
  });
  return Response.json({ url: session.url });
}
`,
    },
    {
      name: "guest checkout in payment mode (Stripe's quickstart): no user to link",
      filename: "app/api/checkout_sessions/route.ts",
      code: `export async function POST() {
  const session = await stripe.checkout.sessions.create({
    line_items: [{ price: "price_123", quantity: 1 }],
    mode: "payment",
    success_url: "https://example.com/success?session_id={CHECKOUT_SESSION_ID}",
  });
  return Response.redirect(session.url!, 303);
}
`,
    },
    {
      name: "metadata built by spreading a variable is not guessed",
      filename: CHECKOUT_ROUTE,
      code: `export async function POST() {
  const { userId } = await auth();
  const session = await stripe.checkout.sessions.create({ mode: "payment", customer_email: email, metadata: { ...baseMetadata } });
  return Response.json({ url: session.url });
}
`,
    },
    {
      name: "metadata passed as an opaque variable (JavaScript)",
      filename: "app/api/checkout/route.js",
      code: `export async function POST(req) {
  const metadata = await buildMetadata();
  const session = await stripe.checkout.sessions.create({ mode: "subscription", customer_email: "a@b.co", metadata });
  return Response.json({ url: session.url });
}
`,
    },
    {
      name: "params object from a helper",
      filename: CHECKOUT_ROUTE,
      code: `export async function POST() {
  const session = await stripe.checkout.sessions.create(await checkoutParams());
  return Response.json({ url: session.url });
}
`,
    },
    {
      name: "Convex action stores the new customer id against the user",
      filename: "convex/stripe.ts",
      code: `import { action } from "./_generated/server";
import { internal } from "./_generated/api";

export const ensureCustomer = action({
  handler: async (ctx) => {
    const identity = await ctx.auth.getUserIdentity();
    const customer = await stripe.customers.create({ email: identity!.email });
    await ctx.runMutation(internal.users.setStripeCustomerId, { clerkUserId: identity!.subject, stripeCustomerId: customer.id });
  },
});
`,
    },
    {
      name: "Polar checkout with the external customer id",
      filename: "app/api/polar/checkout/route.ts",
      code: `import { Polar } from "@polar-sh/sdk";
import { auth } from "@clerk/nextjs/server";

const polar = new Polar({ accessToken: process.env.POLAR_ACCESS_TOKEN! });

export async function GET() {
  const { userId } = await auth();
  const checkout = await polar.checkouts.create({ products: ["prod_1"], customerExternalId: userId! });
  return Response.redirect(checkout.url);
}
`,
    },
    {
      name: "Lemon Squeezy REST checkout with checkout_data.custom (JavaScript)",
      filename: "app/api/lemonsqueezy/checkout/route.js",
      code: `export async function POST() {
  const { userId } = await auth();
  const res = await fetch("https://api.lemonsqueezy.com/v1/checkouts", {
    method: "POST",
    body: JSON.stringify({
      data: { type: "checkouts", attributes: { checkout_data: { custom: { user_id: userId } } } },
    }),
  });
  return Response.json(await res.json());
}
`,
    },
    {
      name: "internal Convex action: args come from trusted server code",
      filename: "convex/stripe.ts",
      code: `import { internalAction } from "./_generated/server";
import { v } from "convex/values";

export const checkout = internalAction({
  args: { userId: v.string(), priceId: v.string() },
  handler: async (ctx, args) => {
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: args.priceId, quantity: 1 }],
      client_reference_id: args.userId,
    });
    return session.url;
  },
});
`,
    },
    {
      name: "unrelated create calls",
      filename: "app/api/billing/portal/route.ts",
      code: `export async function POST() {
  const { userId } = await auth();
  const portal = await stripe.billingPortal.sessions.create({ customer: cus, return_url: url });
  const row = await prisma.customer.create({ data: { email, userId } });
  const product = await stripe.products.create({ name: "Pro" });
  return Response.json({ url: portal.url, row, product });
}
`,
    },
    {
      name: "subscription-mode option turned off",
      filename: CHECKOUT_ROUTE,
      options: [{ requireSubscriptionMetadata: false }],
      code: SUBSCRIPTION_SESSION_ONLY,
    },
    {
      name: "PaymentIntent with orderId metadata for an order row keyed by the user",
      filename: "app/api/create-payment-intent/route.ts",
      code: `export async function POST(req: Request) {
  const { userId } = await auth();
  const order = await db.order.create({ data: { userId: userId!, amount: 1999 } });
  const intent = await stripe.paymentIntents.create({ amount: 1999, currency: "usd", metadata: { orderId: order.id } });
  return Response.json({ clientSecret: intent.client_secret });
}
`,
    },
    {
      name: "a body user id checked against the session before use",
      filename: CHECKOUT_ROUTE,
      code: `import { auth } from "@clerk/nextjs/server";

export async function POST(req: Request) {
  const { userId: sessionUserId } = await auth();
  const { userId, priceId } = await req.json();
  if (!sessionUserId || userId !== sessionUserId) return new Response("Forbidden", { status: 403 });
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: priceId, quantity: 1 }],
    metadata: { userId },
  });
  return Response.json({ url: session.url });
}
`,
    },
    {
      name: "get-or-create: the customer id stored for the signed-in user, or a new customer created with the user id",
      filename: "supabase/functions/create-checkout/index.ts",
      code: `import Stripe from "https://esm.sh/stripe@14";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);

Deno.serve(async (req) => {
  const { data: { user } } = await supabase.auth.getUser(req.headers.get("Authorization")!.replace("Bearer ", ""));
  const { data: profile } = await supabase.from("profiles").select("stripe_customer_id").eq("id", user!.id).single();
  let customerId = profile?.stripe_customer_id;
  if (!customerId) {
    const customer = await stripe.customers.create({ email: user!.email, metadata: { supabase_user_id: user!.id } });
    customerId = customer.id;
    await supabase.from("profiles").update({ stripe_customer_id: customerId }).eq("id", user!.id);
  }
  const session = await stripe.checkout.sessions.create({
    customer: customerId,
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    success_url: "https://example.com/ok",
  });
  return Response.json({ url: session.url });
});
`,
    },
    {
      name: "a checkout helper that takes the customer id from its caller",
      filename: "lib/stripe.ts",
      code: `export async function createSubscriptionCheckout(customerId: string, priceId: string) {
  return stripe.checkout.sessions.create({
    customer: customerId,
    mode: "subscription",
    line_items: [{ price: priceId, quantity: 1 }],
    success_url: "https://example.com/ok",
  });
}
`,
    },
  ],
  invalid: [
    {
      name: "a subscription checkout with the id from the request, on the session only: both problems (JavaScript)",
      filename: "app/api/payment/route.js",
      code: `import Stripe from "stripe";

export async function POST(req) {
  const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
  const data = await req.json();
  const session = await stripe.checkout.sessions.create({
    line_items: [{ price: data.priceId, quantity: 1 }],
    mode: "subscription",
    success_url: "https://example.com/",
    customer_email: data.user,
    metadata: { userId: data.id },
  });
  return Response.json(session.url);
}
`,
      output: null,
      errors: [
        {
          messageId: "subscriptionMetadata",
          line: 6,
          column: 25,
          suggestions: [],
        },
        {
          messageId: "identityFromRequest",
          line: 11,
          column: 25,
          data: { key: "metadata.userId", object: "Checkout Session", source: "the request body (\`json()\`)" },
          suggestions: [],
        },
      ],
    },
    {
      name: "a customer found by email at Stripe is not a link to the user (Supabase Edge Function)",
      filename: "supabase/functions/create-checkout/index.ts",
      code: `import Stripe from "https://esm.sh/stripe@18";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);

Deno.serve(async (req) => {
  const { email } = await req.json();
  const customers = await stripe.customers.list({ email, limit: 1 });
  const customerId = customers.data[0]?.id;
  const session = await stripe.checkout.sessions.create({
    customer: customerId,
    customer_email: customerId ? undefined : email,
    line_items: [{ price: "price_123", quantity: 1 }],
    mode: "subscription",
    success_url: "https://x/ok",
  });
  return Response.json({ url: session.url });
});
`,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 8,
          column: 25,
          data: { object: "Checkout Session", where: "`metadata` and `subscription_data.metadata`" },
          suggestions: [],
        },
      ],
    },
    {
      name: "a customer found by an email search, or else created with the user id, can still be someone else's",
      filename: CHECKOUT_ROUTE,
      code: `import { auth } from "@clerk/nextjs/server";
import { stripe } from "@/lib/stripe";

export async function POST() {
  const { userId } = await auth();
  const existing = await stripe.customers.search({ query: \`email:'\${email}'\` });
  const customerId = existing.data.length > 0 ? existing.data[0]!.id : (await stripe.customers.create({ email, metadata: { userId: userId! } })).id;
  const session = await stripe.checkout.sessions.create({
    customer: customerId,
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    success_url: "https://example.com/done",
  });
  return Response.json({ url: session.url });
}
`,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 8,
          column: 25,
          data: { object: "Checkout Session", where: "`metadata` and `subscription_data.metadata`" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "userId", via: "auth()", where: "`metadata` and `subscription_data.metadata`" },
              output: `import { auth } from "@clerk/nextjs/server";
import { stripe } from "@/lib/stripe";

export async function POST() {
  const { userId } = await auth();
  const existing = await stripe.customers.search({ query: \`email:'\${email}'\` });
  const customerId = existing.data.length > 0 ? existing.data[0]!.id : (await stripe.customers.create({ email, metadata: { userId: userId! } })).id;
  const session = await stripe.checkout.sessions.create({
    customer: customerId,
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    success_url: "https://example.com/done",
    metadata: { userId },
    subscription_data: { metadata: { userId } },
  });
  return Response.json({ url: session.url });
}
`,
            },
          ],
        },
      ],
    },
    {
      name: "a customer created with only an email links the checkout to nothing",
      filename: CHECKOUT_ROUTE,
      code: `import { stripe } from "@/lib/stripe";

export async function POST(req: Request) {
  const { email } = await req.json();
  const customer = await stripe.customers.create({ email });
  const session = await stripe.checkout.sessions.create({
    customer: customer.id,
    mode: "subscription",
    line_items: [{ price: "price_pro", quantity: 1 }],
    success_url: "https://example.com/done",
  });
  return Response.json({ url: session.url });
}
`,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 5,
          column: 26,
          data: { object: "Stripe customer", where: "`metadata`" },
          suggestions: [],
        },
        {
          messageId: "missingIdentity",
          line: 6,
          column: 25,
          data: { object: "Checkout Session", where: "`metadata` and `subscription_data.metadata`" },
          suggestions: [],
        },
      ],
    },
    {
      name: "Clerk route creates a Checkout Session without the user id",
      filename: CHECKOUT_ROUTE,
      code: CLERK_ROUTE_PAYMENT,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 8,
          column: 25,
          data: { object: "Checkout Session", where: "`metadata` (or `client_reference_id`)" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "userId", via: "auth()", where: "`metadata` (or `client_reference_id`)" },
              output: CLERK_ROUTE_PAYMENT_FIXED,
            },
          ],
        },
      ],
    },
    {
      name: "subscription-mode Checkout with the id on the session only",
      filename: CHECKOUT_ROUTE,
      code: SUBSCRIPTION_SESSION_ONLY,
      output: null,
      errors: [
        {
          messageId: "subscriptionMetadata",
          line: 6,
          column: 25,
          suggestions: [{ messageId: "addSubscriptionMetadata", output: SUBSCRIPTION_SESSION_ONLY_FIXED }],
        },
      ],
    },
    {
      name: "Convex action creates a Stripe customer with only an email",
      filename: "convex/stripe.ts",
      code: CONVEX_CUSTOMER,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 11,
          column: 28,
          data: { object: "Stripe customer", where: "`metadata`" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "identity.subject", via: "ctx.auth.getUserIdentity()", where: "`metadata`" },
              output: CONVEX_CUSTOMER_FIXED,
            },
          ],
        },
      ],
    },
    {
      name: "user id read from the request body",
      filename: CHECKOUT_ROUTE,
      code: BODY_USER_ID,
      output: null,
      errors: [
        {
          messageId: "identityFromRequest",
          line: 12,
          column: 17,
          data: { key: "metadata.userId", object: "Checkout Session", source: "the request body (`json()`)" },
          suggestions: [{ messageId: "useSessionUserId", data: { text: "session.userId", via: "auth()" }, output: BODY_USER_ID_FIXED }],
        },
      ],
    },
    {
      name: "Lemon Squeezy checkout in a server action without custom data",
      filename: "app/actions/billing.ts",
      code: LEMON,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 7,
          column: 26,
          data: { object: "Lemon Squeezy checkout", where: "`checkoutData.custom`" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "user.id", via: "getCurrentUser()", where: "`checkoutData.custom`" },
              output: LEMON_FIXED,
            },
          ],
        },
      ],
    },
    {
      name: "guest subscription checkout: only the email typed at checkout links it (JavaScript)",
      filename: "app/api/subscribe/route.js",
      code: `export async function POST(req) {
  const { email } = await req.json();
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer_email: email,
    line_items: [{ price: "price_pro", quantity: 1 }],
  });
  return Response.json({ url: session.url });
}
`,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 3,
          column: 25,
          data: { object: "Checkout Session", where: "`metadata` and `subscription_data.metadata`" },
          suggestions: [],
        },
      ],
    },
    {
      name: "client_reference_id from a Pages Router request body (JavaScript)",
      filename: "pages/api/checkout.js",
      code: `export default async function handler(req, res) {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    client_reference_id: req.body.userId,
    line_items: req.body.items,
  });
  res.json({ id: session.id });
}
`,
      output: null,
      errors: [
        {
          messageId: "identityFromRequest",
          line: 4,
          column: 26,
          data: { key: "client_reference_id", object: "Checkout Session", source: "`req.body`" },
          suggestions: [],
        },
      ],
    },
    {
      name: "public Convex action takes the user id as an argument",
      filename: "convex/payments.ts",
      code: `import { action } from "./_generated/server";
import { v } from "convex/values";

export const pay = action({
  args: { userId: v.string(), priceId: v.string() },
  handler: async (ctx, { userId, priceId }) => {
    const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: priceId, quantity: 1 }], metadata: { userId } });
    return session.url;
  },
});
`,
      output: null,
      errors: [
        {
          messageId: "identityFromRequest",
          line: 7,
          column: 137,
          data: { key: "metadata.userId", object: "Checkout Session", source: "the arguments of a public Convex function" },
          suggestions: [],
        },
      ],
    },
    {
      name: "server action reading the user id from form data",
      filename: "app/billing/actions.ts",
      code: `"use server";
export async function checkout(formData: FormData) {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: String(formData.get("priceId")), quantity: 1 }],
    client_reference_id: formData.get("userId") as string,
  });
  redirect(session.url!);
}
`,
      output: null,
      errors: [
        {
          messageId: "identityFromRequest",
          line: 6,
          column: 26,
          data: { key: "client_reference_id", object: "Checkout Session", source: "a server action argument" },
          suggestions: [],
        },
      ],
    },
    {
      name: "PaymentIntent with only a receipt email",
      filename: "app/api/payment-intent/route.ts",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const { amount, email } = await req.json();
  const intent = await stripe.paymentIntents.create({ amount, currency: "usd", receipt_email: email });
  return Response.json({ clientSecret: intent.client_secret });
}
`,
      output: null,
      errors: [{ messageId: "missingIdentity", line: 6, column: 24, data: { object: "PaymentIntent", where: "`metadata`" }, suggestions: [] }],
    },
    {
      name: "Polar checkout with the email only",
      filename: "app/api/polar/checkout/route.ts",
      code: POLAR_EMAIL_ONLY,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 6,
          column: 26,
          data: { object: "Polar checkout", where: "`metadata` (or the external customer id)" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "user.id", via: "currentUser()", where: "`metadata` (or the external customer id)" },
              output: POLAR_EMAIL_ONLY_FIXED,
            },
          ],
        },
      ],
    },
    {
      name: "Lemon Squeezy REST checkout with only an email (JavaScript)",
      filename: "app/api/lemonsqueezy/route.js",
      code: LEMON_REST,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 3,
          column: 24,
          data: { object: "Lemon Squeezy checkout", where: "`checkout_data.custom`" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "user.id", via: "getCurrentUser()", where: "`checkout_data.custom`" },
              output: LEMON_REST_FIXED,
            },
          ],
        },
      ],
    },
    {
      name: "subscription checkout with a session user and a subscription_data block without metadata",
      filename: "src/app/api/stripe/checkout/route.ts",
      code: NEXTAUTH_SUBSCRIPTION,
      output: null,
      errors: [
        {
          messageId: "missingIdentity",
          line: 5,
          column: 26,
          data: { object: "Checkout Session", where: "`metadata` and `subscription_data.metadata`" },
          suggestions: [
            {
              messageId: "addUserId",
              data: { text: "session.user.id", via: "getServerSession()", where: "`metadata` and `subscription_data.metadata`" },
              output: NEXTAUTH_SUBSCRIPTION_FIXED,
            },
          ],
        },
      ],
    },
    {
      name: "Stripe customer created in a Clerk user.created webhook without the Clerk id",
      filename: "app/api/webhooks/clerk/route.ts",
      code: `import { verifyWebhook } from "@clerk/nextjs/webhooks";

export async function POST(req) {
  const evt = await verifyWebhook(req);
  if (evt.type === "user.created") {
    await stripe.customers.create({ email: evt.data.email_addresses[0].email_address });
  }
  return new Response("ok");
}
`,
      output: null,
      errors: [{ messageId: "missingIdentity", line: 6, column: 11, data: { object: "Stripe customer", where: "`metadata`" }, suggestions: [] }],
    },
    {
      name: "search-param user id and a metadata object without an identity key",
      filename: "app/api/upgrade/route.ts",
      code: SEARCH_PARAM_USER_ID,
      output: null,
      errors: [
        {
          messageId: "identityFromRequest",
          line: 8,
          column: 26,
          data: { key: "client_reference_id", object: "Checkout Session", source: "the URL search params" },
          suggestions: [
            {
              messageId: "useSessionUserId",
              data: { text: "userId", via: "auth()" },
              output: SEARCH_PARAM_USER_ID_FIXED,
            },
          ],
        },
      ],
    },
  ],
});

describe("require-identity-metadata with ESLint's default parser (espree)", () => {
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      files: ["**/*.js", "**/*.mjs"],
      plugins: { webhook: { rules: { "require-identity-metadata": rule } } },
      rules: { "webhook/require-identity-metadata": "error" as const },
    },
  ];

  it("reports a body user id and a session-less subscription checkout in .js", () => {
    const code = `export async function POST(req) {
  const { userId, email } = await req.json();
  await stripe.checkout.sessions.create({ mode: "payment", client_reference_id: userId });
  await stripe.checkout.sessions.create({ mode: "subscription", customer_email: email });
  return Response.json({});
}
`;
    const messages = linter.verify(code, config as unknown as Linter.Config[], "app/api/checkout/route.js");
    expect(messages.map((m) => [m.messageId, m.line, m.column])).toEqual([
      ["identityFromRequest", 3, 81],
      ["missingIdentity", 4, 9],
    ]);
  });

  it("accepts an .mjs helper that passes metadata", () => {
    const code = `export function createCustomer(user) {
  return stripe.customers.create({ email: user.email, metadata: { userId: user.id } });
}
`;
    expect(linter.verify(code, config as unknown as Linter.Config[], "lib/stripe.mjs")).toEqual([]);
  });
});
