import { mayRegisterConvexFunctions } from "../src/model/convex.js";
import { emailIdentityFindings, type EmailLookup } from "../src/model/identity.js";
import type { ResolvedSettings } from "../src/model/settings.js";
import { isBillingModule } from "../src/model/webhook.js";
import { fileContextOf } from "../src/util/context.js";
import { createRule } from "../src/util/create-rule.js";

const MAX_SNIPPET = 60;

const withoutMail = new WeakMap<ResolvedSettings, readonly string[]>();

/** "mail" as code spells it (`email`, `customerEmail`, `EMAIL`): three substring searches cost less than `/mail/i`. */
function spellsMail(text: string): boolean {
  return text.includes("mail") || text.includes("Mail") || text.includes("MAIL");
}

/** The configured email field names without "mail" in them (none by default), listed once per settings. */
function fieldsWithoutMail(settings: ResolvedSettings): readonly string[] {
  let fields = withoutMail.get(settings);
  if (!fields) {
    fields = [...settings.emailFields].filter((field) => !spellsMail(field));
    withoutMail.set(settings, fields);
  }
  return fields;
}

function target(lookup: EmailLookup): string {
  if (lookup.kind === "provider-search") return `${lookup.subject}s`;
  if (lookup.kind === "named-lookup") return "the user";
  return lookup.subject === "record" ? "a record" : `"${lookup.subject}"`;
}

export default createRule({
  name: "no-email-identity-lookup",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow finding the user or customer by email in webhook and billing code",
      recommended: "recommended",
    },
    schema: [],
    messages: {
      emailLookup:
        "Looking up {{target}} by email ({{lookup}}) in {{context}} code breaks when a user changes their primary email in Clerk while Stripe keeps the old one: the event stops matching and the subscription is orphaned. Put the app's user id in metadata at checkout and look the user up by that id (or by the stored provider customer id).",
      emailAsKey:
        "`{{email}}` is the address typed at checkout, used here as the key for {{target}}; it goes stale when the user changes their email in Clerk, orphaning the subscription. Pass the user id from the event's metadata (or the Stripe customer id) instead.",
    },
  },
  create(context) {
    const file = fileContextOf(context);
    const text = file.text;
    // The text first: most files never mention an email field, and then whether the file is Convex,
    // billing or webhook code does not matter (that chain is the costliest question here).
    // A field name that contains "mail" cannot be in a text without "mail": only the others need a search.
    const mayMentionEmail = spellsMail(text) || fieldsWithoutMail(file.settings).some((field) => text.includes(field));
    if (!mayMentionEmail) return {};
    if (!mayRegisterConvexFunctions(file) && !isBillingModule(file)) return {};

    return {
      "Program:exit"() {
        for (const finding of emailIdentityFindings(file)) {
          if (finding.lookup) {
            context.report({
              node: finding.lookup.node,
              messageId: "emailLookup",
              data: { target: target(finding.lookup), lookup: finding.lookup.label, context: finding.context },
            });
          } else if (finding.key) {
            const source = context.sourceCode.getText(finding.key.node).replace(/\s+/g, " ");
            context.report({
              node: finding.key.node,
              messageId: "emailAsKey",
              data: {
                email: source.length > MAX_SNIPPET ? `${source.slice(0, MAX_SNIPPET - 3)}...` : source,
                target: finding.key.target,
              },
            });
          }
        }
      },
    };
  },
});
