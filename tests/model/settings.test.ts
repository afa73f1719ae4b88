import { describe, expect, it } from "vitest";
import {
  fileFact,
  getFileContext,
  importsModule,
  isAppRouteFile,
  isBillingPath,
  isConvexFolderFile,
  isPagesApiFile,
  isWebhookPath,
  relativePath,
} from "../../src/model/file.js";
import { isPaymentSdkModule, isWebhookVerifierModule, PAYMENT_SDK_MODULE_ANCHORS, WEBHOOK_VERIFIER_MODULE_ANCHORS } from "../../src/model/providers.js";
import { analyzeSource, parseSource, ParseError } from "../../src/model/parse.js";
import { resolveSettings } from "../../src/model/settings.js";

describe("settings.webhook", () => {
  it("extends the defaults", () => {
    const settings = resolveSettings({ loggers: ["pino"], billingPathPatterns: ["plans?"], convexDirs: ["backend"] });
    expect(settings.loggers.has("pino")).toBe(true);
    expect(settings.loggers.has("console")).toBe(true);
    expect(settings.billingPath.test("app/api/plans/route.ts")).toBe(true);
    expect(settings.convexDirs.has("backend")).toBe(true);
  });

  it("is memoised per settings object", () => {
    const raw = { loggers: ["pino"] };
    expect(resolveSettings(raw)).toBe(resolveSettings(raw));
  });

  it("lists the env modules that contain no other one, as the text must mention one of them", () => {
    expect(resolveSettings({}).envModuleAnchors).toEqual(["env"]);
    expect(resolveSettings({ envModules: ["~/config/secrets", "secrets", "env"] }).envModuleAnchors).toEqual(["env", "secrets"]);
  });

  it("rejects unknown keys, wrong types and bad regular expressions with a clear error", () => {
    expect(() => resolveSettings({ logger: ["x"] })).toThrow(
      "webhook-lint: unknown key settings.webhook.logger. Known keys: billingPathPatterns, convexDirs, emailFields, envModules, identityFields, loggers, nonSecretNamePattern, secretNamePattern, verifiers, webhookPathPatterns.",
    );
    expect(() => resolveSettings({ loggers: "pino" })).toThrow("webhook-lint: settings.webhook.loggers must be an array of strings.");
    expect(() => resolveSettings({ secretNamePattern: "(" })).toThrow(/settings.webhook.secretNamePattern is not a valid regular expression/);
    expect(() => resolveSettings({ billingPathPatterns: ["["] })).toThrow(/billingPathPatterns has an invalid regular expression "\["/);
    expect(() => resolveSettings([])).toThrow("webhook-lint: settings.webhook must be an object.");
  });
});

describe("file paths", () => {
  it("makes paths relative to the project root and accepts backslashes", () => {
    expect(relativePath("/repo/stripe-webhooks/app/page.tsx", "/repo/stripe-webhooks")).toBe("app/page.tsx");
    expect(relativePath("C:\\repo\\app\\api\\route.ts", "C:\\repo")).toBe("app/api/route.ts");
    expect(relativePath("./pages/api/x.ts")).toBe("pages/api/x.ts");
  });

  it("does not let the project folder's name make every file a billing file", () => {
    const file = getFileContext({ program: parseSource("", "x.ts"), filename: "/home/me/stripe-billing/src/components/Button.tsx", cwd: "/home/me/stripe-billing", text: "" });
    expect(isBillingPath(file)).toBe(false);
  });

  it("classifies route, pages and convex paths", () => {
    expect(isAppRouteFile(analyzeSource("", "src/app/api/webhooks/route.ts"))).toBe(true);
    expect(isAppRouteFile(analyzeSource("", "src/app/api/webhooks/routes.ts"))).toBe(false);
    expect(isPagesApiFile(analyzeSource("", "src/pages/api/stripe.ts"))).toBe(true);
    expect(isWebhookPath(analyzeSource("", "app/api/webhooks/clerk/route.ts"))).toBe(true);
    expect(isWebhookPath(analyzeSource("", "src/hooks/useUser.ts"))).toBe(false);
    expect(isConvexFolderFile(analyzeSource("", "convex/billing.ts"))).toBe(true);
    expect(isConvexFolderFile(analyzeSource("", "convex/_generated/api.js"))).toBe(false);
    expect(isConvexFolderFile(analyzeSource("", "backend/billing.ts", { settings: { convexDirs: ["backend"] } }))).toBe(true);
  });

  it("parse errors carry the position", () => {
    expect(() => parseSource("const = 1;", "bad.ts")).toThrow(ParseError);
    expect(() => parseSource("const = 1;", "bad.ts")).toThrow(/^bad\.ts:1:7: /);
  });
});

describe("importsModule with anchors", () => {
  const specifiers = [
    "svix",
    "standardwebhooks",
    "@clerk/nextjs/webhooks",
    "@clerk/backend/webhooks",
    "@polar-sh/sdk/webhooks",
    "better-auth-sync",
    "better-auth-sync/server",
    "@octokit/webhooks",
    "@paddle/paddle-node-sdk",
    "stripe",
    "@stripe/stripe-js",
    "@polar-sh/sdk",
    "@lemonsqueezy/lemonsqueezy.js",
    "react",
    "./webhooks",
  ];
  it.each(specifiers)("answers as without them for an import of %s", (specifier) => {
    for (const text of [`import x from "${specifier}";`, `const x = require('${specifier}');`, `export * from "${specifier}";`]) {
      const withAnchors = analyzeSource(text, "src/lib/x.ts");
      const without = analyzeSource(text, "src/lib/x.ts");
      expect(importsModule(withAnchors, isWebhookVerifierModule, WEBHOOK_VERIFIER_MODULE_ANCHORS)).toBe(importsModule(without, isWebhookVerifierModule));
      expect(importsModule(withAnchors, isPaymentSdkModule, PAYMENT_SDK_MODULE_ANCHORS)).toBe(importsModule(without, isPaymentSdkModule));
    }
  });

  it("does not collect the imports of a text that mentions no anchor", () => {
    const file = analyzeSource(`import React from "react";`, "src/lib/x.ts");
    expect(importsModule(file, () => true, ["svix"])).toBe(false);
    expect(importsModule(file, () => true)).toBe(true);
  });
});

describe("file facts", () => {
  it("are computed once per file, and separately for each file, including a false or null answer", () => {
    let calls = 0;
    const mentionsStripe = fileFact((file) => {
      calls++;
      return file.text.includes("stripe") ? "yes" : null;
    });
    const a = analyzeSource(`import Stripe from "stripe";`, "a.ts");
    const b = analyzeSource(`export {};`, "b.ts");
    expect([a.fact(mentionsStripe), a.fact(mentionsStripe)]).toEqual(["yes", "yes"]);
    expect([b.fact(mentionsStripe), b.fact(mentionsStripe)]).toEqual([null, null]);
    expect(calls).toBe(2);
  });
});
