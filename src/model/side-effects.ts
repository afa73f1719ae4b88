/**
 * Slow side effects: calls that leave the process and may take seconds (sending email, calling
 * an AI model, writing to a third-party HTTP API, writing to a provider's API, running a
 * Convex action), as opposed to the quick reads a handler needs to verify or process an event
 * (`stripe.subscriptions.retrieve`, a JWKS fetch) and to durable hand-offs (`ctx.scheduler`,
 * queue enqueues) that are the cure. SDK clients are recognised through the imports table
 * (`new Resend(...)`, `new OpenAI()`, `import { generateText } from "ai"`), following local
 * variables and `getX()`-style factories, with a few conventional names (`resend`, `stripe`,
 * `clerkClient`) for clients exported by project modules such as `@/lib/stripe`.
 */
import type { TSESTree } from "@typescript-eslint/utils";
import {
  calleeName,
  calleeSegments,
  contains,
  isFunction,
  objectProperties,
  staticString,
  unwrap,
  unwrapAwait,
  walk,
  type FunctionNode,
  type Node,
} from "./ast.js";
import { convexCallAt } from "./convex.js";
import type { FileContext } from "./file.js";
import { functionOf } from "./routes.js";
import { resolveName } from "./scope.js";

/** What kind of slow work a call does, for messages. */
export type SlowKind = "email" | "ai" | "http" | "provider-write" | "action";

export interface SlowSideEffect {
  node: TSESTree.CallExpression;
  kind: SlowKind;
  /** The callee as written, for messages: `resend.emails.send`, `clerkClient().users.updateUserMetadata`. */
  callee: string;
}

/** SDK families the model recognises. */
export type SdkFamily =
  | "resend"
  | "convex-resend"
  | "sendgrid"
  | "nodemailer"
  | "postmark"
  | "mailgun"
  | "ses"
  | "mandrill"
  | "loops"
  | "openai"
  | "anthropic"
  | "vercel-ai"
  | "google-ai"
  | "replicate"
  | "ai-other"
  | "stripe"
  | "clerk"
  | "polar"
  | "paddle"
  | "lemonsqueezy"
  | "slack"
  | "http-client"
  | "queue";

const MODULE_FAMILIES: ReadonlyArray<[RegExp, SdkFamily]> = [
  [/^resend$/, "resend"],
  [/^@convex-dev\/resend$/, "convex-resend"],
  [/^@sendgrid\/mail$/, "sendgrid"],
  [/^nodemailer$/, "nodemailer"],
  [/^postmark$/, "postmark"],
  [/^mailgun(?:\.js|-js)$/, "mailgun"],
  [/^@aws-sdk\/client-sesv?2?$/, "ses"],
  [/^@mailchimp\/mailchimp_transactional$/, "mandrill"],
  [/^loops$/, "loops"],
  [/^openai$/, "openai"],
  [/^@anthropic-ai\/sdk$/, "anthropic"],
  [/^ai$/, "vercel-ai"],
  [/^@google\/(?:genai|generative-ai)$/, "google-ai"],
  [/^replicate$/, "replicate"],
  [/^(?:groq-sdk|@mistralai\/mistralai|cohere-ai|together-ai|@fal-ai\/(?:client|serverless-client)|elevenlabs|@elevenlabs\/elevenlabs-js)$/, "ai-other"],
  [/^stripe$/, "stripe"],
  [/^@clerk\/(?:nextjs\/server|backend|clerk-sdk-node|express|fastify|remix\/ssr\.server|astro\/server)$/, "clerk"],
  [/^@polar-sh\/sdk$/, "polar"],
  [/^@paddle\/paddle-node-sdk$/, "paddle"],
  [/^@lemonsqueezy\/lemonsqueezy\.js$/, "lemonsqueezy"],
  [/^@slack\/(?:web-api|webhook)$/, "slack"],
  [/^(?:axios|ky|got|ofetch|node-fetch|undici|superagent)$/, "http-client"],
  [/^(?:inngest|@upstash\/qstash|@upstash\/workflow|@trigger\.dev\/sdk(?:\/v3)?|@aws-sdk\/client-sqs|bullmq|bull|@vercel\/queue|@google-cloud\/pubsub|@google-cloud\/tasks)$/, "queue"],
];

/** Conventional names of clients exported by project modules (`import { stripe } from "@/lib/stripe"`). */
const NAME_FAMILIES: ReadonlyArray<[RegExp, SdkFamily]> = [
  [/^resend(?:Client)?$/i, "resend"],
  [/^(?:sgMail|sendgrid(?:Client)?)$/i, "sendgrid"],
  [/^(?:transporter|mailer|mailTransport(?:er)?|smtpTransport|nodemailerTransport)$/i, "nodemailer"],
  [/^postmark(?:Client)?$/i, "postmark"],
  [/^(?:mailgun|mg)(?:Client)?$/i, "mailgun"],
  [/^(?:openai|openAi|openaiClient)$/i, "openai"],
  [/^(?:anthropic|anthropicClient|claude)$/i, "anthropic"],
  [/^replicate$/i, "replicate"],
  [/^(?:stripe|stripeClient|stripeApi|stripeSdk)$/i, "stripe"],
  [/^(?:clerkClient|clerk)$/, "clerk"],
  [/^(?:polar|polarClient)$/, "polar"],
  [/^(?:paddle|paddleClient)$/, "paddle"],
  [/^(?:slack|slackClient)$/, "slack"],
  [/^(?:inngest|qstash|qstashClient|sqs|sqsClient|queue|jobQueue|tasks|workflowClient)$/, "queue"],
];

/** Factories whose result is a client of a family (`createTransport()`, `clerkClient()`, `getStripe()`). */
const FACTORY_FAMILIES: ReadonlyArray<[RegExp, SdkFamily]> = [
  [/^createTransport$/, "nodemailer"],
  [/^(?:clerkClient|createClerkClient)$/, "clerk"],
  [/^get(?:Stripe|StripeClient|StripeServer)$/, "stripe"],
  [/^get(?:Resend|ResendClient)$/, "resend"],
  [/^get(?:OpenAI|OpenAi|OpenAIClient)$/, "openai"],
  [/^get(?:Anthropic|AnthropicClient)$/, "anthropic"],
];

/** Public scopes whose packages are not the SDK their name says (`@ai-sdk/openai` is a model factory). */
const PUBLIC_SCOPES = /^@(?:ai-sdk|langchain|types|stripe|clerk|convex-dev|vercel|react-email|upstash|aws-sdk|google|google-cloud|anthropic-ai|polar-sh|paddle|lemonsqueezy|sendgrid|mailchimp|slack|trigger\.dev|sentry|t3-oss|tanstack|auth|next-auth|supabase|prisma|openai)\//;

/** Calls in a receiver chain that return a client rather than a result. */
const FACTORY_METHOD = /^(?:(?:get|create|make|new|init|build|use|with)[A-Z]\w*|client|getClient|withOptions)$/;

function familyOfModule(source: string): SdkFamily | null {
  for (const [pattern, family] of MODULE_FAMILIES) if (pattern.test(source)) return family;
  // A monorepo package wrapping an SDK under its name: `@repo/resend`, `@acme/stripe`.
  const scoped = /^@[^/]+\/([^/]+)$/.exec(source);
  if (scoped && !PUBLIC_SCOPES.test(source)) {
    const bare = scoped[1]!;
    for (const [pattern, family] of MODULE_FAMILIES) if (family !== "vercel-ai" && pattern.test(bare)) return family;
  }
  return null;
}

function familyOfName(name: string, table: ReadonlyArray<[RegExp, SdkFamily]>): SdkFamily | null {
  for (const [pattern, family] of table) if (pattern.test(name)) return family;
  return null;
}

/** True for module specifiers inside the project (`@/lib/x`, `~/x`, `./x`, `../x`, `#x`). */
function isProjectModule(source: string): boolean {
  return /^(?:\.{1,2}\/|@\/|~\/|#|src\/|lib\/)/.test(source) || source === "." || source === "..";
}

/**
 * The SDK family a receiver expression belongs to: `resend` (from `new Resend()`), `stripe`
 * (imported from `@/lib/stripe`), `(await clerkClient()).users`, `genAI.getGenerativeModel()`.
 * Follows `const` initialisers and member/call chains down to their root, at most `depth` hops.
 */
export function sdkFamilyOf(file: FileContext, node: Node, depth = 4): SdkFamily | null {
  let n = unwrapAwait(node);
  for (;;) {
    if (n.type === "MemberExpression") n = unwrapAwait(n.object);
    else if (n.type === "CallExpression") {
      const name = calleeName(n);
      const factory = name ? familyOfName(name, FACTORY_FAMILIES) : null;
      if (factory) {
        // `clerkClient()` imported from Clerk, or a project-level `getStripe()`.
        const callee = unwrap(n.callee);
        if (callee.type !== "Identifier") return factory;
        const binding = file.imports.get(callee.name);
        if (!binding) return factory;
        return familyOfModule(binding.source) ?? factory;
      }
      // `genAI.getGenerativeModel(...)` returns a client; `await openai.files.content(id)` returns data.
      if (!name || !FACTORY_METHOD.test(name)) return null;
      n = unwrapAwait(n.callee);
    } else if (n.type === "NewExpression") {
      const callee = unwrap(n.callee);
      if (callee.type === "Identifier") {
        const binding = file.imports.get(callee.name);
        if (binding) return familyOfModule(binding.source);
        return null;
      }
      if (callee.type === "MemberExpression") {
        // `new postmark.ServerClient(token)`
        n = unwrap(callee.object);
        continue;
      }
      return null;
    } else break;
  }
  if (n.type !== "Identifier") return null;
  const binding = file.imports.get(n.name);
  const local = resolveName(n.name, n);
  if (!local && binding) {
    const family = familyOfModule(binding.source);
    if (family) return family;
    if (!isProjectModule(binding.source)) return null;
    // `import { stripe } from "@/lib/stripe"`, also when renamed on import.
    return familyOfName(n.name, NAME_FAMILIES) ?? familyOfName(binding.imported, NAME_FAMILIES);
  }
  if (local?.kind === "variable" && local.init && depth > 0) {
    const family = sdkFamilyOf(file, local.init, depth - 1);
    if (family) return family;
  }
  if (local?.kind === "parameter") return null;
  // A local whose initialiser says nothing (`let stripe; ... stripe = new Stripe()`), or a global
  // in a snippet: go by the conventional name.
  return familyOfName(n.name, NAME_FAMILIES);
}

/** The callee of a call as written, for messages (`clerkClient().users.updateUserMetadata`). */
export function calleeText(call: TSESTree.CallExpression): string {
  return calleeSegments(call.callee)
    .join(".")
    .replace(/\.\(\)/g, "()")
    .replace(/\.new\(\)/g, "()");
}

/** Segments after the client root: `["emails", "send"]` for `resend.emails.send(...)`. */
function methodPath(call: TSESTree.CallExpression): string[] {
  const segments = calleeSegments(call.callee);
  let start = 1;
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i] === "()" || segments[i] === "new()") {
      start = i + 1;
      break;
    }
  }
  return segments.slice(start);
}

const STRIPE_READ = /^(?:retrieve\w*|list\w*|search|find|preview|createPreview|pdf)$/;
const CLERK_WRITE = /^(?:update|create|delete|ban|unban|lock|unlock|revoke|merge|set|add|remove|disable|enable|invite)\w*$/;
const GENERIC_PROVIDER_WRITE = /^(?:create|update|delete|del|cancel|revoke|refund|pause|resume|archive|void|finalize|grant|activate|deactivate|issue|generate)\w*$/;
const LEMON_SQUEEZY_WRITE = /^(?:create|update|cancel|delete|pause|resume|generate|issue|activate|deactivate|void|archive)\w*$/;
const VERCEL_AI_CALLS = /^(?:generateText|streamText|generateObject|streamObject|embed|embedMany|generateImage|experimental_generateImage|generateSpeech|experimental_generateSpeech|transcribe|experimental_transcribe|rerank)$/;
/** Local helpers imported from a project module whose name says they send mail. */
const SEND_MAIL_NAME = /^send[A-Z]?\w*(?:Email|Mail|Emails|Mails|Newsletter)$/;
/** `send...` helpers count as mail when the project module they come from is about mail (`@/lib/email`, `@/server/mailer`). */
const SEND_NAME = /^send[A-Z]\w*$/;
const MAIL_MODULE = /(?:^|[/_.-])(?:e-?mails?|mail|mailer|mailers|mailing|resend|sendgrid|postmark|nodemailer|smtp)(?:[/_.-]|$)/i;

/** `fetch(url, init)`: a write (non-GET method, or a body) to a URL that is not relative or a key set. */
function fetchIsSlowWrite(call: TSESTree.CallExpression): boolean {
  const url = call.arguments[0];
  if (!url) return false;
  const literal = urlPrefix(url);
  if (literal !== null && (literal.startsWith("/") || /\.well-known\/|jwks/i.test(literal))) return false;
  return isWriteInit(call.arguments[1]);
}

/** The static start of a URL expression: a literal, a template's head, `new URL("...")`, a `const`. */
function urlPrefix(node: Node, hops = 2): string | null {
  const n = unwrap(node);
  const literal = staticString(n);
  if (literal !== null) return literal;
  if (n.type === "TemplateLiteral") return n.quasis[0]?.value.cooked ?? null;
  if (n.type === "NewExpression" && calleeName(n) === "URL" && n.arguments[0]) return urlPrefix(n.arguments[0], hops);
  if (n.type === "Identifier" && hops > 0) {
    const binding = resolveName(n.name, n);
    if (binding?.kind === "variable" && binding.init && binding.path.length === 0) return urlPrefix(binding.init, hops - 1);
  }
  return null;
}

function isWriteInit(init: Node | undefined): boolean {
  if (!init) return false;
  const props = objectProperties(init);
  const method = props.get("method");
  if (method) {
    const value = staticString(method.value);
    if (value !== null) return !/^(?:GET|HEAD|OPTIONS)$/i.test(value);
  }
  return props.has("body");
}

const HTTP_CLIENT_WRITE = new Set(["post", "put", "patch", "delete"]);

/**
 * Classifies one call as slow side work, or returns null. Reads needed to process an event
 * (`stripe.subscriptions.retrieve`, `clerkClient.users.getUser`, a GET `fetch`), verification
 * (`openai.webhooks.unwrap`, a JWKS fetch), Convex scheduling and queue enqueues are not slow work.
 */
export function slowSideEffectAt(file: FileContext, call: TSESTree.CallExpression): SlowSideEffect | null {
  const callee = unwrap(call.callee);
  const name = calleeName(call);
  if (!name) return null;
  const make = (kind: SlowKind): SlowSideEffect => ({ node: call, kind, callee: calleeText(call) });

  const convex = convexCallAt(file, call);
  if (convex) {
    if (convex.op !== "action") return null;
    return isVerificationAction(convex.argsNode, convex.ref?.path ?? null) ? null : make("action");
  }

  if (callee.type === "Identifier") {
    const binding = file.imports.get(name);
    const local = binding ? null : resolveName(name, callee);
    if (name === "fetch" && !local && (!binding || familyOfModule(binding.source) === "http-client")) {
      return fetchIsSlowWrite(call) ? make("http") : null;
    }
    if (binding) {
      const family = familyOfModule(binding.source);
      const imported = binding.imported;
      if (family === "vercel-ai" && VERCEL_AI_CALLS.test(imported)) return make("ai");
      if (family === "lemonsqueezy" && LEMON_SQUEEZY_WRITE.test(imported)) return make("provider-write");
      if (family === "http-client") {
        // `axios(config)`, `ofetch(url, { method: "POST" })`
        const config = call.arguments.find((a) => unwrap(a).type === "ObjectExpression");
        return isWriteInit(config) ? make("http") : null;
      }
      if (family === null && isProjectModule(binding.source) && (SEND_MAIL_NAME.test(name) || (SEND_NAME.test(name) && MAIL_MODULE.test(binding.source)))) {
        return make("email");
      }
      return null;
    }
    return null;
  }

  if (callee.type !== "MemberExpression") return null;
  const family = sdkFamilyOf(file, callee.object);
  if (!family) return null;
  const path = methodPath(call);
  const first = path[0] ?? "";
  switch (family) {
    case "resend":
      return (first === "emails" || first === "batch") && (name === "send" || name === "create") ? make("email") : null;
    case "sendgrid":
      return name === "send" || name === "sendMultiple" ? make("email") : null;
    case "nodemailer":
      return name === "sendMail" ? make("email") : null;
    case "postmark":
      return /^sendEmail/.test(name) ? make("email") : null;
    case "mailgun":
      return first === "messages" && name === "create" ? make("email") : null;
    case "ses":
      return name === "sendEmail" || name === "sendRawEmail" || (name === "send" && isSesEmailCommand(call)) ? make("email") : null;
    case "mandrill":
      return first === "messages" && /^send/.test(name) ? make("email") : null;
    case "loops":
      return /^send/.test(name) ? make("email") : null;
    case "openai":
    case "anthropic":
    case "google-ai":
    case "replicate":
    case "ai-other":
      if (first === "webhooks" || /^(?:withOptions|getGenerativeModel|startChat)$/.test(name)) return null;
      // Reading a finished batch, file or prediction (an AI provider's own webhook) is not generating.
      if (/^(?:retrieve|list|get|content|retrieveContent|countTokens)\w*$/.test(name)) return null;
      return make("ai");
    case "stripe":
      if (first === "webhooks" || path.length < 2 || STRIPE_READ.test(name)) return null;
      return make("provider-write");
    case "clerk":
      if (first === "webhooks" || path.length < 2) return null;
      return CLERK_WRITE.test(name) ? make("provider-write") : null;
    case "polar":
    case "paddle":
      if (first === "webhooks" || path.length < 2) return null;
      return GENERIC_PROVIDER_WRITE.test(name) ? make("provider-write") : null;
    case "slack":
      return /^(?:postMessage|send|postEphemeral|update|scheduleMessage)$/.test(name) ? make("http") : null;
    case "http-client":
      if (HTTP_CLIENT_WRITE.has(name)) return make("http");
      if (name === "request") return isWriteInit(call.arguments[0]) ? make("http") : null;
      return null;
    default:
      return null;
  }
}

function isSesEmailCommand(call: TSESTree.CallExpression): boolean {
  const arg = call.arguments[0] ? unwrap(call.arguments[0]) : null;
  return !!arg && arg.type === "NewExpression" && /^Send\w*Email\w*Command$/.test(calleeName(arg) ?? "");
}

/**
 * A Convex action that verifies the webhook (Node crypto is only available in actions): its
 * arguments carry the signature or headers, or its name says it verifies. Convex's Stripe
 * template calls `ctx.runAction(internal.stripe.fulfill, { signature, payload })` this way.
 */
function isVerificationAction(argsNode: Node | null, path: string[] | null): boolean {
  const last = path?.[path.length - 1] ?? "";
  if (/verif|validat|unwrap|constructEvent/i.test(last)) return true;
  if (!argsNode) return false;
  for (const key of objectProperties(argsNode).keys()) {
    if (/sig|signature|headers|svix|webhook[-_]?(?:id|timestamp)/i.test(key)) return true;
  }
  return false;
}

/**
 * Durable hand-offs: `inngest.send`, `qstash.publishJSON`, `tasks.trigger` (Trigger.dev),
 * `sqs.send`, `queue.add` (BullMQ), `ctx.scheduler.runAfter`. The work runs later, with retries.
 */
export function isQueueEnqueueCall(file: FileContext, call: TSESTree.CallExpression): boolean {
  const convex = convexCallAt(file, call);
  if (convex) return convex.op === "schedule";
  const callee = unwrap(call.callee);
  const name = calleeName(call);
  if (!name || callee.type !== "MemberExpression") return false;
  const family = sdkFamilyOf(file, callee.object);
  if (family === "queue") return /^(?:send|publish\w*|enqueue\w*|trigger|batchTrigger\w*|add|addBulk|createTask|triggerAndWait)$/.test(name);
  // `myTask.trigger(payload)` on a Trigger.dev task defined with `task({ ... })`.
  if (name === "trigger" || name === "batchTrigger") {
    const object = unwrap(callee.object);
    if (object.type === "Identifier") {
      const binding = file.imports.get(object.name);
      if (binding && !isProjectModule(binding.source)) return false;
      return true;
    }
  }
  return false;
}

export interface AwaitedCall {
  call: TSESTree.CallExpression;
  /** The same-file helper the call was found in, when it was reached through `await helper(...)`. */
  via: FunctionNode | null;
  /** The awaited call in the starting function through which `call` was reached (`call` itself when direct). */
  site: TSESTree.CallExpression;
}

const PROMISE_COMBINATORS = new Set(["all", "allSettled", "race", "any"]);

/**
 * Calls whose completion `fn` waits for before it returns: `await x()`, `return x()`, elements
 * of an awaited `Promise.all([...])` (and `Promise.all(xs.map(async (x) => ...))` callbacks),
 * calls in the executor of an awaited `new Promise((resolve) => ...)` (callback-style APIs),
 * receivers of awaited `.then/.catch/.finally`, and `const p = x(); ...; await p`. Un-awaited
 * calls and nested functions (`after(() => ...)`, listeners) are not included. With
 * `helperDepth`, also descends into same-file helpers awaited this way (`await handleCheckout(event)`).
 */
export function awaitedCalls(fn: FunctionNode, helperDepth = 1): AwaitedCall[] {
  const out: AwaitedCall[] = [];
  const seenFunctions = new Set<Node>();
  const seenCalls = new Set<Node>();
  const visitFunction = (target: FunctionNode, via: FunctionNode | null, site: TSESTree.CallExpression | null, depth: number) => {
    if (seenFunctions.has(target)) return;
    seenFunctions.add(target);
    const roots: Node[] = [];
    if (target.body.type !== "BlockStatement") {
      roots.push(target.body);
    } else {
      walk(
        target.body,
        (node) => {
          if (node.type === "AwaitExpression") roots.push(node.argument);
          else if (node.type === "ReturnStatement" && node.argument) roots.push(node.argument);
          else if (node.type === "ForOfStatement" && node.await) roots.push(node.right);
        },
        { skipFunctions: true },
      );
    }
    for (const root of roots) collect(root, via, site, depth, 3);
  };
  const collect = (
    expression: Node,
    via: FunctionNode | null,
    site: TSESTree.CallExpression | null,
    depth: number,
    hops: number,
  ): void => {
    const n = unwrap(expression);
    switch (n.type) {
      case "ConditionalExpression":
        collect(n.consequent, via, site, depth, hops);
        collect(n.alternate, via, site, depth, hops);
        return;
      case "LogicalExpression":
        collect(n.left, via, site, depth, hops);
        collect(n.right, via, site, depth, hops);
        return;
      case "Identifier": {
        // `const sending = resend.emails.send(...); ...; await sending;`
        if (hops <= 0) return;
        const binding = resolveName(n.name, n);
        if (binding?.kind === "variable" && binding.init && binding.path.length === 0 && binding.declarationKind === "const") {
          collect(binding.init, via, site, depth, hops - 1);
        }
        return;
      }
      case "NewExpression": {
        // `await new Promise((resolve, reject) => transporter.sendMail(opts, (err) => ...))`: the
        // executor runs at once and the promise settles when its callback-style call finishes.
        const callee = unwrap(n.callee);
        const executor = n.arguments[0] ? unwrap(n.arguments[0]) : null;
        if (callee.type !== "Identifier" || callee.name !== "Promise" || resolveName("Promise", n) || !executor || !isFunction(executor)) return;
        if (executor.body.type !== "BlockStatement") {
          collect(executor.body, via, site, depth, hops);
          return;
        }
        walk(
          executor.body,
          (node) => {
            if (node.type !== "CallExpression") return true;
            collect(node, via, site, depth, hops);
            return false;
          },
          { skipFunctions: true },
        );
        return;
      }
      case "CallExpression":
        break;
      default:
        return; // awaits nested inside other expressions are found by the walk itself
    }
    if (seenCalls.has(n)) return;
    const callee = unwrap(n.callee);
    const name = calleeName(n);
    if (callee.type === "MemberExpression" && (name === "then" || name === "catch" || name === "finally")) {
      collect(callee.object, via, site, depth, hops);
      return;
    }
    if (callee.type === "MemberExpression" && name && PROMISE_COMBINATORS.has(name)) {
      const object = unwrap(callee.object);
      if (object.type === "Identifier" && object.name === "Promise") {
        const arg = n.arguments[0] ? unwrap(n.arguments[0]) : null;
        if (arg?.type === "ArrayExpression") {
          for (const element of arg.elements) {
            if (element && element.type !== "SpreadElement") collect(element, via, site, depth, hops);
          }
        } else if (arg?.type === "CallExpression" && calleeName(arg) === "map") {
          const mapper = arg.arguments[0] ? unwrap(arg.arguments[0]) : null;
          if (mapper && isFunction(mapper)) visitFunction(mapper, via, site, depth);
        } else if (arg) {
          collect(arg, via, site, depth, hops);
        }
        return;
      }
    }
    seenCalls.add(n);
    out.push({ call: n, via, site: site ?? n });
    if (depth > 0 && callee.type === "Identifier") {
      const helper = functionOf(callee, 1);
      if (helper && !contains(helper, n)) visitFunction(helper, helper, site ?? n, depth - 1);
    }
  };
  visitFunction(fn, null, null, helperDepth);
  return out;
}
