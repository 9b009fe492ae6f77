import type { ClueItem } from "@/lib/clues/schema";
import { clueDisplayName, clueTypeLabel, fieldText } from "@/lib/clues/display";
import { copy } from "@/lib/copy";
import type { Message } from "@/lib/notifications/channels";
import type { LeadSummary } from "@/lib/notifications/schema";

/**
 * What a message says: a burst of new leads (up to `LISTED_LEADS` listed, then "另有 N 条"), or a test. Links
 * open the desk at `publicUrl` (CLUE_DESK_PUBLIC_URL). No phone number reaches a message: the lead's fields
 * arrive masked, and any run of digits shaped like a mobile number in a name or source is masked again here.
 */

export const LISTED_LEADS = 10;
const MAX_LABEL_LENGTH = 40;

/** A mobile number, possibly with +86 and spaces or dashes inside: masked as the list shows numbers. */
const MOBILE = /(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}/g;
/** Any other run of 7 or more digits (a landline, a number without its first digit). */
const LONG_DIGITS = /\d{7,}/g;

export function withoutPhoneNumbers(text: string): string {
  const mask = (match: string) => {
    const digits = match.replace(/\D/g, "");
    return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  };
  return text.replace(MOBILE, mask).replace(LONG_DIGITS, mask);
}

const shortLabel = (text: string) => {
  const clean = withoutPhoneNumbers(text.replace(/\s+/g, " ").trim());
  return clean.length > MAX_LABEL_LENGTH ? `${clean.slice(0, MAX_LABEL_LENGTH - 1)}…` : clean;
};

/** The source a message names: the 客户来源 field, as the list labels it. */
const SOURCE_FIELD = "customer_source";

/** What a message keeps of a lead, taken when it is enqueued. */
export function leadSummary(item: ClueItem): LeadSummary {
  const source = fieldText(item, SOURCE_FIELD);
  return {
    customerId: item.customerId,
    name: shortLabel(clueDisplayName(item)),
    type: clueTypeLabel(item.type),
    status: item.isClue ? copy.clueType.clue : copy.clueType.unassigned,
    source: source === undefined ? null : shortLabel(source),
    createTime: item.createTime,
  };
}

const viewUrl = (publicUrl: string, query: string) => new URL(`/clues${query ? `?${query}` : ""}`, publicUrl).toString();
const leadUrl = (publicUrl: string, customerId: string) => new URL(`/clues/${encodeURIComponent(customerId)}`, publicUrl).toString();

/** One message for a burst of leads of one subscription, oldest first. */
export function leadsMessage(subscription: { name: string; query: string }, leads: readonly LeadSummary[], publicUrl: string): Message {
  const listed = leads.slice(0, LISTED_LEADS);
  const more = leads.length - listed.length;
  return {
    title: `新线索 · ${shortLabel(subscription.name)}（${leads.length} 条）`,
    lines: listed.map((lead) => ({
      label: lead.name,
      href: leadUrl(publicUrl, lead.customerId),
      detail: [lead.type, lead.status, lead.source === null ? null : `来源 ${lead.source}`, lead.createTime.slice(0, 16)].filter(Boolean).join(" · "),
    })),
    footer: { text: more > 0 ? `另有 ${more} 条` : null, linkText: "在线索台查看", href: viewUrl(publicUrl, subscription.query) },
  };
}

/** The 发送测试 message: says the robot is connected and links the view. */
export function testMessage(subscription: { name: string; query: string }, publicUrl: string): Message {
  return {
    title: `线索台测试消息 · ${shortLabel(subscription.name)}`,
    lines: [{ label: "这个群机器人已接入线索台：符合视图的新线索会发到这里。", detail: "" }],
    footer: { text: null, linkText: "打开视图", href: viewUrl(publicUrl, subscription.query) },
  };
}
