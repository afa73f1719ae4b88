import { describe, expect, it } from "vitest";
import { mayContainProviderEventName, mentionsLemonSqueezy } from "../../src/model/providers.js";
import { callsMethod, callsWord, comparesWithString, hasWord, includesRare, includesVia, rareAnchor } from "../../src/model/text.js";

// Each search stands in for a regular expression; on every sample it must answer as that expression does.
const SAMPLES = [
  "",
  "env",
  "const env = 1;",
  "process.env.X",
  "environment",
  "myenv.X",
  "env_var",
  "$env",
  "switch (x) { case 1: }",
  "showcase(",
  "lowercase",
  'if (a === "b")',
  'if (a !== "b")',
  'if (a == "b")',
  'if ("b" === a)',
  'if ("b"==a)',
  "if (a === b)",
  "if (a ===\n  `x`)",
  "if ('x'\n === a)",
  'if ("b" !== a)',
  "if (a != 'b')",
  "x = y == z",
  "list.includes (x)",
  "list.includes(x)",
  "list.includes",
  "stripe.customers.create(",
  "stripe.customers.create (",
  "stripe.customers.createX(",
  "create(",
  "createCheckout(); .create",
  "x.create\n  (a)",
  "app.post('/webhook', h)",
  'app.post( "/webhook", h)',
  "app.post(path, h)",
  "Deno.serve(h)",
  "observe(h)",
  "serve (h)",
  "a\u00a0=== 'x'",
];

describe("text searches", () => {
  it("hasWord is /\\bword\\b/", () => {
    for (const text of SAMPLES) {
      expect(hasWord(text, "env"), text).toBe(/\benv\b/.test(text));
      expect(hasWord(text, "case"), text).toBe(/\bcase\b/.test(text));
    }
  });

  it("hasWord through an anchor is hasWord", () => {
    for (const text of SAMPLES) {
      expect(hasWord(text, "env", "v"), text).toBe(/\benv\b/.test(text));
      expect(hasWord(text, "env", "nv"), text).toBe(/\benv\b/.test(text));
      expect(hasWord(text, "case", "se"), text).toBe(/\bcase\b/.test(text));
      expect(hasWord(text, "case", "c"), text).toBe(/\bcase\b/.test(text));
    }
  });

  it("callsWord is /word\\s*\\(/, with a word boundary or a path argument when asked", () => {
    for (const text of SAMPLES) {
      expect(callsWord(text, ".create"), text).toBe(/\.create\s*\(/.test(text));
      expect(callsWord(text, ".includes"), text).toBe(/\.includes\s*\(/.test(text));
      expect(callsWord(text, "serve", { boundary: true }), text).toBe(/\bserve\s*\(/.test(text));
      expect(callsWord(text, ".post", { pathArgument: true }), text).toBe(/\.post\s*\(\s*["'`]\//.test(text));
    }
  });

  it("callsMethod is callsWord with a dot before the name", () => {
    for (const text of SAMPLES) {
      expect(callsMethod(text, "create"), text).toBe(callsWord(text, ".create"));
      expect(callsMethod(text, "includes"), text).toBe(callsWord(text, ".includes"));
    }
  });

  it("comparesWithString is /={2,3}\\s*[\"'`]|[\"'`]\\s*={2,3}/", () => {
    for (const text of SAMPLES) {
      expect(comparesWithString(text), text).toBe(/={2,3}\s*["'`]|["'`]\s*={2,3}/.test(text));
    }
  });

  it("includesVia is includes, whatever part of the word the anchor is", () => {
    const texts = ["", "Action", "httpAction", "const a = httpAction(", "myAction; httpActionGeneric", "tpAction", "stripe.webhooks.constructEvent(", "Event constructEvent", "parseEventNotification", "EventNotification"];
    for (const text of texts) {
      expect(includesVia(text, "httpAction", "Action"), text).toBe(text.includes("httpAction"));
      expect(includesVia(text, "constructEvent", "Event"), text).toBe(text.includes("constructEvent"));
      expect(includesVia(text, "parseEventNotification", "EventNotification"), text).toBe(text.includes("parseEventNotification"));
      expect(includesVia(text, "httpAction", "http"), text).toBe(text.includes("httpAction"));
    }
  });

  it("rareAnchor starts at the rarest character of the word, and includesRare is includes", () => {
    expect(rareAnchor("env")).toBe("v");
    expect(rareAnchor("Checkout")).toBe("Checkout");
    expect(rareAnchor("@paddle")).toBe("@paddle");
    expect(rareAnchor("queezy")).toBe("zy");
    for (const text of [...SAMPLES, "envv", "vv env", "@paddle/paddle-node-sdk", "paddle", "lemonsqueezy", "squeez"]) {
      for (const word of ["env", "@paddle", "queezy", "stripe", "x/serv"]) expect(includesRare(text, word), `${word} in ${text}`).toBe(text.includes(word));
    }
  });

  it("mayContainProviderEventName is the quoted-event-name expression it replaces", () => {
    const objects = ["customer", "invoice", "invoiceitem", "checkout", "user", "organizationMembership", "v1"];
    const events = ["order_created", "subscription_payment_success"];
    const expression = new RegExp(`["'\`](?:(?:${objects.join("|")})\\.[a-z]|(?:${events.join("|")})["'\`])`);
    const texts = [
      `"invoice.paid"`,
      `'invoiceitem.created'`,
      "`user.created`",
      `"organizationMembership.deleted"`,
      `"v1.billing.meter"`,
      `"v1x.billing"`,
      `"invoice.Paid"`,
      `"invoice."`,
      `"invoices.paid"`,
      `'order_created'`,
      `'order_created"`,
      `"order_created_x"`,
      `order_created'`,
      `"sub" + 'order_created'`,
      `"react.element"`,
      `// invoice.paid`,
      `"./invoice.paid"`,
      "",
      `"`,
    ];
    for (const text of texts) expect(mayContainProviderEventName(text), text).toBe(expression.test(text));
  });

    it("mentionsLemonSqueezy is /lemonsqueezy/i for the spellings in use", () => {
    for (const text of ["@lemonsqueezy/lemonsqueezy.js", "LemonSqueezy", "lemonSqueezy", "LEMONSQUEEZY_API_KEY", "api.lemonsqueezy.com"]) {
      expect(mentionsLemonSqueezy(text), text).toBe(true);
    }
    for (const text of ["lemon-squeezy", "squeeze", "lemonade", ""]) expect(mentionsLemonSqueezy(text), text).toBe(false);
  });
});
