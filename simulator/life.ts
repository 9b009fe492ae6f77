import type { Dataset } from "./dataset";
import { customFieldKey, CUSTOM_FIELDS } from "./dictionary";
import type { LifeRates } from "./knobs";
import { createRandom, mixSeed, type Random } from "./random";
import { clueRecord, HOUR_MS } from "./records";

/**
 * The tenant's own life: leads arrive, get edited and leave, each kind a Poisson process at its knob's rate.
 * Event times are drawn from the seed (one stream per kind) on the tenant's clock, and each event is applied
 * at its own time, so what happens depends only on the seed, the rates and the clock, not on when a timer
 * fired. Every request catches up first, so a caller always sees every event up to its own now; an unref'd
 * timer catches up in between.
 */

type Kind = "arrival" | "edit" | "removal";
const RATE_KNOBS: Record<Kind, keyof LifeRates> = {
  arrival: "arrivalsPerMinute",
  edit: "editsPerMinute",
  removal: "removalsPerMinute",
};
const KINDS = Object.keys(RATE_KNOBS) as Kind[];
/** Seeds the kinds' random streams apart from each other and from the generated data. */
const STREAM_SALTS: Record<Kind, number> = { arrival: 0xa221, edit: 0xed17, removal: 0x4e30 };

/** Edits and removals pick among the leads created in this last stretch: the ones sales are working on. */
export const RECENT_MS = 7 * 24 * HOUR_MS;
/** Fields a salesperson changes on a lead they work (the rest stay as imported). */
const EDITED_FIELD_KEYS = [
  "customer_stage",
  "purchase_intention",
  "description",
  customFieldKey(CUSTOM_FIELDS.budget),
  customFieldKey(CUSTOM_FIELDS.nextFollowUp),
  customFieldKey(CUSTOM_FIELDS.remark),
];
/** The longest a timer waits, so a clock that jumps (an injected one) is caught up within a second. */
const MAX_TICK_MS = 1000;

export class TenantLife {
  private rates: LifeRates;
  /** Tenant time (epoch ms) of each kind's next event; Infinity when its rate is 0. */
  private readonly next: Record<Kind, number>;
  private readonly random: Record<Kind, Random>;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly dataset: Dataset,
    private readonly clock: () => number,
    rates: LifeRates,
  ) {
    this.rates = rates;
    this.random = {
      arrival: createRandom(mixSeed(dataset.seed, STREAM_SALTS.arrival)),
      edit: createRandom(mixSeed(dataset.seed, STREAM_SALTS.edit)),
      removal: createRandom(mixSeed(dataset.seed, STREAM_SALTS.removal)),
    };
    // The schedule starts where the generated history ends, so it does not depend on how long generation took.
    this.next = { arrival: Infinity, edit: Infinity, removal: Infinity };
    for (const kind of KINDS) this.next[kind] = this.after(kind, dataset.now);
    this.arm();
  }

  /** Applies every event due by the tenant's now, in time order. */
  catchUp(): void {
    const now = this.clock();
    for (;;) {
      const kind = KINDS.reduce((soonest, k) => (this.next[k] < this.next[soonest] ? k : soonest));
      const at = this.next[kind];
      if (at > now) return;
      this.apply(kind, at);
      this.next[kind] = this.after(kind, at);
    }
  }

  /** New rates take effect from now: a changed kind's next event is drawn afresh. */
  setRates(rates: LifeRates): void {
    this.catchUp();
    const now = this.clock();
    for (const kind of KINDS) {
      if (rates[RATE_KNOBS[kind]] === this.rates[RATE_KNOBS[kind]]) continue;
      this.rates = { ...this.rates, [RATE_KNOBS[kind]]: rates[RATE_KNOBS[kind]] };
      this.next[kind] = this.after(kind, now);
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The time of the kind's event after one at `fromMs`: exponential gaps make a Poisson process. */
  private after(kind: Kind, fromMs: number): number {
    const perMinute = this.rates[RATE_KNOBS[kind]];
    if (perMinute <= 0) return Infinity;
    return fromMs + (-Math.log(1 - this.random[kind].next()) * 60_000) / perMinute;
  }

  private arm(): void {
    clearTimeout(this.timer);
    const due = Math.min(...KINDS.map((kind) => this.next[kind]));
    if (this.stopped || !Number.isFinite(due)) return;
    this.timer = setTimeout(
      () => {
        this.catchUp();
        this.arm();
      },
      Math.min(Math.max(due - this.clock(), 0), MAX_TICK_MS),
    );
    this.timer.unref();
  }

  private apply(kind: Kind, atMs: number): void {
    const random = this.random[kind];
    if (kind === "arrival") {
      this.dataset.insert(atMs, random);
      return;
    }
    const recentFrom = this.dataset.firstAtOrAfter(Math.floor((atMs - RECENT_MS) / 1000));
    const count = this.dataset.clues.length;
    if (recentFrom >= count) return;
    const clue = this.dataset.clues[random.int(recentFrom, count - 1)];
    if (clue === undefined) return;
    if (kind === "removal") {
      this.dataset.remove(clue.customerId);
      return;
    }
    const tagIds = clue.tagIds ?? [];
    if (random.chance(0.5)) {
      // A fresh draw of one field, as a new record of the same moment would have it (null clears it).
      const key = random.pick(EDITED_FIELD_KEYS);
      const sec = Math.floor(atMs / 1000);
      const fresh = clueRecord(random, this.dataset.recordContext, { customerId: clue.customerId, sec });
      const valueAsText = fresh.fields.find((f) => f.field === key)?.valueAsText ?? null;
      this.dataset.update(clue.customerId, { fields: { [key]: valueAsText } }, atMs);
    } else if (tagIds.length > 0 && random.chance(0.4)) {
      const dropped = random.pick(tagIds);
      this.dataset.update(clue.customerId, { tagIds: tagIds.filter((id) => id !== dropped) }, atMs);
    } else {
      const unused = this.dataset.recordContext.allTagIds.filter((id) => !tagIds.includes(id));
      if (unused.length > 0) this.dataset.update(clue.customerId, { tagIds: [...tagIds, random.pick(unused)] }, atMs);
    }
  }
}
