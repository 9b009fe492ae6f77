import "server-only";
import { startSender, stopSender } from "@/lib/notifications/sender";
import { checkNotificationConfig } from "@/lib/notifications/service";
import { readOutboxGauges } from "@/lib/notifications/store/metrics";
import { onScrape } from "@/lib/observability/metrics";

/**
 * Notifications at the server's start and stop (lib/start-store.ts): the configuration checked against the
 * stored subscriptions (one without CLUE_DESK_PUBLIC_URL stops the server), the sender's loop started (it
 * sends only while this instance holds the `notify-sender` lease), the outbox's gauge read at each metrics
 * scrape; at the stop the loop ends.
 */
export async function startNotifications(): Promise<void> {
  await checkNotificationConfig();
  startSender();
  onScrape("notification outbox", () => readOutboxGauges());
}

export async function stopNotifications(): Promise<void> {
  await stopSender();
}
