import "server-only";

/**
 * What other features use of the audit trail: record an event, and admit a whole-number search (each one an
 * event, which are the limit's count). The trail's store (lib/audit/store/) stays behind this and the audit service.
 */
export { recordAudit } from "@/lib/audit/store/events";
export { admitSearch } from "@/lib/audit/store/phone-searches";
