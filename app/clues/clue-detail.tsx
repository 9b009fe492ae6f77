"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { ClueNotFound } from "@/app/clues/clue-not-found";
import { FollowUpTimeline } from "@/app/clues/follow-up-timeline";
import { TagsByGroup } from "@/app/clues/tags-by-group";
import { Button } from "@/components/button";
import { TypeBadges } from "@/components/clues/clue-cells";
import { touchState, useTickingNow } from "@/components/clues/touch-cell";
import { PageNotice } from "@/components/page-notice";
import { ApiFetchError, errorMessage } from "@/lib/clues/api-client";
import { clueDisplayName, companyHref, formatField, isEmptyField } from "@/lib/clues/display";
import { fieldLabel } from "@/lib/clues/field-labels";
import {
  cachedListRow,
  clueDetailQueryOptions,
  dictionaryQueryOptions,
  revealPhonesMutationOptions,
} from "@/lib/clues/query-options";
import type { ClueDetail, Dictionary } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import { FIELD_TYPE } from "@/lib/clues/field-types";

/** A clue's full detail: fields (empty ones grouped), tags by group, company, times, follow-up timeline. */
export function ClueDetailView({ customerId, initialData }: { customerId: string; initialData?: ClueDetail }) {
  // The row already loaded in a list is shown at once while the full detail loads.
  const queryClient = useQueryClient();
  const placeholder = cachedListRow(queryClient, customerId);
  const detail = useQuery({
    ...clueDetailQueryOptions(customerId),
    ...(initialData ? { initialData } : {}),
    placeholderData: placeholder,
  });
  const dictionary = useQuery(dictionaryQueryOptions());

  if (detail.isError && !detail.data) {
    const notFound = detail.error instanceof ApiFetchError && detail.error.isNotFound;
    return (
      <div className="p-6 pr-14">
        {notFound ? (
          <ClueNotFound customerId={customerId} />
        ) : (
          <PageNotice
            tone="error"
            testId="detail-error"
            title={copy.detail.errorTitle}
            hint={errorMessage(detail.error)}
            action={
              <Button onClick={() => void detail.refetch()} className="mt-2">
                {copy.list.retry}
              </Button>
            }
          />
        )}
      </div>
    );
  }

  const clue = detail.data;
  if (!clue) return <DetailSkeleton />;
  return <DetailBody clue={clue} dictionary={dictionary.data} complete={!detail.isPlaceholderData} />;
}

function DetailSkeleton() {
  return (
    <div className="flex flex-col gap-4 p-6" aria-busy aria-label={copy.detail.loading}>
      <span className="skeleton h-6 w-48" />
      <span className="skeleton h-4 w-32" />
      {Array.from({ length: 8 }, (_, i) => (
        <span key={i} className="skeleton h-4" style={{ width: `${50 + ((i * 17) % 45)}%` }} />
      ))}
    </div>
  );
}

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="border-t border-slate-100 px-6 py-4" data-testid={testId}>
      <h3 className="mb-2 text-xs font-medium tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

/** The first touch and how long after the lead's creation it came, or how long the lead has waited for one. */
function FirstTouchSummary({ clue }: { clue: ClueDetail }) {
  const nowMs = useTickingNow();
  const state = touchState(clue, nowMs, Number.POSITIVE_INFINITY);
  return (
    <p data-testid="detail-first-touch" data-touched={String(state.touched)} className="mt-2 text-[13px]">
      <span className="mr-2 text-xs text-slate-500">{copy.touch.firstTouch}</span>
      {state.touched ? (
        <span className="text-slate-800">{copy.touch.firstTouchLine(clue.firstTouchAt!, state.by, copy.touch.span(state.minutes))}</span>
      ) : (
        <span className="text-amber-800">{nowMs === 0 ? copy.touch.untouched : copy.touch.noTouchYet(copy.touch.span(state.minutes))}</span>
      )}
    </p>
  );
}

function DetailBody({ clue, dictionary, complete }: { clue: ClueDetail; dictionary?: Dictionary; complete: boolean }) {
  const filled = clue.fields.filter((f) => !isEmptyField(f));
  const hasPhones = filled.some((f) => f.type === FIELD_TYPE.phone);
  // Phone numbers arrive masked; revealing them is an explicit, audited POST.
  const reveal = useMutation(revealPhonesMutationOptions(clue.customerId));
  const revealed = new Map((reveal.data ?? []).map((p) => [p.key, p.values]));
  const empty = clue.fields.filter((f) => isEmptyField(f));
  const name = clueDisplayName(clue);

  return (
    <article data-testid="clue-detail" data-customer-id={clue.customerId} data-complete={String(complete)}>
      <header className="px-6 pt-5 pb-4 pr-14">
        <h2 className="text-lg font-semibold text-slate-900" data-testid="clue-detail-name">
          {name}
        </h2>
        <div className="mt-1.5 flex flex-wrap items-center gap-3 text-xs text-slate-500">
          <TypeBadges type={clue.type} isClue={clue.isClue} />
          <span className="font-mono">
            {copy.detail.customerId} {clue.customerId}
          </span>
        </div>
        <FirstTouchSummary clue={clue} />
      </header>

      <Section title={copy.detail.status}>
        <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-1.5 text-[13px]">
          <dt className="text-slate-500">{copy.detail.company}</dt>
          <dd>
            {clue.company ? (
              <Link
                href={companyHref(clue.company)}
                data-testid="company-link"
                className="text-indigo-700 hover:underline"
              >
                {clue.company.name}
              </Link>
            ) : (
              <span className="text-slate-400">{copy.detail.noCompany}</span>
            )}
          </dd>
          <dt className="text-slate-500">{copy.detail.createTime}</dt>
          <dd className="tabular-nums">{clue.createTime}</dd>
          <dt className="text-slate-500">{copy.detail.updateTime}</dt>
          <dd className="tabular-nums">{clue.lastUpdateTime}</dd>
          <dt className="text-slate-500">{copy.detail.convertTime}</dt>
          <dd className="tabular-nums" data-testid="convert-time">
            {!complete ? (
              <span className="skeleton inline-block h-3 w-28" />
            ) : clue.convertCustomerTime ? (
              clue.convertCustomerTime
            ) : (
              <span className="text-slate-400">{copy.detail.notConverted}</span>
            )}
          </dd>
        </dl>
      </Section>

      <Section title={copy.detail.fields} testId="detail-fields">
        <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-1.5 text-[13px]">
          {filled.map((f) => (
            <div key={f.key} className="contents" data-testid="detail-field" data-field-key={f.key}>
              <dt className="truncate text-slate-500" title={f.key}>
                {fieldLabel(f.key, dictionary)}
              </dt>
              <dd className="min-w-0 break-words text-slate-800">
                {f.type === FIELD_TYPE.multiLineText ? (
                  <span className="whitespace-pre-wrap">{f.values.join("\n")}</span>
                ) : f.type === FIELD_TYPE.phone ? (
                  <span className="font-mono" data-testid="phone-values">
                    {(revealed.get(f.key) ?? f.values).join(", ")}
                  </span>
                ) : (
                  formatField(f)
                )}
              </dd>
            </div>
          ))}
        </dl>
        {hasPhones && complete ? (
          <div className="mt-2 flex items-center gap-2 text-xs">
            {reveal.isSuccess ? null : (
              <Button size="sm" data-testid="reveal-phones" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
                {reveal.isPending ? copy.detail.revealingPhones : copy.detail.revealPhones}
              </Button>
            )}
            <span className="text-slate-400">{copy.detail.revealNote}</span>
            {reveal.isError ? (
              <span role="alert" className="text-rose-700">
                {copy.detail.revealFailed}：{errorMessage(reveal.error)}
              </span>
            ) : null}
          </div>
        ) : null}
        {empty.length > 0 ? (
          <div className="mt-3 text-[13px]" data-testid="empty-fields">
            <span className="mr-2 text-slate-500">{copy.detail.emptyFields}</span>
            <span className="text-slate-400">{empty.map((f) => fieldLabel(f.key, dictionary)).join("、")}</span>
          </div>
        ) : null}
      </Section>

      <Section title={copy.detail.tags} testId="detail-tags">
        <TagsByGroup tags={clue.tags} />
      </Section>

      <Section title={copy.detail.followUps} testId="follow-ups">
        <FollowUpTimeline customerId={clue.customerId} />
      </Section>
    </article>
  );
}
